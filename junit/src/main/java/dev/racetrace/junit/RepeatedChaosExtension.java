package dev.racetrace.junit;

import dev.racetrace.junit.internal.ChaosPlan;
import dev.racetrace.junit.internal.ChaosSeeds;
import dev.racetrace.junit.internal.ForkProtocol;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link RepeatedChaos} (registered by it; not used directly). In the test
 * JVM it makes one invocation, which {@link RaceTraceExtension} runs in a fork; in the fork it
 * makes the runs, one per seed of the chain, and stops after the first failing run.
 */
public final class RepeatedChaosExtension implements TestTemplateInvocationContextProvider {
  static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RepeatedChaosExtension.class);

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, RepeatedChaos.class)).orElse(false);
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
    RepeatedChaos chaos = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), RepeatedChaos.class)
        .orElseThrow();
    if (ForkProtocol.inFork()) {
      return runs(Integer.getInteger(ForkProtocol.CHAOS_RUNS, chaos.runs()),
          Long.getLong(ForkProtocol.CHAOS_SEED, chaos.seed()));
    }
    if (RaceTraceExtension.raceTrace(context).isEmpty()) {
      throw new ExtensionConfigurationException("@RepeatedChaos needs @RaceTrace on the test method or its class");
    }
    ChaosPlan plan;
    try {
      plan = ChaosPlan.resolve(chaos, System.getProperty(ChaosSeeds.REPLAY_PROPERTY));
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(e.getMessage());
    }
    context.getStore(NAMESPACE).put(context.getUniqueId(), plan);
    String name = (plan.replay() ? "replay of seed " + plan.firstSeed()
        : plan.runs() + " runs from seed " + plan.firstSeed()) + " in a forked JVM";
    return Stream.of(invocation(name, new ChaosRun(0, plan.runs(), plan.firstSeed()), null));
  }

  /** The fork's runs: lazily, so that none starts after a failed one. */
  private static Stream<TestTemplateInvocationContext> runs(int runs, long firstSeed) {
    AtomicBoolean failed = new AtomicBoolean();
    long[] next = {firstSeed};
    return IntStream.rangeClosed(1, runs)
        .takeWhile(i -> !failed.get())
        .mapToObj(i -> {
          long seed = next[0];
          next[0] = ChaosSeeds.next(seed);
          ChaosRun run = new ChaosRun(i, runs, seed);
          return invocation("run " + i + " of " + runs + " (seed " + seed + ")", run, new ChaosRunExtension(run, failed));
        });
  }

  private static TestTemplateInvocationContext invocation(String name, ChaosRun run, Extension inFork) {
    return new TestTemplateInvocationContext() {
      @Override
      public String getDisplayName(int invocationIndex) {
        return name;
      }

      @Override
      public List<Extension> getAdditionalExtensions() {
        return inFork == null ? List.of(new ChaosRunParameter(run)) : List.of(new ChaosRunParameter(run), inFork);
      }
    };
  }

  /** Resolves a {@link ChaosRun} test method parameter. */
  private static final class ChaosRunParameter implements ParameterResolver {
    private final ChaosRun run;

    ChaosRunParameter(ChaosRun run) {
      this.run = run;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == ChaosRun.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return run;
    }
  }
}
