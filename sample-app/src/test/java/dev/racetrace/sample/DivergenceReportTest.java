package dev.racetrace.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.sample.wire.RawRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DivergenceReportTest {
  private static final List<String> NODES = List.of("node-1", "node-2", "node-3");

  @Test
  void classifiesAgreementOneOddAndSeveral() {
    Map<String, Map<String, RawRecord>> state = new LinkedHashMap<>();
    put(state, "agree", "10", "10", "10");
    put(state, "odd", "10", "12", "10");
    put(state, "several", "1", "2", "3");
    DivergenceReport r = DivergenceReport.of(NODES, List.of("agree", "odd", "several"), state);
    assertThat(r.rows()).extracting(DivergenceReport.Row::agreement).containsExactly(
        DivergenceReport.Agreement.AGREE, DivergenceReport.Agreement.ONE_ODD,
        DivergenceReport.Agreement.SEVERAL);
    assertThat(r.rows().get(1).oddNode()).contains("node-2");
    assertThat(r.divergentKeys()).containsExactly("odd", "several");
    assertThat(r.oddNode()).as("not every divergent key has the same single odd node").isEmpty();
  }

  @Test
  void theRaceSignatureIsOneOddNodeOnEveryDivergentKey() {
    Map<String, Map<String, RawRecord>> state = new LinkedHashMap<>();
    put(state, "a", "10", "12", "10");
    put(state, "b", "7", "7", "7");
    put(state, "c", "5", "6", "5");
    DivergenceReport r = DivergenceReport.of(NODES, List.of("a", "b", "c"), state);
    assertThat(r.oddNode()).contains("node-2");
    assertThat(r.oddCounts()).containsEntry("node-2", 2);
  }

  @Test
  void aMissingRecordDiverges() {
    Map<String, Map<String, RawRecord>> state = new LinkedHashMap<>();
    put(state, "a", "10", null, "10");
    DivergenceReport r = DivergenceReport.of(NODES, List.of("a"), state);
    assertThat(r.oddNode()).contains("node-2");
  }

  @Test
  void twoNodesCannotOutvoteEachOther() {
    Map<String, Map<String, RawRecord>> state = new LinkedHashMap<>();
    put(state, "a", "10", "12");
    DivergenceReport r = DivergenceReport.of(List.of("node-1", "node-2"), List.of("a"), state);
    assertThat(r.rows().get(0).agreement()).isEqualTo(DivergenceReport.Agreement.SEVERAL);
    assertThat(r.oddNode()).isEmpty();
  }

  @Test
  void rendersATable() {
    Map<String, Map<String, RawRecord>> state = new LinkedHashMap<>();
    put(state, "key-01", "540", "450", "540");
    put(state, "key-02", "7", "7", "7");
    String table = DivergenceTable.render(
        DivergenceReport.of(NODES, List.of("key-01", "key-02"), state), false);
    assertThat(table).contains("key      node-1     node-2     node-3     odd node")
        .contains("key-01   540 (m1)   450 (m1)   540 (m1)   node-2  <-- diverged")
        .contains("key-02   7 (m1)     7 (m1)     7 (m1)\n");
    assertThat(DivergenceTable.render(DivergenceReport.of(NODES, List.of("key-01", "key-02"), state), true))
        .doesNotContain("key-02");
  }

  private static void put(Map<String, Map<String, RawRecord>> state, String key, String... values) {
    for (int i = 0; i < values.length; i++) {
      String node = "node-" + (i + 1);
      if (values[i] != null) {
        state.computeIfAbsent(node, n -> new LinkedHashMap<>())
            .put(key, new RawRecord(node, key, values[i], 1, 1, 0, node));
      }
    }
  }
}
