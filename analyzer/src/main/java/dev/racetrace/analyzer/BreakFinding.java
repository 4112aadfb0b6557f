package dev.racetrace.analyzer;

import dev.racetrace.analyzer.input.SpanRecord;
import dev.racetrace.analyzer.rules.GuardFinding;
import dev.racetrace.analyzer.rules.OrderBreak;
import dev.racetrace.analyzer.rules.OrderGuarantee;
import dev.racetrace.analyzer.timeline.OperationInstance;
import java.util.List;
import java.util.Map;

/**
 * Step 4 for one node and key: the first ordering break, set against the healthy node.
 *
 * @param orderBreak the break on the broken node
 * @param healthyNode the node compared with, or null
 * @param expectedOrder the order expected (the rule's chain, or the healthy node's order)
 * @param observedOrder the broken node's order, by proceed seq; queued operations last
 * @param guard the guard the early operation passed on the broken node
 * @param healthyEarly the early operation's counterpart on the healthy node, or null
 * @param healthyLate the late operation's counterpart on the healthy node, or null
 * @param healthyGuarantee whether the order held on the healthy node was enforced, or null
 * @param gapNanos how long after the early operation proceeded the late one ended (node clock);
 *     for a late operation still queued, until the last thing seen on the node;
 *     {@link SpanRecord#NONE} when the late operation never appeared
 * @param lateStillPending whether the late operation had not run by the end of the trace
 */
public record BreakFinding(OrderBreak orderBreak, String healthyNode, List<String> expectedOrder,
    List<String> observedOrder, GuardFinding guard, OperationInstance healthyEarly,
    OperationInstance healthyLate, OrderGuarantee healthyGuarantee, long gapNanos,
    boolean lateStillPending) {

  /** The broken node. */
  public String node() {
    return orderBreak.node();
  }

  /** The key. */
  public String key() {
    return orderBreak.key();
  }

  /** The seq on the broken node at which the early operation proceeded. */
  public long seq() {
    return orderBreak.seq();
  }

  /** Visible state the early operation saw on the broken node when it proceeded. */
  public Map<String, Long> stateSeen() {
    return guard.stateSeen();
  }

  /** Visible state its counterpart saw on the healthy node, or empty. */
  public Map<String, Long> healthyStateSeen() {
    return healthyEarly == null ? Map.of() : healthyEarly.stateAtProceed();
  }

  /** How much earlier the late operation ended than the early one proceeded on the healthy
   * node (node clock), or {@link SpanRecord#NONE}. */
  public long healthyMarginNanos() {
    if (healthyEarly == null || healthyLate == null || !healthyLate.ended()
        || healthyEarly.pending()) {
      return SpanRecord.NONE;
    }
    return healthyEarly.proceedNanos() - healthyLate.endNanos();
  }
}
