package dev.racetrace.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OrderingRuleTest {
  @Test
  void parsesAChainPerKey() {
    OrderingRule r = OrderingRule.parse("  load-metadata <derive<  publish per key ");

    assertThat(r.ops()).containsExactly("load-metadata", "derive", "publish");
    assertThat(r.last()).isEqualTo("publish");
    assertThat(r.text()).isEqualTo("load-metadata < derive < publish per key");
    assertThat(OrderingRule.parse("a < b")).isEqualTo(OrderingRule.parse("a < b per key"));
    assertThat(r.predecessorOf("derive")).isEqualTo("load-metadata");
    assertThat(r.predecessorOf("load-metadata")).isNull();
    assertThat(r.predecessorOf("other")).isNull();
  }

  @Test
  void anOperationIsAnyTextWithoutTheSeparator() {
    // a RaceTrace.mark name may hold spaces: the agent and the analyzer both accept it
    assertThat(OrderingRule.parse("load metadata < derive").ops())
        .containsExactly("load metadata", "derive");
  }

  @Test
  void rejectsWhatItCannotCheck() {
    assertThatThrownBy(() -> OrderingRule.parse("a < b per node"))
        .hasMessage("rule \"a < b per node\": only \"per key\" is supported");
    assertThatThrownBy(() -> OrderingRule.parse("derive"))
        .hasMessage("rule \"derive\": needs at least two operations, e.g. \"load-metadata < "
            + "derive per key\"");
    assertThatThrownBy(() -> OrderingRule.parse("derive before publish"))
        .hasMessage("rule \"derive before publish\": expected operations separated by '<', e.g. "
            + "\"load-metadata < derive per key\"");
    assertThatThrownBy(() -> OrderingRule.parse("a << b"))
        .hasMessageContaining("expected operations separated by '<'");
    assertThatThrownBy(() -> OrderingRule.parse("a < b < a"))
        .hasMessage("rule \"a < b < a\": operation a appears twice");
  }
}
