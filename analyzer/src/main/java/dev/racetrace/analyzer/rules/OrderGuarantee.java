package dev.racetrace.analyzer.rules;

import dev.racetrace.analyzer.input.SpanRecord;
import dev.racetrace.analyzer.timeline.HbPath;
import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.OperationInstance;

/**
 * Whether an order that held on a node was enforced: a recorded happens-before path from the
 * first operation to the second's proceed point, or only timing.
 *
 * @param node the node
 * @param first the operation that came first
 * @param second the operation that came after it
 * @param path the happens-before path, or null when the order held by timing only
 */
public record OrderGuarantee(String node, OperationInstance first, OperationInstance second,
    HbPath path) {

  /**
   * Whether the order was guaranteed by recorded synchronisation: a happens-before path none of
   * whose waits was a timed wait (one signalled in time would have gone on at its timeout).
   */
  public boolean guaranteed() {
    return path != null && timedWait() == null;
  }

  /**
   * The timed wait the path goes through (signalled in time, but it would have proceeded on
   * timeout), or null.
   */
  public SpanRecord timedWait() {
    if (path == null) {
      return null;
    }
    for (HbPath.Step s : path.steps()) {
      if (s.edge() == HbPath.Edge.SIGNAL && s.to().timeoutNs() != SpanRecord.NONE) {
        return s.to();
      }
    }
    // The second operation decided in the predicate check of a timed Condition loop: the same
    // check would have let it go on at the timeout, signalled or not.
    SpanRecord proceed = second.proceedSpan();
    if (proceed != null && "condition.check".equals(proceed.event()) && proceed.timedLoop()) {
      return proceed;
    }
    return null;
  }

  /**
   * E.g. {@code guaranteed (latch.count_down Node.ready seq 9 -> latch.await seq 12)}, or
   * {@code held by timing (timed wait, would have proceeded on timeout: ...)}.
   */
  public String describe() {
    if (path == null) {
      return "held by timing, not enforced (no happens-before path)";
    }
    if (timedWait() != null) {
      return "held by timing (timed wait, would have proceeded on timeout: " + path.describe()
          + ")";
    }
    return "guaranteed (" + path.describe() + ")";
  }

  /**
   * Checks {@code first < second} on {@code timeline}, which must hold by seq.
   *
   * @return the guarantee, or null when {@code first} did not end before {@code second} proceeded
   */
  public static OrderGuarantee check(NodeTimeline timeline, OperationInstance first,
      OperationInstance second) {
    if (second.pending() || !first.ended() || first.endSeq() >= second.proceedSeq()) {
      HbPath path = second.pending() ? null : timeline.happensBefore().path(first, second);
      return path == null ? null : new OrderGuarantee(timeline.node(), first, second, path);
    }
    return new OrderGuarantee(timeline.node(), first, second,
        timeline.happensBefore().path(first, second));
  }
}
