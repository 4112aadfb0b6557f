package dev.racetrace.bench.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTest {

  @Test
  void parsesKindAndKeyValues() {
    Results r = Results.parse(List.of(
        "workload config=none rep=1 ops_per_s=100 checksum=ab",
        "# a comment",
        "",
        "workload config=none rep=2 ops_per_s=300",
        "workload config=otel rep=1 ops_per_s=50"));

    List<Results.Row> none = r.of("workload", "config", "none");

    assertThat(none).hasSize(2);
    assertThat(none.get(0).get("checksum")).isEqualTo("ab");
    assertThat(Results.values(none, "ops_per_s")).containsExactly(100, 300);
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Results.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(Results.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    assertThat(Results.median(new double[0])).isNaN();
  }
}
