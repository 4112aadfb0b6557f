package dev.racetrace.analyzer;

import dev.racetrace.analyzer.rules.OrderGuarantee;
import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.OperationInstance;
import dev.racetrace.schema.OrderingRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * For one node and key, whether the orders that held were enforced: for each neighbouring pair
 * of a rule (without rules, each neighbouring pair of the observed order), the latest first
 * operation that ended before the second proceeded, and a happens-before path between them.
 */
final class GuaranteeFinder {
  private static final int LIMIT = 8;

  private GuaranteeFinder() {}

  static List<OrderGuarantee> find(NodeTimeline timeline, String key, List<OrderingRule> rules) {
    List<OrderGuarantee> out = new ArrayList<>();
    List<OperationInstance> ops = timeline.operations(key);
    if (!rules.isEmpty()) {
      for (OrderingRule rule : rules) {
        for (int j = 1; j < rule.ops().size(); j++) {
          for (OperationInstance b : ops) {
            if (out.size() >= LIMIT) {
              return out;
            }
            if (!b.op().equals(rule.ops().get(j)) || b.pending()) {
              continue;
            }
            OperationInstance a = latestEndedBefore(ops, rule.ops().get(j - 1), b);
            OrderGuarantee g = a == null ? null : OrderGuarantee.check(timeline, a, b);
            if (g != null) {
              out.add(g);
            }
          }
        }
      }
      return out;
    }
    List<OperationInstance> proceeded = new ArrayList<>();
    for (OperationInstance o : ops) {
      if (!o.pending()) {
        proceeded.add(o);
      }
    }
    proceeded.sort(Comparator.comparingLong(OperationInstance::proceedSeq));
    for (int i = 1; i < proceeded.size() && out.size() < LIMIT; i++) {
      OrderGuarantee g = OrderGuarantee.check(timeline, proceeded.get(i - 1), proceeded.get(i));
      if (g != null) {
        out.add(g);
      }
    }
    return out;
  }

  private static OperationInstance latestEndedBefore(List<OperationInstance> ops, String op,
      OperationInstance b) {
    OperationInstance best = null;
    for (OperationInstance o : ops) {
      if (o.op().equals(op) && o.ended() && o.endSeq() < b.proceedSeq()
          && (best == null || o.endSeq() > best.endSeq())) {
        best = o;
      }
    }
    return best;
  }
}
