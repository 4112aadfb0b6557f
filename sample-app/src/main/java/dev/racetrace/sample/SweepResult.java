package dev.racetrace.sample;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a sweep, one entry per seed.
 *
 * @param seeds per-seed outcomes, in seed order
 * @param pids the node processes' ids (all exited when the result is returned)
 */
public record SweepResult(List<SeedOutcome> seeds, Map<String, Long> pids) {
  /**
   * One seed.
   *
   * @param seed the seed
   * @param congestedNode the node the seed congested
   * @param divergence raw-state comparison across nodes
   */
  public record SeedOutcome(long seed, String congestedNode, DivergenceReport divergence) {
    /** Whether exactly one node diverged, on at least one key (and it is the same node on all). */
    public boolean oneNodeDiverged() {
      return divergence.oddNode().isPresent();
    }
  }

  /** Seeds where exactly one node diverged. */
  public List<SeedOutcome> withOneOddNode() {
    return seeds.stream().filter(SeedOutcome::oneNodeDiverged).toList();
  }

  /** Seeds with any divergent key. */
  public List<SeedOutcome> withDivergence() {
    return seeds.stream().filter(s -> !s.divergence().divergentKeys().isEmpty()).toList();
  }
}
