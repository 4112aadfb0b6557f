package dev.racetrace.bench.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording's CPU samples ({@code jdk.ExecutionSample}, plus
 * {@code jdk.NativeMethodSample} for time in native code such as file writes) for threads whose
 * name starts with a prefix: where the samples are (self, top frame) and which methods they are
 * under (inclusive), and where the thread was blocked (parks, monitor waits, socket and file I/O
 * longer than the recording's thresholds), summed by the first non-JDK frame. It is the profile
 * evidence that run.sh prints for the export-rate runs.
 *
 * <pre>java -cp benchmarks.jar dev.racetrace.bench.tools.JfrTop rec.jfr racetrace-exporter 15</pre>
 */
public final class JfrTop {
  private JfrTop() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: JfrTop <recording.jfr> <thread-name-prefix> [top-n]");
      System.exit(2);
    }
    int top = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    System.out.print(summarise(Path.of(args[0]), args[1], top));
  }

  static String summarise(Path file, String threadPrefix, int top) throws IOException {
    Map<String, Double> blocked = new HashMap<>();
    double blockedTotal = 0;
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    int java = 0;
    int nativeSamples = 0;
    int otherThreads = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      String type = e.getEventType().getName();
      if (BLOCKING.contains(type)) {
        RecordedThread bt = e.getThread();
        if (bt != null && bt.getJavaName() != null && bt.getJavaName().startsWith(threadPrefix)
            && e.getStackTrace() != null) {
          double ms = e.getDuration().toNanos() / 1e6;
          blocked.merge(type.substring(4) + " in " + site(e.getStackTrace()), ms, Double::sum);
          blockedTotal += ms;
        }
        continue;
      }
      boolean isNative = type.equals("jdk.NativeMethodSample");
      if (!isNative && !type.equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedThread t = e.getThread("sampledThread");
      if (t == null || t.getJavaName() == null || !t.getJavaName().startsWith(threadPrefix)) {
        otherThreads++;
        continue;
      }
      RecordedStackTrace st = e.getStackTrace();
      if (st == null || st.getFrames().isEmpty()) {
        continue;
      }
      if (isNative) {
        nativeSamples++;
      } else {
        java++;
      }
      List<RecordedFrame> frames = st.getFrames();
      self.merge((isNative ? "[native] " : "") + name(frames.get(0)), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        String n = name(f);
        if (seen.add(n)) {
          inclusive.merge(n, 1, Integer::sum);
        }
      }
    }
    int total = java + nativeSamples;
    StringBuilder out = new StringBuilder();
    out.append(String.format("JFR %s, threads '%s*': %d samples (%d running Java, %d in native), "
        + "%d samples of other threads%n", file.getFileName(), threadPrefix, total, java, nativeSamples,
        otherThreads));
    out.append("  top frames (self):\n");
    appendTop(out, self, total, top);
    out.append("  under (inclusive):\n");
    appendTop(out, inclusive, total, top);
    out.append(String.format("  blocked (parks, waits, socket/file I/O over the recording's thresholds): %.0f ms%n",
        blockedTotal));
    List<Map.Entry<String, Double>> b = new ArrayList<>(blocked.entrySet());
    b.sort((x, y) -> Double.compare(y.getValue(), x.getValue()));
    for (int i = 0; i < Math.min(top, b.size()); i++) {
      out.append(String.format("    %8.0f ms  %s%n", b.get(i).getValue(), b.get(i).getKey()));
    }
    return out.toString();
  }

  private static final Set<String> BLOCKING = Set.of("jdk.ThreadPark", "jdk.JavaMonitorWait",
      "jdk.JavaMonitorEnter", "jdk.SocketRead", "jdk.SocketWrite", "jdk.FileWrite", "jdk.FileRead");

  /** The first frame outside the JDK, with the JDK frame it called. */
  private static String site(RecordedStackTrace st) {
    String jdk = null;
    for (RecordedFrame f : st.getFrames()) {
      String type = f.getMethod().getType().getName();
      if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
        if (jdk == null || !type.startsWith("jdk.internal.misc")) {
          jdk = name(f);
        }
        continue;
      }
      return name(f) + (jdk != null ? " -> " + jdk : "");
    }
    return jdk == null ? "?" : jdk;
  }

  private static void appendTop(StringBuilder out, Map<String, Integer> counts, int total, int top) {
    List<Map.Entry<String, Integer>> list = new ArrayList<>(counts.entrySet());
    list.sort((a, b) -> b.getValue() - a.getValue());
    for (int i = 0; i < Math.min(top, list.size()); i++) {
      Map.Entry<String, Integer> e = list.get(i);
      out.append(String.format("    %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
    }
  }

  private static String name(RecordedFrame f) {
    String type = f.getMethod().getType().getName();
    int dot = type.lastIndexOf('.');
    // shorten the relocated OTel packages, keep the class
    String shortType = type.startsWith("dev.racetrace.shaded.") ? "(shaded)" + type.substring(dot) : type;
    return shortType + "." + f.getMethod().getName();
  }
}
