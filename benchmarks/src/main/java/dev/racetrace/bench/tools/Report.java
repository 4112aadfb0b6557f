package dev.racetrace.bench.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a run.sh results directory into the one table of ratios against the issue's targets,
 * followed by the raw numbers. Reads {@code machine.txt}, {@code results.txt}, the JMH JSON files
 * {@code jmh-*.json}, {@code jmh-stats.txt} and hyperfine's {@code startup.json} if present.
 *
 * <pre>java -cp benchmarks.jar dev.racetrace.bench.tools.Report benchmarks/target/bench-results</pre>
 */
public final class Report {
  static final double TARGET_NS_PER_EVENT = 40;
  static final double TARGET_RATIO_RECORDED = 0.93;
  static final double TARGET_RATIO_NOT_ENABLED = 0.995;
  static final double TARGET_STARTUP_SHARE = 0.15;
  static final double TARGET_MEMORY_SHARE = 0.25;
  static final double TARGET_ADDED_RSS_MIB = 64;
  static final double TARGET_EXPORT_PER_S = 200_000;
  static final String PENDING_FLIGHT = "pending: flight mode not built yet";

  /** One hot-path comparison: a hook benchmark against its JDK baseline. */
  static final class Op {
    final String label;
    final int threads;
    final int events;
    final String jdk;
    final String hook;
    final boolean allocatesByDesign;

    Op(String label, int threads, int events, String jdk, String hook, boolean allocatesByDesign) {
      this.label = label;
      this.threads = threads;
      this.events = events;
      this.jdk = jdk;
      this.hook = hook;
      this.allocatesByDesign = allocatesByDesign;
    }
  }

  static final List<Op> OPS = List.of(
      new Op("enqueue (offer)", 1, 1, "QueueBench.pair_jdk", "QueueBench.offer_hook", false),
      new Op("dequeue (poll)", 1, 1, "QueueBench.pair_jdk", "QueueBench.poll_hook", false),
      new Op("enqueue, new element per op", 1, 1, "QueueBench.freshPair_jdk", "QueueBench.freshOffer_hook", false),
      new Op("task submit+start+end (JDK pool)", 1, 3, "ExecutorBench.execute_jdk",
          "ExecutorBench.execute_hook", false),
      new Op("task submit+start+end (own same-thread executor)", 1, 3, "ExecutorBench.direct_jdk",
          "ExecutorBench.direct_hook", false),
      new Op("latch await (open)", 1, 1, "LatchBench.await_jdk", "LatchBench.await_hook", false),
      new Op("latch countDown", 1, 1, "LatchBench.countDown_jdk", "LatchBench.countDown_hook", false),
      new Op("enqueue (offer)", 2, 1, "QueueBench.x2_pair_jdk", "QueueBench.x2_offer_hook", false),
      new Op("dequeue (poll)", 2, 1, "QueueBench.x2_pair_jdk", "QueueBench.x2_poll_hook", false),
      new Op("task submit+start+end (JDK pool)", 2, 3, "ExecutorBench.x2_execute_jdk",
          "ExecutorBench.x2_execute_hook", false),
      new Op("latch await (open)", 2, 1, "LatchBench.x2_await_jdk", "LatchBench.x2_await_hook", false),
      new Op("latch countDown", 2, 1, "LatchBench.x2_countDown_jdk", "LatchBench.x2_countDown_hook", false));

  /**
   * A JMH result: the median of the measurement iterations in ns/op (robust to an iteration
   * stretched by another process on this shared machine), their range, and B/op.
   */
  static final class Jmh {
    final double ns;
    final double min;
    final double max;
    final double bytes;

    Jmh(double ns, double min, double max, double bytes) {
      this.ns = ns;
      this.min = min;
      this.max = max;
      this.bytes = bytes;
    }
  }

  private final Map<String, Jmh> jmh = new HashMap<>();
  private final Map<String, String> jmhStats = new HashMap<>();
  private final Results results;
  private final String machine;
  private final JsonNode hyperfine;
  private final StringBuilder out = new StringBuilder();

  Report(Path dir) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "jmh-*.json")) {
      for (Path f : files) {
        for (JsonNode b : mapper.readTree(f.toFile())) {
          readJmh(b);
        }
      }
    }
    Path stats = dir.resolve("jmh-stats.txt");
    if (Files.exists(stats)) {
      for (String line : Files.readAllLines(stats, StandardCharsets.UTF_8)) {
        String[] p = line.split(" ");
        String name = shortName(p[0]);
        String mode = p[2].substring("mode=".length());
        jmhStats.put(name + "@" + mode, line.substring(line.indexOf("drained=")));
      }
    }
    results = Results.read(dir.resolve("results.txt"));
    Path m = dir.resolve("machine.txt");
    machine = Files.exists(m) ? Files.readString(m, StandardCharsets.UTF_8).trim() : "(machine not described)";
    Path h = dir.resolve("startup.json");
    hyperfine = Files.exists(h) ? mapper.readTree(h.toFile()) : null;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Report <results-dir>");
      System.exit(2);
    }
    System.out.print(new Report(Path.of(args[0])).render());
  }

  private void readJmh(JsonNode b) {
    String name = shortName(b.get("benchmark").asText());
    JsonNode params = b.get("params");
    String mode = params != null && params.has("mode") ? params.get("mode").asText() : "jdk";
    JsonNode pm = b.get("primaryMetric");
    double bytes = Double.NaN;
    JsonNode sec = b.get("secondaryMetrics");
    if (sec != null) {
      for (Map.Entry<String, JsonNode> e : sec.properties()) {
        if (e.getKey().endsWith("gc.alloc.rate.norm")) {
          bytes = e.getValue().get("score").asDouble();
        }
      }
    }
    List<Double> raw = new ArrayList<>();
    for (JsonNode fork : pm.get("rawData")) {
      for (JsonNode v : fork) {
        raw.add(v.asDouble());
      }
    }
    double[] v = raw.stream().mapToDouble(Double::doubleValue).toArray();
    jmh.put(name + "@" + mode, new Jmh(Results.median(v), Results.min(v), Results.max(v), bytes));
  }

  static String shortName(String benchmark) {
    String[] p = benchmark.split("\\.");
    return p[p.length - 2] + "." + p[p.length - 1];
  }

  String render() {
    out.append("racetrace performance\n").append(machine).append("\n\n");
    boolean flight = results.of("flight", r -> true).stream().anyMatch(r -> "1".equals(r.get("available")));
    summary(flight);
    out.append("\nRaw numbers\n\n");
    hotPath();
    workload(flight);
    startup(flight);
    export();
    return out.toString();
  }

  // ------------------------------------------------------------------ summary

  private void summary(boolean flight) {
    out.append("| measure | result | target | status |\n|---|---|---|---|\n");
    for (Op op : OPS) {
      Jmh j = jmh.get(op.jdk + "@jdk");
      Jmh h = jmh.get(op.hook + "@drained");
      String what = "hot path: " + op.label + ", " + op.threads + (op.threads == 1 ? " thread" : " threads");
      if (j == null || h == null) {
        row(what, "not measured", "≤ 40 ns/event, 0 B/op", "not run");
        continue;
      }
      double added = (h.ns - j.ns) / op.events;
      double bytes = h.bytes - j.bytes;
      String result = fmt("%+.1f ns/event, %+.0f B/op", added, bytes);
      String status;
      if (added < 0) {
        // two threads on one lock-based queue: the hooked loop spends time outside the queue's lock,
        // so the threads collide less and the queue itself gets faster; the difference says nothing
        row(what, result, "≤ 40 ns/event, 0 B/op", "inconclusive: hooked loop faster than the JDK loop "
            + "(less contention on the queue's lock); see the raw table");
        continue;
      }
      boolean nsOk = added <= TARGET_NS_PER_EVENT;
      boolean bytesOk = bytes < 0.5 || op.allocatesByDesign;
      if (nsOk && bytesOk) {
        status = "met" + (op.allocatesByDesign && bytes >= 0.5 ? fmt(" (%.0f B/op: the task wrapper, by design)", bytes) : "");
      } else {
        List<String> miss = new ArrayList<>();
        if (!nsOk) {
          miss.add(fmt("MISSED by %.1f ns/event", added - TARGET_NS_PER_EVENT));
        }
        if (!bytesOk) {
          miss.add(fmt("MISSED: allocates %.0f B/op", bytes));
        }
        status = String.join("; ", miss);
      }
      row(what, result, "≤ 40 ns/event, 0 B/op", status);
    }
    double none = median("none");
    double recorded = median("racetrace");
    double off = median("racetrace-off");
    double otel = median("otel");
    ratioRow("whole process: throughput, racetrace recording the package", recorded / none,
        TARGET_RATIO_RECORDED);
    ratioRow("whole process: throughput, racetrace attached, package not enabled", off / none,
        TARGET_RATIO_NOT_ENABLED);
    double[] noneRuns = Results.values(results.of("workload", "config", "none"), "ops_per_s");
    if (noneRuns.length > 1) {
      row("whole process: run-to-run spread of the no-agent runs ((max-min)/median)",
          fmt("%.1f%%", 100 * (Results.max(noneRuns) - Results.min(noneRuns)) / none), "(noise floor)", "");
    }
    double cpuNone = Results.median(Results.values(results.of("workload", "config", "none"), "cpu_ms"));
    double cpuRt = Results.median(Results.values(results.of("workload", "config", "racetrace"), "cpu_ms"));
    double cpuExp = Results.median(Results.values(results.of("workload", "config", "racetrace"),
        "exporter_cpu_ms"));
    if (!Double.isNaN(cpuNone) && !Double.isNaN(cpuRt)) {
      row("whole process: process CPU time, racetrace recording / no agent",
          fmt("%.2f× (%.0f ms vs %.0f ms; exporter thread %.0f ms)", cpuRt / cpuNone, cpuRt, cpuNone, cpuExp),
          "(explains the ratio)", "");
    }
    double cpuOff = Results.median(Results.values(results.of("workload", "config", "racetrace-off"), "cpu_ms"));
    if (!Double.isNaN(cpuNone) && !Double.isNaN(cpuOff)) {
      row("whole process: process CPU time, racetrace attached, package not enabled / no agent",
          fmt("%.3f× (%.0f ms vs %.0f ms)", cpuOff / cpuNone, cpuOff, cpuNone), "(less noisy than throughput)", "");
    }
    if (!Double.isNaN(otel)) {
      row("whole process: throughput, OpenTelemetry Java agent 2.22.0 (peer, exporters none)",
          fmt("%.3f×", otel / none), "(reference)", "");
    }
    if (flight) {
      ratioRow("whole process: throughput, racetrace flight mode", median("flight") / none,
          TARGET_RATIO_RECORDED);
    } else {
      row("whole process: throughput, racetrace flight mode", "—", "≥ 0.93×", PENDING_FLIGHT);
    }

    double s0 = startupMedian("none");
    double sr = startupMedian("racetrace");
    double so = startupMedian("otel");
    double share = (sr - s0) / (so - s0);
    row("start-up: racetrace's added wall time / OTel agent's", fmt("%.3f (+%.0f ms vs +%.0f ms)", share,
        sr - s0, so - s0), "≤ 0.15", status(share <= TARGET_STARTUP_SHARE, fmt("%.3f", share - TARGET_STARTUP_SHARE)));
    double m0 = rssMedian("startup", "none");
    double mr = rssMedian("startup", "racetrace");
    double mo = rssMedian("startup", "otel");
    double mshare = (mr - m0) / (mo - m0);
    row("start-up: racetrace's added peak RSS / OTel agent's", fmt("%.3f (+%.0f MiB vs +%.0f MiB)", mshare,
        mr - m0, mo - m0), "≤ 0.25", status(mshare <= TARGET_MEMORY_SHARE, fmt("%.3f", mshare - TARGET_MEMORY_SHARE)));
    double w0 = rssMedian("workload", "none");
    double wr = rssMedian("workload", "racetrace");
    row("memory: added peak RSS of the queue workload, default buffer", fmt("%+.0f MiB", wr - w0), "≤ 64 MiB",
        status(wr - w0 <= TARGET_ADDED_RSS_MIB, fmt("%.0f MiB", wr - w0 - TARGET_ADDED_RSS_MIB)));
    if (flight) {
      double wf = rssMedian("workload", "flight");
      row("memory: added peak RSS of the queue workload, flight mode", fmt("%+.0f MiB", wf - w0), "≤ 64 MiB",
          status(wf - w0 <= TARGET_ADDED_RSS_MIB, fmt("%.0f MiB", wf - w0 - TARGET_ADDED_RSS_MIB)));
    }
    for (Results.Row r : results.of("export", x -> true)) {
      double rate = r.num("events_per_s");
      long dropped = dropped(r);
      long recordedSpans = (long) r.num("exported");
      boolean ok = rate >= TARGET_EXPORT_PER_S && dropped == 0;
      String what = "export rate: " + r.get("sink") + ", " + r.get("label");
      String result = fmt("%,.0f events/s, %d dropped, %s spans exported", rate, dropped,
          recordedSpans < 0 ? "?" : fmt("%,d", recordedSpans));
      if (r.num("rate") > 0) {
        // a paced run: events/s is the offered rate; what counts is how much of it was dropped
        double droppedShare = 100.0 * dropped / r.num("events");
        result = fmt("offered %,.0f events/s: %,d dropped (%.0f%%), %s spans exported", r.num("rate"), dropped,
            droppedShare, recordedSpans < 0 ? "?" : fmt("%,d", recordedSpans));
        row(what, result, "0 dropped", dropped == 0 ? "met" : fmt("MISSED: %.0f%% of the events dropped", droppedShare));
        continue;
      }
      String miss = rate < TARGET_EXPORT_PER_S ? fmt("MISSED by %,.0f events/s (%.2f× of target)",
          TARGET_EXPORT_PER_S - rate, rate / TARGET_EXPORT_PER_S) : "";
      if (dropped != 0) {
        miss = (miss.isEmpty() ? "MISSED: " : miss + "; ") + dropped + " dropped";
      }
      row(what, result, "≥ 200k events/s, 0 dropped", ok ? "met" : miss);
    }
  }

  private void ratioRow(String what, double ratio, double target) {
    if (Double.isNaN(ratio)) {
      row(what, "not measured", fmt("≥ %.3f×", target), "not run");
      return;
    }
    row(what, fmt("%.3f×", ratio), fmt("≥ %s×", trim(target)),
        status(ratio >= target, fmt("%.3f", target - ratio)));
  }

  private static String trim(double d) {
    String s = String.format(Locale.ROOT, "%.3f", d);
    return s.replaceAll("0+$", "");
  }

  private static String status(boolean ok, String by) {
    return ok ? "met" : "MISSED by " + by;
  }

  private void row(String... cells) {
    out.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  // ------------------------------------------------------------------ raw

  private void hotPath() {
    out.append("Hot path (JMH, AverageTime: ns/op as the median (min–max) of the measurement iterations; "
        + "B/op from -prof gc; recording mode drained unless noted)\n\n");
    out.append("| operation | threads | events/op | JDK ns/op | hook ns/op | added ns/event | JDK B/op | hook B/op "
        + "| drop path ns/op (ring full) | drainer: drained / dropped |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Op op : OPS) {
      Jmh j = jmh.get(op.jdk + "@jdk");
      Jmh h = jmh.get(op.hook + "@drained");
      Jmh full = jmh.get(op.hook + "@full");
      String stats = jmhStats.getOrDefault(op.hook + "@drained", "");
      row(op.label, Integer.toString(op.threads), Integer.toString(op.events), ns(j), ns(h),
          j == null || h == null ? "—" : fmt("%+.1f", (h.ns - j.ns) / op.events), bytes(j), bytes(h), ns(full),
          stats.replace("drained=", "").replace(" dropped=", " / "));
    }
    out.append('\n');
    out.append("Hot-path parts (PartsBench: what a hook is made of, ns/op)\n\n");
    out.append("| part | 1 thread | 2 threads |\n|---|---|---|\n");
    String[][] parts = {
      {"System.nanoTime()", "nanoTime@jdk", "x2_nanoTime@jdk"},
      {"Clock.now() (nanoTime + offset)", "clockNow@jdk", null},
      {"Recorder.nextSeq() (global fetch-add)", "nextSeq@jdk", "x2_nextSeq@jdk"},
      {"System.identityHashCode, hash already in the header", "identityHash@jdk", null},
      {"new Object() (baseline of the next row)", "newObject@jdk", null},
      {"new Object() + its first identityHashCode", "identityHashFresh@jdk", null},
      {"Recorder.record(...) (thread-local lookup, packing, ring write; drained)", "record@drained",
          "x2_record@drained"},
    };
    for (String[] p : parts) {
      row(p[0], ns(jmh.get("PartsBench." + p[1])), p[2] == null ? "—" : ns(jmh.get("PartsBench." + p[2])));
    }
    out.append('\n');
  }

  private static String ns(Jmh j) {
    return j == null ? "—" : fmt("%.1f (%.1f–%.1f)", j.ns, j.min, j.max);
  }

  private static String bytes(Jmh j) {
    return j == null || Double.isNaN(j.bytes) ? "—" : fmt("%.1f", j.bytes);
  }

  private void workload(boolean flight) {
    out.append("Whole process (QueueWorkload; throughput in ops/s, median of the runs, interleaved)\n\n");
    out.append("| config | runs | median ops/s | min | max | ratio to no agent | median process CPU ms "
        + "| median exporter CPU ms | median peak RSS MiB | racetrace dropped events (median) "
        + "| race.recorded_events (median) | checksums agree |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    double none = median("none");
    String expected = null;
    for (Results.Row r : results.of("workload", "config", "none")) {
      expected = r.get("checksum");
    }
    for (String config : new String[] {"none", "racetrace", "racetrace-off", "otel", "flight"}) {
      List<Results.Row> rows = results.of("workload", "config", config);
      if (rows.isEmpty()) {
        if (config.equals("flight") && !flight) {
          row(config, "0", "—", "—", "—", "—", "—", "—", "—", "—", "—", PENDING_FLIGHT);
        }
        continue;
      }
      double[] v = Results.values(rows, "ops_per_s");
      boolean agree = true;
      for (Results.Row r : rows) {
        agree &= expected == null || expected.equals(r.get("checksum"));
      }
      double[] dropped = Results.values(rows, "dropped");
      double[] exported = Results.values(rows, "exported");
      row(config, Integer.toString(v.length), fmt("%,.0f", Results.median(v)), fmt("%,.0f", Results.min(v)),
          fmt("%,.0f", Results.max(v)), fmt("%.3f", Results.median(v) / none),
          fmt("%.0f", Results.median(Results.values(rows, "cpu_ms"))),
          optional(Results.values(rows, "exporter_cpu_ms"), "%.0f"),
          fmt("%.0f", Results.median(Results.values(rows, "rss_kb")) / 1024),
          dropped.length == 0 ? "—" : fmt("%,.0f", Results.median(dropped)),
          exported.length == 0 ? "—" : fmt("%,.0f", Results.median(exported)), agree ? "yes" : "NO");
    }
    out.append('\n');
  }

  private void startup(boolean flight) {
    out.append("Start-up (HelloWorld: JVM start to exit, wall ms; peak RSS from /usr/bin/time -v)\n\n");
    out.append("| config | runs | median wall ms | min–max ms | added ms | median peak RSS MiB | added MiB |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    double s0 = startupMedian("none");
    double m0 = rssMedian("startup", "none");
    for (String config : new String[] {"none", "racetrace", "otel", "flight"}) {
      double s = startupMedian(config);
      if (Double.isNaN(s)) {
        if (config.equals("flight") && !flight) {
          row(config, "0", "—", "—", "—", "—", PENDING_FLIGHT);
        }
        continue;
      }
      double m = rssMedian("startup", config);
      row(config, Integer.toString(startupRuns(config)), fmt("%.0f", s), startupRange(config),
          fmt("%+.0f", s - s0), fmt("%.0f", m), fmt("%+.0f", m - m0));
    }
    out.append('\n');
  }

  private void export() {
    out.append("Export rate (ExportRate: events recorded, drained, turned into spans and written)\n\n");
    out.append("| sink | run | events | produce ms | done ms | events/s | exporter CPU ms | exporter CPU µs/event "
        + "| dropped (rings) | spans exported (stats span) | bytes written |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Results.Row r : results.of("export", x -> true)) {
      double events = r.num("events");
      row(r.get("sink"), r.get("label"), fmt("%,.0f", events), r.get("produce_ms"), r.get("done_ms"),
          fmt("%,.0f", r.num("events_per_s")), r.get("exporter_cpu_ms"),
          fmt("%.1f", r.num("exporter_cpu_ms") * 1000 / events), Long.toString(dropped(r)),
          r.num("exported") < 0 ? "?" : fmt("%,.0f", r.num("exported")),
          fmt("%,.0f", r.num("bytes")));
    }
    out.append('\n');
  }

  // ------------------------------------------------------------------ helpers

  private static String optional(double[] v, String format) {
    return v.length == 0 ? "—" : fmt(format, Results.median(v));
  }

  /** Drops of an export run: the larger of the rings' count and the stats span's. */
  private static long dropped(Results.Row r) {
    double a = r.num("dropped");
    double b = r.num("stats_dropped");
    return (long) Math.max(Double.isNaN(a) ? -1 : a, Double.isNaN(b) ? -1 : b);
  }

  private double median(String config) {
    return Results.median(Results.values(results.of("workload", "config", config), "ops_per_s"));
  }

  private double rssMedian(String kind, String config) {
    return Results.median(Results.values(results.of(kind, "config", config), "rss_kb")) / 1024;
  }

  private double startupMedian(String config) {
    if (hyperfine != null) {
      for (JsonNode r : hyperfine.get("results")) {
        if (config.equals(r.get("command").asText())) {
          return r.get("median").asDouble() * 1000;
        }
      }
      return Double.NaN;
    }
    return Results.median(Results.values(results.of("startup", "config", config), "wall_ms"));
  }

  private String startupRange(String config) {
    double[] v;
    if (hyperfine != null) {
      v = new double[0];
      for (JsonNode r : hyperfine.get("results")) {
        if (config.equals(r.get("command").asText())) {
          v = new double[] {r.get("min").asDouble() * 1000, r.get("max").asDouble() * 1000};
        }
      }
    } else {
      v = Results.values(results.of("startup", "config", config), "wall_ms");
    }
    return v.length == 0 ? "—" : fmt("%.0f–%.0f", Results.min(v), Results.max(v));
  }

  private int startupRuns(String config) {
    if (hyperfine != null) {
      for (JsonNode r : hyperfine.get("results")) {
        if (config.equals(r.get("command").asText())) {
          return r.get("times").size();
        }
      }
      return 0;
    }
    return results.of("startup", "config", config).size();
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
