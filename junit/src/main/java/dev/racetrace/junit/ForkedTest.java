package dev.racetrace.junit;

import dev.racetrace.junit.internal.AgentJar;
import dev.racetrace.junit.internal.BreakSummary;
import dev.racetrace.junit.internal.ChaosPlan;
import dev.racetrace.junit.internal.ChaosSeeds;
import dev.racetrace.junit.internal.ForkConfig;
import dev.racetrace.junit.internal.ForkProtocol;
import dev.racetrace.junit.internal.ForkResult;
import dev.racetrace.junit.internal.ForkedJvm;
import dev.racetrace.junit.internal.TestClassPath;
import dev.racetrace.junit.internal.TestRun;
import dev.racetrace.junit.internal.WorkDir;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * One test (or all runs of a {@link RepeatedChaos} test) in one forked JVM: builds the fork's
 * configuration from the annotations, starts it, and turns its result file into this test's
 * outcome: passes, rethrows an abort, or fails with the seed, the spans and the analyzer's first
 * ordering break.
 */
final class ForkedTest {
  private final ExtensionContext context;
  private final RaceTrace trace;
  private final ChaosPlan chaos;
  private Path agent;

  ForkedTest(ExtensionContext context, RaceTrace trace) {
    this.context = context;
    this.trace = trace;
    this.chaos = context.getParent()
        .map(p -> p.getStore(RepeatedChaosExtension.NAMESPACE).get(p.getUniqueId(), ChaosPlan.class))
        .orElse(null);
  }

  void runAndReport() throws Throwable {
    Method method = context.getRequiredTestMethod();
    String selected = chaos != null ? context.getParent().get().getUniqueId() : context.getUniqueId();
    String name = method.getName() + (chaos == null && context.getParent().flatMap(ExtensionContext::getTestMethod).isPresent()
        ? "-" + context.getDisplayName() : "");
    WorkDir work = WorkDir.prepare(context.getRequiredTestClass().getName(), name);
    List<String> classPath = TestClassPath.current();
    agent = AgentJar.locate(System.getProperty(AgentJar.PROPERTY), classPath);

    ForkConfig config = ForkConfig.of(trace, RaceTraceExtension.delays(context))
        .withDefault("racetrace.exporter", "otlp-json")
        .withDefault("otel.service.name", context.getRequiredTestClass().getSimpleName())
        .with("racetrace.out", work.spans().toAbsolutePath().toString());
    Long delaySeed = null;
    if (chaos != null) {
      config = config.with("racetrace.delay.seed", Long.toString(chaos.firstSeed()))
          .with(ForkProtocol.CHAOS_SEED, Long.toString(chaos.firstSeed()))
          .with(ForkProtocol.CHAOS_RUNS, Integer.toString(chaos.runs()));
    } else if (config.hasDelays()) {
      config = config.withDefault("racetrace.delay.seed", Long.toString(ChaosSeeds.random()));
      delaySeed = Long.parseLong(config.properties().get("racetrace.delay.seed"));
    }

    List<String> command = ForkedJvm.command(agent, classPath, config, selected,
        work.resultFile().toAbsolutePath());
    String shown = chaos != null ? context.getParent().get().getDisplayName() : context.getDisplayName();
    System.out.println("racetrace-junit: " + shown + " runs in a forked JVM with the agent"
        + (chaos != null ? "; " + chaos.runs() + " run(s), first seed " + chaos.firstSeed() : "")
        + (delaySeed != null ? "; racetrace.delay.seed=" + delaySeed : "") + "; files in " + work.dir());
    ForkedJvm.Exit exit = ForkedJvm.run(command, work.dir(), System.out);
    if (exit.timedOut() || !Files.isRegularFile(work.resultFile())) {
      throw new AssertionFailedError("racetrace-junit: the forked JVM "
          + (exit.timedOut() ? "was killed after " + ForkedJvm.TIMEOUT_PROPERTY + " seconds"
              : "exited with code " + exit.exitCode() + " without a result")
          + "; its output is in " + work.dir().resolve("fork.log") + ", last lines:\n  "
          + String.join("\n  ", exit.tail()));
    }
    ForkResult result = ForkResult.read(work.resultFile());
    try {
      if (chaos != null) {
        reportChaos(result, selected, work);
      } else {
        reportSingle(result, work, delaySeed);
      }
    } catch (AssertionFailedError e) {
      if (exit.agentLines().isEmpty()) {
        throw e;
      }
      // Say what the agent said (a bad key, "agent disabled") right in the failure.
      AssertionFailedError withAgent = new AssertionFailedError(e.getMessage() + "\n  agent: "
          + String.join("\n  agent: ", exit.agentLines()), e.getCause());
      withAgent.setStackTrace(e.getStackTrace());
      throw withAgent;
    }
  }

  private void reportSingle(ForkResult result, WorkDir work, Long delaySeed) throws Throwable {
    TestRun run = result.find(context.getUniqueId());
    if (run == null) {
      throw noRun(result, work);
    }
    switch (run.status()) {
      case SUCCESSFUL:
        return;
      case SKIPPED:
        throw new TestAbortedException("skipped in the forked JVM: " + run.reason());
      case ABORTED:
        Throwable a = run.failure();
        throw a != null ? a : new TestAbortedException("aborted in the forked JVM");
      default:
        String message = "@RaceTrace: " + context.getDisplayName() + " failed in the forked JVM"
            + (delaySeed != null ? "; delays with racetrace.delay.seed=" + delaySeed
                + " (replay: @RaceTrace(properties = \"racetrace.delay.seed=" + delaySeed + "\"))" : "")
            + details(run, work, Long.MIN_VALUE, Long.MAX_VALUE);
        throw report(message, run.failure());
    }
  }

  private void reportChaos(ForkResult result, String templateId, WorkDir work) throws Throwable {
    List<TestRun> runs = result.testsUnder(templateId);
    for (TestRun run : runs) {
      if (run.status() != TestRun.Status.FAILED) {
        continue;
      }
      long seed = run.entry(ForkProtocol.ENTRY_SEED, 0);
      String message = "@RepeatedChaos: run " + run.entry(ForkProtocol.ENTRY_RUN, 0) + " of " + chaos.runs()
          + " failed with seed " + seed + " (first seed " + chaos.firstSeed() + ")"
          + "\n  replay exactly this run: @RepeatedChaos(runs = 1, seed = " + seed + "L) or -D"
          + ChaosSeeds.REPLAY_PROPERTY + "=" + seed
          + details(run, work, run.entry(ForkProtocol.ENTRY_FROM, Long.MIN_VALUE),
              run.entry(ForkProtocol.ENTRY_TO, Long.MAX_VALUE));
      throw report(message, run.failure());
    }
    long passed = runs.stream().filter(r -> r.status() == TestRun.Status.SUCCESSFUL).count();
    if (passed != chaos.runs()) {
      TestRun container = result.failedContainer();
      AssertionFailedError e = new AssertionFailedError("@RepeatedChaos: " + passed + " of " + chaos.runs()
          + " runs passed in the forked JVM and none failed (" + runs.size() + " reported); see "
          + work.dir().resolve("fork.log"), container == null ? null : container.failure());
      throw e;
    }
    System.out.println("racetrace-junit: " + context.getParent().get().getDisplayName() + ": all "
        + chaos.runs() + " runs passed (first seed " + chaos.firstSeed() + ")");
  }

  private String details(TestRun run, WorkDir work, long from, long to) {
    Throwable f = run.failure();
    String window = from == Long.MIN_VALUE ? "" : " --from " + instant(from) + " --to " + instant(to);
    return "\n  failure: " + (f == null ? "(no exception)" : firstLines(String.valueOf(f), 6))
        + "\n  spans: " + work.spans()
        + "\n  full report: java -jar " + agent + " analyze " + work.spans() + window + " --html "
        + work.dir().resolve("report.html")
        + "\n  first ordering break (analyzer):\n    "
        + BreakSummary.of(work.spans(), from, to).replace("\n", "\n    ");
  }

  private static String instant(long epochNanos) {
    return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L))
        .toString();
  }

  /** Up to {@code max} non-blank lines of {@code text}, indented under "failure:". */
  private static String firstLines(String text, int max) {
    StringBuilder sb = new StringBuilder();
    int n = 0;
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (n == max) {
        sb.append("\n    ...");
        break;
      }
      sb.append(n == 0 ? "" : "\n    ").append(line.strip());
      n++;
    }
    return sb.toString();
  }

  private static AssertionFailedError report(String message, Throwable cause) {
    System.err.println(message);
    return new AssertionFailedError(message, cause);
  }

  private AssertionFailedError noRun(ForkResult result, WorkDir work) {
    TestRun container = result.failedContainer();
    return new AssertionFailedError("racetrace-junit: the forked JVM did not run " + context.getUniqueId()
        + (container != null ? "; " + container.displayName() + " failed" : "") + "; see "
        + work.dir().resolve("fork.log"), container == null ? null : container.failure());
  }
}
