package dev.racetrace.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.junit.fixture.PipelineScenarios;
import dev.racetrace.junit.internal.ChaosSeeds;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Events;

/** {@code @RepeatedChaos} end to end, through EngineTestKit and a forked JVM with the agent. */
class RepeatedChaosTest {

  private static Throwable failure(Events events) {
    return events.failed().list().get(0).getPayload(TestExecutionResult.class).orElseThrow()
        .getThrowable().orElseThrow();
  }

  @Test
  void theFixedPipelinePassesEveryRunUnderJitter() throws Exception {
    RaceTraceExtensionTest.run("fixedPipelineUnderChaos").assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    String log = Files.readString(Paths.get("target", "racetrace-junit", PipelineScenarios.class.getName(),
        "fixedPipelineUnderChaos", "fork.log"));
    assertThat(log).as("the agent's start line in the fork")
        .contains("DELAYS INJECTED: op:load=0ms~3ms (racetrace.delay.seed=42)");
  }

  @Test
  void theBrokenPipelineFailsWithTheSeedAndTheFirstOrderingBreak() {
    Events events = RaceTraceExtensionTest.run("brokenPipelineUnderChaos");
    events.assertStatistics(s -> s.started(1).failed(1));
    Throwable t = failure(events);
    assertThat(t.getMessage())
        .containsPattern("@RepeatedChaos: run \\d+ of 100 failed with seed -?\\d+ \\(first seed 42\\)")
        .containsPattern("replay exactly this run: @RepeatedChaos\\(runs = 1, seed = -?\\d+L\\) or -Dracetrace.chaos.replay=-?\\d+")
        .containsPattern("full report: java -jar \\S+\\.jar analyze \\S+spans --from \\S+Z --to \\S+Z --html \\S+report.html")
        .contains("4. FIRST ORDERING BREAK")
        .contains("expected   load < use  (rule)")
        .contains("RESULT: ordering break on");
    assertThat(t.getCause()).as("the test's own assertion").isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected:");
  }

  @Test
  void withoutRaceTraceItIsAConfigurationError() {
    Events events = org.junit.platform.testkit.engine.EngineTestKit.engine("junit-jupiter")
        .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod(
            dev.racetrace.junit.fixture.ChaosWithoutRaceTraceScenario.class, "noAgentConfiguration"))
        .execute().containerEvents();
    Throwable t = failure(events);
    assertThat(t).isInstanceOf(org.junit.jupiter.api.extension.ExtensionConfigurationException.class)
        .hasMessage("@RepeatedChaos needs @RaceTrace on the test method or its class");
  }

  @Test
  void theFailingRunsSeedIsPrintedAndReplaysAsThatRun() {
    long expected = 43;
    int index = 1;
    while (Math.floorMod(expected, 3) != 0) {
      expected = ChaosSeeds.next(expected);
      index++;
    }
    assertThat(index).as("the failing run is not the first, so the chain is exercised").isGreaterThan(1);
    Events events = RaceTraceExtensionTest.run("failsWhenTheSeedIsAMultipleOfThree", ChaosRun.class.getName());
    assertThat(failure(events)).hasMessageContaining("@RepeatedChaos: run " + index + " of 20 failed with seed "
        + expected + " (first seed 43)");

    System.setProperty(ChaosSeeds.REPLAY_PROPERTY, Long.toString(expected));
    try {
      Events replay = RaceTraceExtensionTest.run("failsWhenTheSeedIsAMultipleOfThree", ChaosRun.class.getName());
      assertThat(replay.failed().list().get(0).getTestDescriptor().getDisplayName())
          .isEqualTo("replay of seed " + expected + " in a forked JVM");
      assertThat(failure(replay)).hasMessageContaining("@RepeatedChaos: run 1 of 1 failed with seed " + expected
          + " (first seed " + expected + ")");
    } finally {
      System.clearProperty(ChaosSeeds.REPLAY_PROPERTY);
    }
  }
}
