package dev.racetrace.sample;

import dev.racetrace.sample.node.Mode;
import dev.racetrace.sample.node.Workload;
import dev.racetrace.sample.wire.Protocol;
import dev.racetrace.sample.wire.RawRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The demo: starts the nodes (with the agent when it is built), runs the seeded input log on all
 * of them at the same instant, reads every node's raw state, prints the divergence table, writes
 * {@code raw-state.json}, optionally reconciles, stops the nodes, and runs the analyzer on the
 * spans. Every process it starts is stopped before {@link #run} returns or throws.
 */
public final class DemoRunner {
  /** Time between telling the nodes to start and the start, so that all of them start together. */
  static final long START_DELAY_MILLIS = 300;

  private final DemoOptions options;
  private final PrintStream console;

  private DemoRunner(DemoOptions options) {
    this.options = options;
    this.console = options.console();
  }

  /**
   * Runs the demo.
   *
   * @throws NodeFailedException when a node fails to start, to finish or to answer
   * @throws IOException when the output cannot be written or a node cannot be reached
   */
  public static DemoResult run(DemoOptions options)
      throws NodeFailedException, IOException, InterruptedException {
    return new DemoRunner(options).run();
  }

  private DemoResult run() throws NodeFailedException, IOException, InterruptedException {
    long seed = options.seed();
    say("racetrace demo: seed " + seed + ", " + options.keys() + " keys, mode "
        + options.mode().cliName() + ", " + options.nodes() + " nodes"
        + (options.reconcile() ? ", then last-writer-wins reconciliation" : ""));
    AgentJar agent = AgentJar.locate(options.agent(), options.workingDir());
    agent.warning().ifPresent(console::println);
    agent.jar().ifPresent(j -> say("agent: " + j));

    Path out = options.workingDir().resolve(options.out()).toAbsolutePath().normalize();
    Path spans = out.resolve("spans");
    prepareOutput(out, spans);

    Workload workload = Workload.generate(seed, options.keys());
    String congested = Workload.congestedNode(seed, options.nodes());
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= options.nodes(); i++) {
      ids.add(Workload.nodeId(i));
    }
    say("the seed makes " + congested + " congested: a burst of " + Workload.BURST_JOBS
        + " compaction jobs (" + Workload.BURST_JOB_MILLIS + " ms each) hits its work queue "
        + workload.burstAtMillis() + " ms into the log; every node runs the same code on the same log");
    if (options.nodes() < 3) {
      say("note: with fewer than 3 nodes a divergent key has no majority, so no node can be called odd");
    }
    List<String> dropped = NodeLauncher.droppedVariables(System.getenv());
    if (!dropped.isEmpty()) {
      say("not passed on to the nodes: " + String.join(", ", dropped));
    }

    NodeLauncher launcher = new NodeLauncher(agent.jar(), spans);
    if (!options.journal()) {
      launcher.recordToOtlpJson();
      say("the nodes write OTLP JSON span files (racetrace.exporter=otlp-json)");
    } else if (options.zipkin().isEmpty()) {
      say("the nodes record binary journals (*.rtj); the analyzer reads them, and "
          + "java -jar racetrace-agent.jar export " + spans + " --otlp-json DIR turns them into span files");
    }
    options.zipkin().ifPresent(z -> {
      launcher.exportToZipkin(z + "/api/v2/spans");
      say("the nodes also send their spans to Zipkin: " + z + " (service " + AgentConfig.SERVICE_NAME
          + "); analyze them there with: analyze --zipkin " + z + " --service "
          + AgentConfig.SERVICE_NAME);
    });
    say("node command: " + String.join(" ", launcher.command(nodeArgs(ids.get(0), congested))));
    say("starting " + ids.size() + " node JVMs" + (launcher.withAgent() ? " with the agent" : ""));

    Map<String, Map<String, RawRecord>> before;
    DivergenceReport divergence;
    Optional<Reconciler.Result> reconciled = Optional.empty();
    Optional<Map<String, Map<String, RawRecord>>> after = Optional.empty();
    Optional<DivergenceReport> afterDivergence = Optional.empty();
    Map<String, Long> pids = new LinkedHashMap<>();
    Map<String, Integer> ports = new LinkedHashMap<>();
    List<NodeProcess> processes;
    try (Cluster cluster = Cluster.launch(launcher, ids, id -> nodeArgs(id, congested), console)) {
      processes = cluster.nodes();
      Map<String, NodeClient> clients = new LinkedHashMap<>();
      for (NodeProcess p : processes) {
        NodeProcess.Endpoint e = p.awaitListening(options.startupTimeout());
        clients.put(p.nodeId(), p.client());
        pids.put(p.nodeId(), e.pid());
        ports.put(p.nodeId(), e.port());
      }
      if (launcher.withAgent()) {
        List<String> inactive = processes.stream()
            .filter(p -> p.endpoint().map(e -> !e.agent()).orElse(true))
            .map(NodeProcess::nodeId).collect(Collectors.toList());
        if (!inactive.isEmpty()) {
          console.println("WARNING: the agent is attached but not recording in "
              + String.join(", ", inactive) + " (see its message above): those nodes write no spans");
        }
      }
      say("all nodes are up (" + ports.entrySet().stream().map(e -> e.getKey() + " on 127.0.0.1:"
          + e.getValue()).collect(Collectors.joining(", ")) + "); starting the input log on every"
          + " node at the same instant");
      for (NodeClient c : clients.values()) {
        c.status(); // each node answers (and this JVM's HTTP client is warm) before the clock starts
      }
      long at = System.currentTimeMillis() + START_DELAY_MILLIS;
      for (NodeClient c : clients.values()) {
        c.start(at);
      }
      List<String> waits = new ArrayList<>();
      for (NodeProcess p : processes) {
        Protocol.Line done = p.awaitDone(seed, options.runTimeout());
        waits.add(p.nodeId() + " " + done.field("maxWaitBackgroundMs").orElse("?") + " / "
            + done.field("maxWaitForegroundMs").orElse("?") + " ms");
      }
      say("every node has processed the log; longest queue wait (background / foreground): "
          + String.join(", ", waits));
      say("raw reads (GET /raw/{key}) on every node");
      before = readAll(clients, workload.keys());
      divergence = DivergenceReport.of(ids, workload.keys(), before);
      console.println();
      console.print(DivergenceTable.render(divergence, workload.keys().size() > 40));
      console.println("  value (mN): derived from metadata version N; m0: derived without metadata"
          + " (the timed wait expired)");
      console.println();
      summarize(divergence, congested);
      Path rawFile = out.resolve("raw-state.json");
      RawStateFile.write(rawFile, ids, workload.keys(), before);
      say("raw state written to " + rawFile);

      if (options.reconcile()) {
        say("reconciling: last-writer-wins anti-entropy between all nodes");
        Reconciler.Result r = Reconciler.run(clients, workload.keys(), before);
        reconciled = Optional.of(r);
        Map<String, Map<String, RawRecord>> a = readAll(clients, workload.keys());
        after = Optional.of(a);
        DivergenceReport ad = DivergenceReport.of(ids, workload.keys(), a);
        afterDivergence = Optional.of(ad);
        say("anti-entropy offered " + r.offered() + " records to peers; " + changedValues(before, a)
            + " node record(s) changed value; raw reads after it:");
        console.println();
        console.print(DivergenceTable.render(ad, workload.keys().size() > 40));
        console.println();
        summarizeReconcile(divergence, a, workload, congested);
        Path afterFile = out.resolve("raw-state-after-reconcile.json");
        RawStateFile.write(afterFile, ids, workload.keys(), a);
        say("raw state after reconciliation written to " + afterFile);
      }
      say("stopping the nodes" + (launcher.withAgent() ? " (the agent flushes its spans on exit)" : ""));
    }
    for (NodeProcess p : processes) {
      if (p.isAlive()) {
        throw new NodeFailedException(p.nodeId() + " (pid " + p.pid() + ") is still running after stop");
      }
    }
    say("all node processes have exited");

    Optional<AnalyzerRunner.Outcome> analyzed = Optional.empty();
    if (agent.jar().isPresent()) {
      say("spans: " + describeSpans(spans));
      if (options.runAnalyzer()) {
        say("running the analyzer");
        AnalyzerRunner.Outcome o = AnalyzerRunner.run(NodeLauncher.javaExecutable(),
            agent.jar().get(), out, console, options.analyzerTimeout());
        analyzed = Optional.of(o);
        o.report().ifPresent(r -> say("HTML report: " + r));
        o.note().ifPresent(n -> say("note: " + n));
      }
    } else {
      say("analyzer skipped: the nodes ran without the agent, so there are no spans");
    }
    say("done; output in " + out);
    return new DemoResult(out, spans, out.resolve("raw-state.json"), agent.jar(), List.copyOf(ids),
        workload.keys(), congested, before, divergence, reconciled, afterDivergence, after,
        workload.expectedValues(), pids, ports, analyzed);
  }

  private List<String> nodeArgs(String id, String congested) {
    List<String> a = new ArrayList<>(List.of(
        "--id", id,
        "--seed", Long.toString(options.seed()),
        "--keys", Integer.toString(options.keys()),
        "--mode", options.mode().cliName(),
        "--congested", Boolean.toString(id.equals(congested)),
        "--workers", Integer.toString(options.workers()),
        "--await-start", "--stop-on-stdin-eof"));
    if (options.logOps()) {
      a.add("--log-ops");
    }
    return a;
  }

  private static Map<String, Map<String, RawRecord>> readAll(Map<String, NodeClient> clients,
      List<String> keys) throws IOException, InterruptedException {
    Map<String, Map<String, RawRecord>> state = new LinkedHashMap<>();
    for (Map.Entry<String, NodeClient> c : clients.entrySet()) {
      Map<String, RawRecord> byKey = new LinkedHashMap<>();
      for (String key : keys) {
        byKey.put(key, c.getValue().raw(key));
      }
      state.put(c.getKey(), byKey);
    }
    return state;
  }

  private void summarize(DivergenceReport d, String congested) {
    List<String> divergent = d.divergentKeys();
    if (divergent.isEmpty()) {
      say("all " + d.rows().size() + " keys agree on every node"
          + (options.mode() == Mode.FIXED
          ? ": the per-key dependency gate held the order through the same congestion" : ""));
      return;
    }
    Optional<String> odd = d.oddNode();
    if (odd.isPresent()) {
      say(divergent.size() + " of " + d.rows().size() + " keys diverge, and on every one of them "
          + odd.get() + " alone differs: the signature of a timing race on " + odd.get()
          + (odd.get().equals(congested) ? " (the congested node)" : "")
          + ". Divergent keys: " + String.join(", ", divergent));
    } else {
      say(divergent.size() + " of " + d.rows().size() + " keys diverge (odd nodes: " + d.oddCounts()
          + "): " + String.join(", ", divergent));
    }
  }

  private void summarizeReconcile(DivergenceReport before, Map<String, Map<String, RawRecord>> after,
      Workload workload, String congested) {
    List<String> spread = new ArrayList<>();
    List<String> repaired = new ArrayList<>();
    for (DivergenceReport.Row row : before.rows()) {
      if (row.oddNode().isEmpty()) {
        continue;
      }
      String odd = row.oddNode().get();
      String oddValue = row.byNode().get(odd).value();
      boolean everywhere = after.values().stream()
          .allMatch(m -> m.get(row.key()) != null && Objects.equals(m.get(row.key()).value(), oddValue));
      (everywhere ? spread : repaired).add(row.key());
    }
    if (!spread.isEmpty()) {
      say("amplification: the odd value won last-writer-wins and now sits on every node for "
          + spread.size() + " key(s): " + String.join(", ", spread)
          + " (correct values, applying each key's log in order: " + spread.stream()
          .map(k -> k + "=" + workload.expectedValues().get(k)).collect(Collectors.joining(", ")) + ")");
    }
    if (!repaired.isEmpty()) {
      say("the healthy value happened to be the later write for " + repaired.size() + " key(s): "
          + String.join(", ", repaired) + "; last-writer-wins cannot tell which one is right");
    }
  }

  private static int changedValues(Map<String, Map<String, RawRecord>> before,
      Map<String, Map<String, RawRecord>> after) {
    int changed = 0;
    for (Map.Entry<String, Map<String, RawRecord>> node : after.entrySet()) {
      for (RawRecord r : node.getValue().values()) {
        RawRecord b = before.getOrDefault(node.getKey(), Map.of()).get(r.key());
        if (b == null || !Objects.equals(b.value(), r.value())) {
          changed++;
        }
      }
    }
    return changed;
  }

  private void prepareOutput(Path out, Path spans) throws IOException {
    Files.createDirectories(spans);
    int removed = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(spans, "*.{jsonl,rtj}")) {
      for (Path p : ds) {
        Files.delete(p);
        removed++;
      }
    }
    for (String f : List.of("raw-state.json", "raw-state-after-reconcile.json", "report.html",
        "analysis.json", "affected.csv")) {
      Files.deleteIfExists(out.resolve(f));
    }
    if (removed > 0) {
      say("removed " + removed + " span file(s) of an earlier run from " + spans);
    }
  }

  private static String describeSpans(Path spans) throws IOException {
    long files = 0;
    long lines = 0;
    long journals = 0;
    long journalBytes = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(spans)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".rtj")) {
          journals++; // binary: sized, not counted in lines
          journalBytes += Files.size(p);
        } else if (Files.isRegularFile(p)) {
          files++;
          try (var s = Files.lines(p)) {
            lines += s.count();
          }
        }
      }
    }
    if (journals > 0) {
      return journals + " journal(s), " + journalBytes + " bytes in " + spans;
    }
    return files == 0 ? "none written to " + spans + " (is the agent writing elsewhere?)"
        : files + " file(s), " + lines + " OTLP JSON line(s) in " + spans;
  }

  private void say(String line) {
    console.println("demo: " + line);
  }
}
