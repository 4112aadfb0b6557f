package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.programs.PriceCacheProgram;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConditionGuardIT}'s race with the guard written as {@code synchronized} +
 * {@code Object.wait}: {@link PriceCacheProgram} in its {@code monitor} variant, a
 * {@code wait(millis)} loop when broken or healthy, a {@code wait()} loop when fixed. The monitor
 * exit after the loop is the predicate check (the proceed point): broken seeds name the expired
 * timed wait on the monitor, fixed seeds show no break and a guaranteed order, healthy seeds show
 * no break and "held by timing", never "guaranteed". A loop that found the key warm without
 * waiting, after the warm-up's notify but before the warm-up's task ended, is ordered by the
 * notify → check edge under the monitor (CI once saw a fixed seed reported as a break without it).
 * Seeds are 1..SEEDS, named on failure.
 */
class MonitorGuardIT {
  private static final String MONITOR = "PriceCacheProgram$PriceCache.warmedMonitor";
  private static final int SEEDS = 10;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path dir; // kept for diagnosis on failure

  private static Path cluster(String name, String mode) throws Exception {
    return ConditionGuardIT.cluster(dir.resolve(name), mode, SEEDS, true, false, true);
  }

  @Test
  void brokenSeedsNameTheFirstBreakAndTheExpiredWaitOnTheMonitor() throws Exception {
    Path run = cluster("broken", "broken");
    List<String> wrong =
        ConditionGuardIT.brokenSeedsDiagnosedWrongly(run, SEEDS, "monitor.wait", MONITOR, dir);
    SpanFile spans = SpanFile.readDir(run.resolve("spans"));
    assertThat(spans.where(s -> "condition.check".equals(s.event())))
        .as("the predicate checks at the monitor exits").isNotEmpty()
        .allSatisfy(s -> {
          assertThat(s.str("race.guard.kind")).isEqualTo("monitor");
          assertThat(s.str("race.guard.object")).isEqualTo(MONITOR);
        });
    assertThat(wrong).as("seeds diagnosed wrongly (files in %s)", dir).isEmpty();
  }

  @Test
  void fixedSeedsShowNoBreakAndTheirOrderIsGuaranteedUnderTheMonitor() throws Exception {
    ConditionGuardIT.assertFixedSeedsCleanAndGuaranteed(cluster("fixed", "fixed"), SEEDS, dir);
  }

  @Test
  void healthySeedsShowNoBreakAndTheTimedLoopIsNeverCalledGuaranteed() throws Exception {
    // a timed loop is "held by timing (timed wait, ...)" whether it waited or found the key
    // warm after the notify; with no notify before it, "held by timing, not enforced"
    ConditionGuardIT.assertHealthySeedsCleanAndNeverGuaranteed(cluster("healthy", "healthy"), SEEDS,
        "held by timing", dir);
  }
}
