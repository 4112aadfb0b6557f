package dev.racetrace.sample.chaos;

import dev.racetrace.junit.ChaosRun;
import dev.racetrace.junit.RepeatedChaos;
import dev.racetrace.sample.node.Mode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * {@link FixedModeChaosTest} on broken mode: expected to fail. Run by {@link BrokenModeChaosTest}
 * through EngineTestKit (its "scenario" tag keeps Surefire from running it directly).
 */
@SampleStoreChaos
@Tag("scenario")
class BrokenModeChaosScenario {
  @BeforeAll
  static void warmUp() throws InterruptedException {
    OneNodeRun.warmUp(Mode.BROKEN);
  }

  @RepeatedChaos(runs = 1000, seed = 2026)
  void brokenModeUnderTheSameJitter(ChaosRun run) throws InterruptedException {
    OneNodeRun.assertInOrder(Mode.BROKEN, run.seed());
  }
}
