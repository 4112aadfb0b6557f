package dev.racetrace.sample;

import dev.racetrace.sample.cli.Args;
import dev.racetrace.sample.node.Mode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Entry point of {@code racetrace-sample-app.jar}: {@code demo}, {@code node}, {@code sweep}.
 */
public final class Main {
  static final String USAGE = String.join("\n",
      "usage: java -jar racetrace-sample-app.jar <command> [options]",
      "",
      "commands:",
      "  demo    start the nodes (with the racetrace agent if built), run the seeded input log,",
      "          read every node's raw state, print the divergence table, run the analyzer",
      "  node    run one node of the store in this JVM (see 'node --help')",
      "  sweep   run many seeds on real node processes and count divergent runs",
      "",
      "demo options:",
      "  --seed N              seed of the input log and of the congestion (default 16)",
      "  --keys N              entities in the log (default 20)",
      "  --mode broken|fixed   broken: the guards as shipped; fixed: per-key dependency gate",
      "  --out DIR             output directory (default ./racetrace-demo)",
      "  --nodes N             node processes (default 3)",
      "  --reconcile           run last-writer-wins anti-entropy afterwards (amplification)",
      "  --agent PATH|none     the agent jar (default: racetrace-agent.jar next to this jar or",
      "                        in the working directory, else agent/target/racetrace-agent.jar",
      "                        looked up from both); not found: the demo stops with exit 3;",
      "                        none: the race runs unrecorded",
      "  --workers N           worker threads per node (default 2)",
      "  --zipkin URL          also send the spans to Zipkin (http://127.0.0.1:9411)",
      "  --otlp-json           the nodes write OTLP JSON span files (racetrace.exporter=otlp-json)",
      "                        instead of binary journals, the agent's default (--journal)",
      "  --log-ops             nodes log every operation",
      "  --skip-analyzer       do not run the analyzer",
      "",
      "sweep options:",
      "  --seeds A..B          seeds (default 1..20)",
      "  --keys N, --mode M, --nodes N, --workers N, --agent PATH|none (default none),",
      "  --out DIR             where spans go with an agent (default ./racetrace-sweep)");

  /** Exit code of {@code demo} when the agent jar is wanted and not found. */
  static final int AGENT_MISSING = 3;
  private static final Set<String> DEMO_OPTIONS = Set.of("seed", "keys", "mode", "out", "nodes",
      "reconcile", "agent", "workers", "log-ops", "skip-analyzer", "zipkin", "journal",
      "otlp-json");
  private static final Set<String> DEMO_FLAGS = Set.of("reconcile", "log-ops", "skip-analyzer", "journal",
      "otlp-json");
  private static final Set<String> SWEEP_OPTIONS = Set.of("seeds", "keys", "mode", "nodes",
      "workers", "agent", "out");

  private Main() {}

  public static void main(String[] argv) {
    System.exit(run(Arrays.asList(argv), System.out, System.err));
  }

  /** Runs a command; returns the exit code. */
  static int run(List<String> argv, PrintStream out, PrintStream err) {
    if (argv.isEmpty() || Set.of("help", "--help", "-h").contains(argv.get(0))) {
      out.println(USAGE);
      return argv.isEmpty() ? 2 : 0;
    }
    String command = argv.get(0);
    List<String> rest = argv.subList(1, argv.size());
    try {
      if (rest.contains("--help")) {
        out.println(command.equals("node") ? NodeCommand.USAGE : USAGE);
        return 0;
      }
      switch (command) {
        case "demo":
          return demo(rest, out);
        case "node":
          return NodeCommand.run(rest, out);
        case "sweep":
          return sweep(rest, out);
        default:
          err.println("unknown command '" + command + "'\n" + USAGE);
          return 2;
      }
    } catch (IllegalArgumentException e) {
      err.println(command + ": " + e.getMessage());
      return 2;
    } catch (NodeFailedException e) {
      err.println(command + " failed: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println(command + " interrupted");
      return 130;
    } catch (Exception e) {
      err.println(command + " failed: " + e);
      return 1;
    }
  }

  private static int demo(List<String> argv, PrintStream out) throws Exception {
    Args a = Args.parse(argv, DEMO_OPTIONS, DEMO_FLAGS);
    DemoOptions o = DemoOptions.builder()
        .seed(a.longValue("seed", DemoOptions.DEFAULT_SEED))
        .keys(a.integer("keys", 20, 1, 10_000))
        .mode(Mode.parse(a.string("mode", "broken")))
        .out(Path.of(a.string("out", "racetrace-demo")))
        .nodes(a.integer("nodes", 3, 1, 9))
        .reconcile(a.bool("reconcile", false))
        .agent(a.string("agent").orElse(null))
        .zipkin(a.string("zipkin").orElse(null))
        .journal(!a.bool("otlp-json", false))
        .workers(a.integer("workers", 2, 1, 64))
        .logOps(a.bool("log-ops", false))
        .runAnalyzer(!a.bool("skip-analyzer", false))
        .console(out)
        .build();
    AgentJar agent = AgentJar.locate(o.agent(), o.workingDir());
    if (agent.missing()) {
      // Outside the repository without the agent jar: say so and fail, rather than run a race
      // nobody records and exit 0 (a script would take that for success).
      out.println("demo: " + agent.problem().get());
      out.println("demo: not run: without the agent nothing would be recorded (exit "
          + AGENT_MISSING + ")");
      return AGENT_MISSING;
    }
    DemoRunner.run(o);
    return 0;
  }

  private static int sweep(List<String> argv, PrintStream out) throws Exception {
    Args a = Args.parse(argv, SWEEP_OPTIONS, Set.of());
    SweepOptions o = SweepOptions.defaults()
        .withSeeds(a.string("seeds", "1..20"))
        .withKeys(a.integer("keys", 12, 1, 10_000))
        .withMode(Mode.parse(a.string("mode", "broken")))
        .withNodes(a.integer("nodes", 3, 1, 9))
        .withWorkers(a.integer("workers", 2, 1, 64))
        .withAgent(a.string("agent", AgentJar.NONE))
        .withSpansDir(Path.of(a.string("out", "racetrace-sweep")).resolve("spans"))
        .withConsole(out)
        .withTimeout(Duration.ofMinutes(30));
    SweepResult r = SweepRunner.run(o);
    out.print(SweepRunner.describe(r));
    return 0;
  }
}
