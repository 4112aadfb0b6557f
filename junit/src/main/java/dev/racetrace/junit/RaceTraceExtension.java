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
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The extension behind {@link RaceTrace} (registered by it; not used directly). In the test JVM it
 * runs each annotated test in a forked JVM with the agent, and reports the fork's outcome as the
 * test's; in the fork it lets the test run. The test's {@code @BeforeEach}/{@code @AfterEach}
 * methods (and {@code @BeforeAll}/{@code @AfterAll} when the class is annotated) run in the fork
 * only.
 *
 * <p>Why a fork and not the agent attached to the running test JVM: a fork is exact. The agent
 * starts as in production, before any class of the code under test is loaded, with exactly the
 * annotation's configuration (which the agent reads once, at start), and its recorder is the only
 * copy of agent-core in the JVM. Attaching to the test JVM instead would have to retransform
 * classes already loaded, could not change the configuration between tests, and would leave the
 * application's own copy of {@code dev.racetrace.api.RaceTrace} (already loaded from the class
 * path) disconnected from the recorder. {@link RepeatedChaos} pays the start-up once for all its
 * runs.
 */
public final class RaceTraceExtension implements InvocationInterceptor {

  @Override
  public void interceptTestMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
    run(invocation, context);
  }

  @Override
  public void interceptTestTemplateMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
    run(invocation, context);
  }

  @Override
  public void interceptBeforeEachMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
    proceedInFork(invocation, raceTrace(context).isPresent());
  }

  @Override
  public void interceptAfterEachMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
    proceedInFork(invocation, raceTrace(context).isPresent());
  }

  @Override
  public void interceptBeforeAllMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
    proceedInFork(invocation, raceTrace(context).isPresent());
  }

  @Override
  public void interceptAfterAllMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
    proceedInFork(invocation, raceTrace(context).isPresent());
  }

  /** Lifecycle methods of forked tests run in the fork, not here. */
  private static void proceedInFork(Invocation<Void> invocation, boolean forked) throws Throwable {
    if (forked && !ForkProtocol.inFork()) {
      invocation.skip();
    } else {
      invocation.proceed();
    }
  }

  private static void run(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
    Optional<RaceTrace> trace = raceTrace(context);
    if (trace.isEmpty()) {
      invocation.proceed();
      return;
    }
    if (ForkProtocol.inFork()) {
      if (!dev.racetrace.api.RaceTrace.isActive()) {
        invocation.skip();
        throw new AssertionFailedError("racetrace-junit: the racetrace agent is not recording in the "
            + "forked JVM (see its 'racetrace:' line in the output); the test did not run");
      }
      invocation.proceed();
      return;
    }
    invocation.skip();
    new Fork(context, trace.get()).runAndReport();
  }

  /** The {@link RaceTrace} on the test method, else on its class or an enclosing one. */
  static Optional<RaceTrace> raceTrace(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Optional<AnnotatedElement> e = c.get().getElement();
      if (e.isPresent()) {
        Optional<RaceTrace> found = AnnotationSupport.findAnnotation(e.get(), RaceTrace.class);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  /** {@link InjectDelay} rules of the enclosing classes, the class, then the method. */
  static List<String> delays(ExtensionContext context) {
    List<List<String>> levels = new ArrayList<>();
    AnnotatedElement previous = null;
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Optional<AnnotatedElement> e = c.get().getElement();
      // A template invocation and its template share the method: count its rules once.
      if (e.isPresent() && !e.get().equals(previous)) {
        previous = e.get();
        List<String> rules = new ArrayList<>();
        AnnotationSupport.findRepeatableAnnotations(e.get(), InjectDelay.class).forEach(d -> rules.add(d.value()));
        levels.add(rules);
      }
    }
    Collections.reverse(levels);
    List<String> all = new ArrayList<>();
    levels.forEach(all::addAll);
    return all;
  }

  /** One fork of one test (or all runs of a {@link RepeatedChaos} test). */
  private static final class Fork {
    private final ExtensionContext context;
    private final RaceTrace trace;
    private final ChaosPlan chaos;
    private Path agent;

    Fork(ExtensionContext context, RaceTrace trace) {
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

      ForkConfig config = ForkConfig.of(trace, delays(context))
          .withDefault("racetrace.exporter", "file")
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
}
