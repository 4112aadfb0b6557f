package dev.racetrace.analyzer.rules;

import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.OperationInstance;
import dev.racetrace.schema.OrderingRule;
import dev.racetrace.schema.RuleCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks ordering rules on one node and key with the one rule semantics the agent's online check
 * uses too ({@link RuleCheck}): every A initiated before a B must precede that B
 * ({@link NodeTimeline#precedes}: ended before B proceeded, or a recorded happens-before path). A
 * B that arrived before its A on one node only is caught by the comparison with the healthy node.
 * The first break is the one with the lowest seq.
 */
public final class RuleChecker {
  private final RuleCheck<OperationInstance> check;

  /** @param rules the rules */
  public RuleChecker(List<OrderingRule> rules) {
    this.check = new RuleCheck<>(rules);
  }

  /** The first rule break on {@code key} in {@code timeline}, or null. */
  public OrderBreak firstBreak(NodeTimeline timeline, String key) {
    List<OperationInstance> ops = timeline.operations(key);
    Map<String, List<OperationInstance>> byOp = byOp(ops); // once per key, not per checked operation
    RuleCheck.Operations<OperationInstance> view = new RuleCheck.Operations<>() {
      @Override
      public Iterable<OperationInstance> of(String op) {
        return byOp.getOrDefault(op, List.of());
      }

      @Override
      public long initSeq(OperationInstance o) {
        return o.initSeq();
      }

      @Override
      public boolean precedes(OperationInstance a, OperationInstance b) {
        return timeline.precedes(a, b);
      }
    };
    OrderBreak first = null;
    for (OrderingRule rule : check.rules()) {
      for (OperationInstance b : ops) {
        if (rule.ops().indexOf(b.op()) < 1 || b.pending()
            || (first != null && b.proceedSeq() >= first.seq())) {
          continue;
        }
        RuleCheck.Late<OperationInstance> late = check.overtaken(rule, b.op(), b.initSeq(), b, view);
        if (late != null) {
          first = new OrderBreak(timeline.node(), key, OrderBreak.Reason.RULE, rule, b,
              late.operation(), late.op());
        }
      }
    }
    return first;
  }

  /** The operations by op name, each list in the timeline's order (by initiation). */
  private static Map<String, List<OperationInstance>> byOp(List<OperationInstance> ops) {
    Map<String, List<OperationInstance>> out = new HashMap<>();
    for (OperationInstance o : ops) {
      out.computeIfAbsent(o.op(), k -> new ArrayList<>()).add(o);
    }
    return out;
  }
}
