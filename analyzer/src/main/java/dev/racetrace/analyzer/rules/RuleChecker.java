package dev.racetrace.analyzer.rules;

import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.OperationInstance;
import dev.racetrace.schema.OrderingRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks ordering rules on one node and key. For each pair A &lt; B of a rule (every pair, not
 * only neighbours), every A initiated (enqueued, submitted, started) before a B must precede
 * that B ({@link NodeTimeline#precedes}). An A initiated after B does not count: a key's
 * dependency may come from elsewhere (a boot snapshot) and be updated later; a B that arrived
 * before its A on one node only is caught by the comparison with the healthy node. The first
 * break is the one with the lowest seq.
 */
public final class RuleChecker {
  private final List<OrderingRule> rules;

  /** @param rules the rules */
  public RuleChecker(List<OrderingRule> rules) {
    this.rules = rules;
  }

  /** The first rule break on {@code key} in {@code timeline}, or null. */
  public OrderBreak firstBreak(NodeTimeline timeline, String key) {
    List<OperationInstance> ops = timeline.operations(key);
    OrderBreak first = null;
    for (OrderingRule rule : rules) {
      List<String> chain = rule.ops();
      for (int j = 1; j < chain.size(); j++) {
        List<OperationInstance> bs = instancesOf(ops, chain.get(j));
        if (bs.isEmpty()) {
          continue;
        }
        for (int i = 0; i < j; i++) {
          String opA = chain.get(i);
          List<OperationInstance> as = instancesOf(ops, opA);
          for (OperationInstance b : bs) {
            if (b.pending() || (first != null && b.proceedSeq() >= first.seq())) {
              continue;
            }
            OperationInstance late = overtaken(timeline, as, b);
            if (late != null) {
              first = new OrderBreak(timeline.node(), key, OrderBreak.Reason.RULE, rule, b, late,
                  opA);
            }
          }
        }
      }
    }
    return first;
  }

  /** The first A initiated before {@code b} that does not precede it, or null. */
  private static OperationInstance overtaken(NodeTimeline timeline, List<OperationInstance> as,
      OperationInstance b) {
    for (OperationInstance a : as) {
      if (a.initSeq() < b.initSeq() && !timeline.precedes(a, b)) {
        return a;
      }
    }
    return null;
  }

  static List<OperationInstance> instancesOf(List<OperationInstance> ops, String op) {
    List<OperationInstance> out = new ArrayList<>();
    for (OperationInstance o : ops) {
      if (o.op().equals(op)) {
        out.add(o);
      }
    }
    return out;
  }
}
