package dev.racetrace.sample;

import dev.racetrace.api.RaceTrace;
import dev.racetrace.sample.cli.Args;
import dev.racetrace.sample.cli.SeedRange;
import dev.racetrace.sample.node.Mode;
import dev.racetrace.sample.node.Node;
import dev.racetrace.sample.node.NodeConfig;
import dev.racetrace.sample.node.NodeLog;
import dev.racetrace.sample.node.NodeServer;
import dev.racetrace.sample.node.NodeStatus;
import dev.racetrace.sample.node.Warmup;
import dev.racetrace.sample.node.Workload;
import dev.racetrace.sample.support.NodeControl;
import dev.racetrace.sample.wire.Json;
import dev.racetrace.sample.wire.Protocol;
import dev.racetrace.sample.wire.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * {@code node}: runs one node of the store in this JVM, for one seed or for many in a row. (The
 * process harness lives outside the instrumented {@code node} package; the node itself inside.)
 *
 * <p>Prints a {@link Protocol} {@code listening} line (host, port, token) once the endpoint is up
 * and the first node is ready, a {@code done} line per seed, and with {@code --print-raw} a
 * {@code raw} line per seed holding every persisted record.
 */
public final class NodeCommand {
  /** Usage text. */
  public static final String USAGE = String.join("\n",
      "usage: java -jar racetrace-sample-app.jar node [options]",
      "  --id ID                 node id, also its service.instance.id (default node-1)",
      "  --seed N                seed of the input log (default " + DemoOptions.DEFAULT_SEED + ")",
      "  --seeds A..B            run many seeds in a row, resetting all state per seed",
      "                          (implies --print-raw and --exit-when-done)",
      "  --keys N                entities in the log (default 20)",
      "  --mode broken|fixed     broken: guards as shipped; fixed: per-key dependency gate",
      "  --congested true|false|auto",
      "                          whether this node gets the burst of background work;",
      "                          auto (default): when the seed picks this id among --nodes",
      "  --nodes N               cluster size, for --congested auto (default 3)",
      "  --workers N             worker threads (default " + NodeConfig.DEFAULT_WORKERS + ")",
      "  --metadata-wait-ms N    limit of the timed wait for metadata (default "
          + NodeConfig.DEFAULT_METADATA_WAIT_MILLIS + ")",
      "  --port N                port on 127.0.0.1 for the debug endpoint (default 0: any free port)",
      "  --await-start           wait for POST /start?at=<epochMillis> before the first log",
      "  --exit-when-done        exit after the last seed instead of serving raw reads until",
      "                          POST /shutdown or Ctrl-C",
      "  --print-raw             print each seed's persisted records as a 'raw' JSON line",
      "  --log-ops               log every operation",
      "  --stop-on-stdin-eof     exit when stdin closes (used by the demo: no orphans)",
      "  --timeout-ms N          give up on a seed after N ms (default 60000)");

  private static final Set<String> OPTIONS = Set.of("id", "seed", "seeds", "keys", "mode",
      "congested", "nodes", "workers", "metadata-wait-ms", "port", "await-start",
      "exit-when-done", "print-raw", "log-ops", "stop-on-stdin-eof", "timeout-ms");
  private static final Set<String> FLAGS = Set.of("await-start", "exit-when-done", "print-raw",
      "log-ops", "stop-on-stdin-eof");

  /**
   * Parsed options of the {@code node} command.
   *
   * @param base the node configuration (its seed and congestion are set per seed)
   * @param seeds the seeds to run, in order
   * @param many whether this is a multi-seed run ({@code --seeds})
   * @param nodes cluster size, for {@code --congested auto}
   * @param congestion {@code true}, {@code false} or {@code auto}
   * @param port the endpoint's port (0: any free one)
   * @param awaitStart wait for {@code POST /start} before the first seed
   * @param exitWhenDone exit after the last seed
   * @param printRaw print a {@code raw} line per seed
   * @param stopOnStdinEof exit when stdin closes
   * @param timeout how long one seed may take
   */
  record Options(NodeConfig base, List<Long> seeds, boolean many, int nodes, String congestion,
      int port, boolean awaitStart, boolean exitWhenDone, boolean printRaw, boolean stopOnStdinEof,
      Duration timeout) {

    static Options parse(List<String> argv) {
      Args a = Args.parse(argv, OPTIONS, FLAGS);
      String id = a.string("id", Workload.nodeId(1));
      if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new IllegalArgumentException("--id " + id + ": use letters, digits, '.', '_' or '-'");
      }
      List<Long> seeds = a.string("seeds").map(SeedRange::parse)
          .orElseGet(() -> List.of(a.longValue("seed", DemoOptions.DEFAULT_SEED)));
      boolean many = a.has("seeds");
      String congestion = a.string("congested", "auto");
      if (!congestion.matches("true|false|auto")) {
        throw new IllegalArgumentException("--congested " + congestion
            + ": expected true, false or auto");
      }
      NodeConfig base = new NodeConfig(id, seeds.get(0), a.integer("keys", 20, 1, 10_000),
          Mode.parse(a.string("mode", "broken")), false,
          a.integer("workers", NodeConfig.DEFAULT_WORKERS, 1, 64),
          a.longValue("metadata-wait-ms", NodeConfig.DEFAULT_METADATA_WAIT_MILLIS),
          a.bool("log-ops", false));
      return new Options(base, seeds, many, a.integer("nodes", 3, 1, 99), congestion,
          a.integer("port", 0, 0, 65_535), a.bool("await-start", false),
          a.bool("exit-when-done", many), a.bool("print-raw", many),
          a.bool("stop-on-stdin-eof", false), Duration.ofMillis(a.longValue("timeout-ms", 60_000)));
    }

    /** Whether this node is the congested one for {@code seed}. */
    boolean congested(long seed) {
      return congestion.equals("auto")
          ? Workload.congestedNode(seed, nodes).equals(base.id()) : Boolean.parseBoolean(congestion);
    }
  }

  private final Options options;
  private final PrintStream out;
  private final NodeLog log;
  private final AtomicReference<Node> current = new AtomicReference<>();
  private final NodeControl control = new NodeControl();

  private NodeCommand(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.log = new NodeLog(out, options.base().logOps());
  }

  /**
   * Runs the command.
   *
   * @return the process exit code
   */
  public static int run(List<String> argv, PrintStream out) throws IOException, InterruptedException {
    return new NodeCommand(Options.parse(argv), out).run();
  }

  private int run() throws IOException, InterruptedException {
    String id = options.base().id();
    try (NodeServer server = NodeServer.start(id, options.port(), current, control)) {
      if (options.stopOnStdinEof()) {
        watchStdin(System.in, out, id);
      }
      List<Long> seeds = options.seeds();
      for (int i = 0; i < seeds.size(); i++) {
        boolean first = i == 0;
        boolean last = i == seeds.size() - 1;
        NodeConfig config = options.base().forSeed(seeds.get(i), options.congested(seeds.get(i)));
        if (first) {
          Warmup.run(config, log);
          out.println(Protocol.line(Protocol.LISTENING, "node", id, "host", server.host(),
              "port", Integer.toString(server.port()), "token", server.token(),
              "pid", Long.toString(ProcessHandle.current().pid()),
              "agent", Boolean.toString(RaceTrace.isActive())));
        }
        // Awaited before the node is built: its worker threads then start at POST /start, so an
        // agent attached while the node waited sees their loops (a loop already running when
        // racetrace attaches keeps the code it started with).
        OptionalLong startAt = first && options.awaitStart() ? awaitStart() : OptionalLong.empty();
        if (first && options.awaitStart() && startAt.isEmpty()) {
          return 0; // a shutdown came instead of a start
        }
        Node node = boot(config);
        OptionalLong startNanos = startAt.isPresent() ? startAt : OptionalLong.of(System.nanoTime());
        try {
          if (!runLog(node, startNanos.getAsLong())) {
            return 1;
          }
        } finally {
          if (!last || options.exitWhenDone() || control.shutdownRequested()) {
            node.close();
          }
        }
        if (control.shutdownRequested()) {
          return 0;
        }
      }
      if (!options.exitWhenDone()) {
        control.awaitShutdown();
        current.get().close();
      }
    }
    return 0;
  }

  /** Creates and starts the node for one seed. */
  private Node boot(NodeConfig config) throws InterruptedException {
    long seed = config.seed();
    Node node = new Node(config, log);
    current.set(node);
    // Marks where this seed's events begin in the node's spans, so a multi-seed run can be
    // analysed one seed at a time (a no-op without the agent).
    RaceTrace.mark("seed-start", "seed-" + seed);
    node.start(Workload.generate(seed, config.keys()).snapshot());
    return node;
  }

  /**
   * Waits for {@code POST /start} ({@code --await-start}) and says when the first log starts, on
   * this JVM's monotonic clock.
   *
   * @return empty when a shutdown came instead of a start
   */
  private OptionalLong awaitStart() throws InterruptedException {
    OptionalLong at = control.awaitStart();
    if (at.isEmpty()) {
      return OptionalLong.empty();
    }
    // The wall-clock start shared by all nodes. A start that has already passed begins now:
    // replaying overdue operations back to back would congest this node too.
    long aheadMillis = at.getAsLong() - System.currentTimeMillis();
    if (aheadMillis < 0) {
      log.info("start time passed " + -aheadMillis + " ms ago; starting the log now");
    }
    return OptionalLong.of(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, aheadMillis)));
  }

  /**
   * Replays the seed's log on {@code node} and reports it.
   *
   * @return false when the log did not finish in time
   */
  private boolean runLog(Node node, long startNanos) throws InterruptedException {
    NodeConfig c = node.config();
    Workload workload = Workload.generate(c.seed(), c.keys());
    if (!options.many()) {
      log.info("input log: seed " + c.seed() + ", " + c.keys() + " keys, mode " + c.mode().cliName()
          + (c.congested() ? ", congested: a burst of " + Workload.BURST_JOBS
          + " compaction jobs hits the work queue at +" + workload.burstAtMillis() + " ms"
          : ", not congested"));
    }
    node.replay(workload.schedule(c.congested()), startNanos);
    if (!node.awaitFinished(options.timeout())) {
      out.println(Protocol.line(Protocol.ERROR, "node", c.id(), "seed", Long.toString(c.seed()),
          "message", "seed " + c.seed() + " did not finish within " + options.timeout().toMillis()
          + " ms: " + node.status()));
      return false;
    }
    NodeStatus st = node.status();
    out.println(Protocol.line(Protocol.DONE, "node", c.id(), "seed", Long.toString(c.seed()),
        "ops", Integer.toString(st.completed()), "failed", Integer.toString(st.failed()),
        "congested", Boolean.toString(c.congested()),
        "maxWaitForegroundMs", Long.toString(node.foregroundWaitMillis()),
        "maxWaitBackgroundMs", Long.toString(node.backgroundWaitMillis()),
        "intakeLateMs", Long.toString(node.intakeLateMillis()),
        "millis", Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos))));
    if (options.printRaw()) {
      out.println(Protocol.jsonLine(Protocol.RAW, rawJson(node, c.seed(), c.congested())));
    }
    return true;
  }

  /** One seed's persisted state as a JSON document. */
  static String rawJson(Node node, long seed, boolean congested) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("node", node.id());
    doc.put("seed", seed);
    doc.put("mode", node.config().mode().cliName());
    doc.put("congested", congested);
    doc.put("records", node.records().all().stream().map(r -> r.toRaw(node.id())).toList());
    return Json.write(doc);
  }

  /** Exits the JVM when stdin reaches end of file: the parent process is gone. */
  private static void watchStdin(InputStream in, PrintStream out, String id) {
    Thread t = new Thread(() -> {
      try {
        while (in.read() != -1) {
          // the parent writes nothing; we only wait for the pipe to close
        }
      } catch (IOException e) {
        // a broken pipe means the same as end of file
      }
      out.println(id + ": stdin closed, the process that started this node is gone; exiting");
      System.exit(0);
    }, id + "-stdin-watch");
    t.setDaemon(true);
    t.start();
  }
}
