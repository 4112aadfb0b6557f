package dev.racetrace.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.sample.node.Mode;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Broken mode, real node processes, no agent: in at least 95% of 20 seeded runs exactly one node
 * (the congested one) diverges, on at least one key.
 */
class BrokenModeRaceTest {
  @Test
  void exactlyTheCongestedNodeDivergesInAtLeast95PercentOfRuns() throws Exception {
    SweepResult r = SweepRunner.run(SweepOptions.defaults().withSeeds("1..20").withKeys(12)
        .withMode(Mode.BROKEN).withAgent("none").withConsole(System.out));
    List<SweepResult.SeedOutcome> raced = r.seeds().stream()
        .filter(s -> s.divergence().oddNode().equals(Optional.of(s.congestedNode())))
        .collect(Collectors.toList());
    String misses = r.seeds().stream().filter(s -> !raced.contains(s))
        .map(s -> "seed " + s.seed() + " (congested " + s.congestedNode() + ", divergent keys "
            + s.divergence().divergentKeys() + ", odd nodes " + s.divergence().oddCounts() + ")")
        .collect(Collectors.joining("; "));
    assertThat(r.seeds()).hasSize(20);
    assertThat(raced.size()).as("seeds where exactly the congested node diverged; misses: %s\n%s",
        misses, SweepRunner.describe(r)).isGreaterThanOrEqualTo(19);
    ProcessChecks.assertGone(r.pids().values(), "broken sweep");
    ProcessChecks.assertNoLiveChildren("broken sweep");
  }
}
