package dev.racetrace.junit.internal;

import java.util.SplittableRandom;

/**
 * The seed chain of {@code @RepeatedChaos}: run 1 uses the given seed, every next run
 * {@link #next} of the previous one. A chain started at any run's seed therefore begins with
 * exactly that run, which is what makes {@code @RepeatedChaos(runs = 1, seed = <printed>)} a replay.
 */
public final class ChaosSeeds {
  /** System property that replays one seed: every selected {@code @RepeatedChaos} test runs once with it. */
  public static final String REPLAY_PROPERTY = "racetrace.chaos.replay";

  private ChaosSeeds() {}

  /** The seed of the run after the one that used {@code seed} (SplitMix64's finalizer). */
  public static long next(long seed) {
    long z = seed + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The seed of run {@code index} (1-based) of the chain starting at {@code first}. */
  public static long ofRun(long first, int index) {
    long s = first;
    for (int i = 1; i < index; i++) {
      s = next(s);
    }
    return s;
  }

  /** A fresh seed, for {@code RepeatedChaos.RANDOM}. Never {@link Long#MIN_VALUE}. */
  public static long random() {
    long s = new SplittableRandom().nextLong();
    return s == Long.MIN_VALUE ? 0 : s;
  }
}
