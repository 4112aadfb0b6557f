package dev.racetrace.analyzer.rules;

import dev.racetrace.analyzer.timeline.OperationInstance;
import dev.racetrace.schema.OrderingRule;

/**
 * An ordering break on one node for one key: {@link #early()} proceeded although
 * {@link #late()} (an instance of {@link #lateOp()}) had not ended before it and no recorded
 * happens-before path ordered them.
 */
public final class OrderBreak {

  /** Why the order is expected. */
  public enum Reason {
    /** A configured ordering rule. */
    RULE,
    /** The healthy node's observed order. */
    HEALTHY_ORDER
  }

  private final String node;
  private final String key;
  private final Reason reason;
  private final OrderingRule rule;
  private final OperationInstance early;
  private final OperationInstance late;
  private final String lateOp;

  /**
   * @param node the node
   * @param key the key
   * @param reason why the order was expected
   * @param rule the rule broken, or null for {@link Reason#HEALTHY_ORDER}
   * @param early the operation that proceeded too early
   * @param late the operation it should have waited for; null if that never appeared on the node
   * @param lateOp the late operation's name
   */
  public OrderBreak(String node, String key, Reason reason, OrderingRule rule,
      OperationInstance early, OperationInstance late, String lateOp) {
    this.node = node;
    this.key = key;
    this.reason = reason;
    this.rule = rule;
    this.early = early;
    this.late = late;
    this.lateOp = lateOp;
  }

  /** The node where the order broke. */
  public String node() {
    return node;
  }

  /** The key. */
  public String key() {
    return key;
  }

  /** Why the order was expected. */
  public Reason reason() {
    return reason;
  }

  /** The rule broken, or null. */
  public OrderingRule rule() {
    return rule;
  }

  /** The operation that proceeded too early. */
  public OperationInstance early() {
    return early;
  }

  /** The operation that should have come first; null when it never appeared on the node. */
  public OperationInstance late() {
    return late;
  }

  /** Name of the operation that should have come first. */
  public String lateOp() {
    return lateOp;
  }

  /** The seq of the break: where the early operation proceeded. */
  public long seq() {
    return early.proceedSeq();
  }

  /** E.g. {@code derive proceeded before load-metadata ended}. */
  public String summary() {
    if (late == null) {
      return early.op() + " proceeded, but " + lateOp + " never ran on " + node;
    }
    if (late.pending()) {
      return early.op() + " proceeded while " + lateOp + " was still queued";
    }
    return early.op() + " proceeded before " + lateOp + " ended";
  }

  @Override
  public String toString() {
    return node + " " + key + ": " + summary() + " (seq " + seq() + ")";
  }
}
