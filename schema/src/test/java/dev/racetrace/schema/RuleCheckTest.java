package dev.racetrace.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one rule semantics both checks call: which operations count, and which break is reported. */
class RuleCheckTest {
  /** An operation: its op, when it was initiated, and whether it preceded the checked one. */
  private static final class Op {
    final String op;
    final long init;
    final boolean preceded;

    Op(String op, long init, boolean preceded) {
      this.op = op;
      this.init = init;
      this.preceded = preceded;
    }
  }

  private static RuleCheck.Operations<Op> view(List<Op> all) {
    return new RuleCheck.Operations<>() {
      @Override
      public Iterable<Op> of(String op) {
        List<Op> out = new ArrayList<>();
        for (Op o : all) {
          if (o.op.equals(op)) {
            out.add(o);
          }
        }
        return out;
      }

      @Override
      public long initSeq(Op o) {
        return o.init;
      }

      @Override
      public boolean precedes(Op a, Op b) {
        return a.preceded;
      }
    };
  }

  private final OrderingRule rule = OrderingRule.parse("load < derive < publish per key");
  private final RuleCheck<Op> check = new RuleCheck<>(List.of(rule));

  @Test
  void theEarliestInitiatedOperationThatDidNotPrecedeIsReported() {
    Op b = new Op("derive", 10, false);
    Op late1 = new Op("load", 7, false);
    Op late2 = new Op("load", 3, false);
    Op fine = new Op("load", 1, true);
    RuleCheck.Late<Op> late = check.overtaken(rule, "derive", 10, b, view(List.of(late1, fine, late2, b)));
    assertThat(late.op()).isEqualTo("load");
    assertThat(late.operation()).isSameAs(late2);
  }

  @Test
  void anOperationInitiatedAfterTheCheckedOneDoesNotCount() {
    Op b = new Op("derive", 10, false);
    Op after = new Op("load", 11, false);
    assertThat(check.overtaken(rule, "derive", 10, b, view(List.of(after, b)))).isNull();
  }

  @Test
  void everyEarlierStepIsAskedNotOnlyTheNeighbourAndTheFirstInRuleOrderIsReported() {
    Op b = new Op("publish", 20, false);
    Op load = new Op("load", 5, false);
    Op derive = new Op("derive", 6, true);
    RuleCheck.Late<Op> late = check.overtaken(rule, "publish", 20, b, view(List.of(load, derive, b)));
    assertThat(late.operation()).as("load < publish, though derive preceded").isSameAs(load);

    Op derivedLate = new Op("derive", 4, false);
    late = check.overtaken(rule, "publish", 20, b, view(List.of(load, derivedLate, b)));
    assertThat(late.op()).as("the first step in rule order").isEqualTo("load");
  }

  @Test
  void theFirstStepAndOpsOutsideTheRuleHaveNothingToWaitFor() {
    Op load = new Op("load", 5, false);
    Op other = new Op("audit", 9, false);
    List<Op> all = List.of(load, other, new Op("load", 1, false));
    assertThat(check.overtaken(rule, "load", 5, load, view(all))).isNull();
    assertThat(check.overtaken(rule, "audit", 9, other, view(all))).isNull();
    assertThat(Set.copyOf(check.rules())).containsExactly(rule);
  }
}
