package dev.racetrace.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.sample.node.Mode;
import dev.racetrace.sample.node.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fixed mode, real node processes, the same congestion: 100 seeded runs, no divergent key, and
 * every node holds the value of applying each key's log in order.
 */
class FixedModeTest {
  @Test
  void noDivergenceIn100SeededRuns() throws Exception {
    int keys = 12;
    SweepResult r = SweepRunner.run(SweepOptions.defaults().withSeeds("1..100").withKeys(keys)
        .withMode(Mode.FIXED).withAgent("none").withConsole(System.out));
    assertThat(r.seeds()).hasSize(100);
    List<String> problems = new ArrayList<>();
    for (SweepResult.SeedOutcome s : r.seeds()) {
      Map<String, String> expected = Workload.generate(s.seed(), keys).expectedValues();
      for (var row : s.divergence().rows()) {
        row.byNode().forEach((node, rec) -> {
          if (!expected.get(row.key()).equals(rec.value())) {
            problems.add("seed " + s.seed() + " (congested " + s.congestedNode() + "): " + node + " "
                + row.key() + "=" + rec.value() + ", expected " + expected.get(row.key()));
          }
        });
      }
    }
    assertThat(problems).as("wrong values in fixed mode").isEmpty();
    assertThat(r.withDivergence()).as("seeds with divergent keys").isEmpty();
    ProcessChecks.assertGone(r.pids().values(), "fixed sweep");
    ProcessChecks.assertNoLiveChildren("fixed sweep");
  }
}
