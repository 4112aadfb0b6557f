package dev.racetrace.agent.internal;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The one way racetrace prints. stderr belongs to the application, so racetrace prints little:
 * every warning names a <em>problem</em> (a short stable key such as {@code "export:file"}), and a
 * problem gets at most one line per minute; the rest are counted and given in the exit summary.
 * Lines never hold a stack trace unless {@code racetrace.debug=true}, and never a control
 * character (a newline or an ANSI escape in a configured value cannot forge or colour lines).
 *
 * <p>One instance per JVM ({@link #get()}): racetrace's messages come from classes wired at
 * different times (premain, transformers, the exporter thread, JUL records of the shaded SDK), and
 * the per-minute limit only holds if they all count in one place. Thread-safe, lock-free.
 */
public final class Log {
  /** Distinct problems remembered; further ones share one entry so memory stays bounded. */
  static final int MAX_PROBLEMS = 64;
  static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);
  /**
   * Longest line printed: racetrace's start and exit lines, which may name the journal's path twice
   * with the export command next to the live export's counts, stay within it.
   */
  static final int MAX_LINE = 1200;

  private static final Log INSTANCE = new Log(() -> System.err, System::nanoTime);

  private final Supplier<PrintStream> err;
  private final LongSupplier nanoTime;
  private final Map<String, Problem> problems = new ConcurrentHashMap<>();
  private volatile boolean debug;

  /** Visible for testing. */
  Log(Supplier<PrintStream> err, LongSupplier nanoTime) {
    this.err = err;
    this.nanoTime = nanoTime;
  }

  /** racetrace's logger. */
  public static Log get() {
    return INSTANCE;
  }

  /** {@code racetrace.debug}: stack traces are printed with the lines they belong to. */
  public void setDebug(boolean debug) {
    this.debug = debug;
  }

  public boolean debug() {
    return debug;
  }

  /** A line that is always printed, once: the start line, a refused configuration, the exit summary. */
  public void info(String message) {
    print(message, null);
  }

  /** A problem that may repeat: printed at most once a minute per {@code problem}, always counted. */
  public void warn(String problem, String message) {
    warn(problem, message, null);
  }

  /**
   * As {@link #warn(String, String)}; {@code cause} is named in the line ({@code toString()}) and its
   * stack trace printed only in debug mode.
   */
  public void warn(String problem, String message, Throwable cause) {
    Problem p = problems.get(problem);
    if (p == null) {
      if (problems.size() >= MAX_PROBLEMS) {
        problem = "other";
      }
      p = problems.computeIfAbsent(problem, k -> new Problem());
    }
    long n = p.count.incrementAndGet();
    long now = nanoTime.getAsLong();
    long last = p.lastPrinted.get();
    boolean due = n == 1 ? p.lastPrinted.compareAndSet(Long.MIN_VALUE, now)
        : now - last >= QUIET_NANOS && p.lastPrinted.compareAndSet(last, now);
    if (!due) {
      return;
    }
    long printedBefore = p.printed.getAndSet(n);
    long suppressed = n - 1 - printedBefore;
    String line = "racetrace: " + message + (cause != null ? " (" + cause + ")" : "")
        + (suppressed > 0 ? " [" + suppressed + " more since the last line]" : "");
    print(line, cause);
  }

  /** How often each problem happened, for the exit summary: {@code "export:file x12"}; empty if none. */
  public List<String> summary() {
    List<String> out = new ArrayList<>();
    problems.forEach((k, p) -> out.add(k + " x" + p.count.get()));
    out.sort(null);
    return out;
  }

  /** Times {@code problem} happened. */
  public long count(String problem) {
    Problem p = problems.get(problem);
    return p == null ? 0 : p.count.get();
  }

  private void print(String line, Throwable cause) {
    PrintStream out = err.get();
    StringBuilder sb = new StringBuilder(oneLine(line));
    if (debug && cause != null) {
      StringWriter trace = new StringWriter();
      cause.printStackTrace(new PrintWriter(trace));
      sb.append(System.lineSeparator()).append(trace.toString().stripTrailing());
    }
    out.println(sb);
  }

  /**
   * {@code text} made safe for one stderr line: control characters (newline, carriage return,
   * escape, ...) become {@code ?}, and the length is capped.
   */
  public static String oneLine(String text) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_LINE + 3));
    for (int i = 0; i < text.length() && sb.length() < MAX_LINE; i++) {
      char c = text.charAt(i);
      sb.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '?' : c);
    }
    if (text.length() > MAX_LINE) {
      sb.append("...");
    }
    return sb.toString();
  }

  /** Visible for testing: forgets every problem. */
  void clear() {
    problems.clear();
  }

  private static final class Problem {
    final AtomicLong count = new AtomicLong();
    final AtomicLong printed = new AtomicLong();
    final AtomicLong lastPrinted = new AtomicLong(Long.MIN_VALUE);
  }
}
