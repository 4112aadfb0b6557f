package dev.racetrace.sample.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.racetrace.junit.ChaosRun;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The fixed-mode chaos test on broken mode fails, and its failure says what a developer needs:
 * the seed to replay, and the analyzer's first ordering break in that run (derive before its
 * load-metadata, let through by a guard that does not cover it).
 */
class BrokenModeChaosTest {
  @Test
  void failsWithTheSeedAndTheFirstOrderingBreak() {
    Events events = EngineTestKit.engine("junit-jupiter")
        .selectors(selectMethod(BrokenModeChaosScenario.class, "brokenModeUnderTheSameJitter", ChaosRun.class.getName()))
        .execute().testEvents();
    events.assertStatistics(s -> s.started(1).failed(1));
    Throwable t = events.failed().list().get(0).getPayload(TestExecutionResult.class).orElseThrow()
        .getThrowable().orElseThrow();
    String message = t.getMessage();
    Matcher m = Pattern.compile("@RepeatedChaos: run (\\d+) of 1000 failed with seed (-?\\d+) \\(first seed 2026\\)")
        .matcher(message);
    assertThat(m.find()).as("run and seed in:\n%s", message).isTrue();
    String seed = m.group(2);
    assertThat(message)
        .contains("replay exactly this run: @RepeatedChaos(runs = 1, seed = " + seed + "L) or -Dracetrace.chaos.replay=" + seed)
        .contains("seed " + seed + ", BROKEN mode: each key's value against applying its log in order")
        .contains("4. FIRST ORDERING BREAK")
        .contains("expected   load-metadata < derive < publish  (rule)")
        .containsPattern("RESULT: ordering break on \\S+ for key-\\d+: derive before load-metadata");
  }
}
