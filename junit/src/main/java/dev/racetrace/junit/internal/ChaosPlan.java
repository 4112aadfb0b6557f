package dev.racetrace.junit.internal;

import dev.racetrace.junit.RepeatedChaos;

/**
 * The runs a {@code @RepeatedChaos} test makes: how many, and the first seed, after the replay
 * property and {@link RepeatedChaos#RANDOM} are resolved.
 *
 * @param runs number of runs
 * @param firstSeed seed of run 1
 * @param replay whether {@value ChaosSeeds#REPLAY_PROPERTY} chose them
 */
public record ChaosPlan(int runs, long firstSeed, boolean replay) {
  /**
   * @param replayProperty the value of {@value ChaosSeeds#REPLAY_PROPERTY}, or null
   * @throws IllegalArgumentException {@code runs < 1} or a replay value that is not a long
   */
  public static ChaosPlan resolve(RepeatedChaos chaos, String replayProperty) {
    if (replayProperty != null && !replayProperty.isBlank()) {
      try {
        return new ChaosPlan(1, Long.parseLong(replayProperty.trim()), true);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(ChaosSeeds.REPLAY_PROPERTY + "=" + replayProperty + ": not a long");
      }
    }
    if (chaos.runs() < 1) {
      throw new IllegalArgumentException("@RepeatedChaos(runs = " + chaos.runs() + "): runs must be at least 1");
    }
    long seed = chaos.seed() == RepeatedChaos.RANDOM ? ChaosSeeds.random() : chaos.seed();
    return new ChaosPlan(chaos.runs(), seed, false);
  }
}
