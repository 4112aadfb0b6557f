package dev.racetrace.junit;

/**
 * One run of a {@link RepeatedChaos} test; declare it as a test method parameter to use the run's
 * seed for the test's own random choices (so a replayed seed replays them too).
 *
 * @param index 1-based run number
 * @param runs how many runs were asked for
 * @param seed this run's jitter seed ({@code racetrace.delay.seed})
 */
public record ChaosRun(int index, int runs, long seed) {}
