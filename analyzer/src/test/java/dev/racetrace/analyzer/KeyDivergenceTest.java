package dev.racetrace.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdicts of step 1. */
class KeyDivergenceTest {
  private static KeyDivergence of(String... valuesByNode) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < valuesByNode.length; i++) {
      values.put("node-" + (i + 1), valuesByNode[i]);
    }
    return KeyDivergence.of("k", values, Map.of());
  }

  @Test
  void allTheSameAgree() {
    KeyDivergence d = of("v", "v", "v");

    assertThat(d.verdict()).isEqualTo(Verdict.AGREE);
    assertThat(d.oddNode()).isNull();
  }

  @Test
  void exactlyOneDifferingNodeIsTheRaceSignal() {
    KeyDivergence d = of("v1", "v0", "v1");

    assertThat(d.verdict()).isEqualTo(Verdict.ONE_DIFFERS);
    assertThat(d.oddNode()).isEqualTo("node-2");
    assertThat(d.majorityValue()).isEqualTo("v1");
  }

  @Test
  void allDifferentHasNoOddNode() {
    KeyDivergence d = of("a", "b", "c");

    assertThat(d.verdict()).isEqualTo(Verdict.ALL_DIFFER);
    assertThat(d.oddNode()).isNull();
  }

  @Test
  void twoNodesDisagreeingCannotTellWhichIsOdd() {
    assertThat(of("a", "b").verdict()).isEqualTo(Verdict.ALL_DIFFER);
    assertThat(of("a", "a", "b", "b").verdict()).isEqualTo(Verdict.ALL_DIFFER);
  }

  @Test
  void aNodeWithoutTheKeyIsMissing() {
    KeyDivergence one = of("v", null, "v");
    KeyDivergence two = of(null, null, "v");

    assertThat(one.verdict()).isEqualTo(Verdict.MISSING);
    assertThat(one.oddNode()).isEqualTo("node-2");
    assertThat(two.verdict()).isEqualTo(Verdict.MISSING);
    assertThat(two.oddNode()).isNull();
  }

  @Test
  void missingWithDisagreementAmongTheRestReportsTheDisagreement() {
    assertThat(of(null, "v1", "v0", "v1").verdict()).isEqualTo(Verdict.ONE_DIFFERS);
    assertThat(Arrays.asList(of(null, "v1", "v0", "v1").oddNode())).containsExactly("node-3");
  }
}
