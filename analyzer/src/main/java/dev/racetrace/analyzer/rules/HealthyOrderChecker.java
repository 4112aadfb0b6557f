package dev.racetrace.analyzer.rules;

import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.OperationInstance;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares one key's order on a suspect node with a healthy node's. Instances correspond by
 * operation and occurrence ({@code derive #1} with {@code derive #1}). For every operation Y
 * that proceeded on the suspect node and every other operation X, if the latest X before Y on
 * the healthy node ended before Y proceeded there (by seq), the corresponding X must precede Y on
 * the suspect node too. The first break is the one with the lowest seq on the suspect node.
 */
public final class HealthyOrderChecker {
  private HealthyOrderChecker() {}

  /** The first point where {@code suspect} departs from {@code healthy}'s order on key, or null. */
  public static OrderBreak firstBreak(NodeTimeline suspect, NodeTimeline healthy, String key) {
    List<OperationInstance> hs = healthy.operations(key);
    Map<String, OperationInstance> byLabel = new HashMap<>();
    for (OperationInstance o : suspect.operations(key)) {
      byLabel.put(o.op() + "#" + o.index(), o);
    }
    OrderBreak first = null;
    for (OperationInstance hy : hs) {
      OperationInstance y = byLabel.get(hy.op() + "#" + hy.index());
      if (hy.pending() || y == null || y.pending()
          || (first != null && y.proceedSeq() >= first.seq())) {
        continue;
      }
      Map<String, OperationInstance> latestBefore = new HashMap<>();
      for (OperationInstance hx : hs) {
        if (hx != hy && hx.ended() && hx.endSeq() < hy.proceedSeq()) {
          latestBefore.merge(hx.op(), hx, (p, q) -> p.index() >= q.index() ? p : q);
        }
      }
      for (OperationInstance hx : latestBefore.values()) {
        OperationInstance x = byLabel.get(hx.op() + "#" + hx.index());
        if (x == null || !suspect.precedes(x, y)) {
          OrderBreak b = new OrderBreak(suspect.node(), key, OrderBreak.Reason.HEALTHY_ORDER,
              null, y, x, hx.op());
          if (first == null || b.seq() < first.seq()) {
            first = b;
          }
        }
      }
    }
    return first;
  }
}
