package dev.racetrace.sample.chaos;

import dev.racetrace.junit.ChaosRun;
import dev.racetrace.junit.RepeatedChaos;
import dev.racetrace.sample.node.Mode;
import org.junit.jupiter.api.BeforeAll;

/**
 * The fix, proven the way DESIGN.md asks: fixed mode under jitter injected at the exact failing
 * point, 1000 seeded runs in one forked JVM with the agent, not one divergent value. The same
 * test on broken mode fails ({@link BrokenModeChaosTest}).
 */
@SampleStoreChaos
class FixedModeChaosTest {
  @BeforeAll
  static void warmUp() throws InterruptedException {
    OneNodeRun.warmUp(Mode.FIXED);
  }

  @RepeatedChaos(runs = 1000, seed = 2026)
  void fixedModeKeepsEveryKeyInOrderUnderJitter(ChaosRun run) throws InterruptedException {
    OneNodeRun.assertInOrder(Mode.FIXED, run.seed());
  }
}
