package dev.racetrace.analyzer.timeline;

import dev.racetrace.analyzer.input.SpanRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A recorded happens-before path from inside one operation to another's proceed point: the
 * synchronisation edges it crosses, in order (program-order steps inside one thread's work are
 * left out).
 */
public final class HbPath {

  /** Kinds of happens-before edge. */
  public enum Edge {
    /** An element's enqueue to its dequeue (same element, via {@code race.causal_id}/link). */
    QUEUE,
    /** A task's submit to its start on a worker. */
    TASK,
    /** A signal (countDown, signal, release, unlock, notify, arrive) to a wait on the same
     * object that returned without timing out. */
    SIGNAL,
    /** Program order on a thread that is the only consumer of the queue or executor whose next
     * work it started (FIFO with one consumer orders the work). */
    SINGLE_CONSUMER,
    /** Program order on a thread that, having finished one operation, dequeued the next itself
     * without blocking (a hand-off such as a per-key lane), not a pool thread's luck. */
    HAND_OFF
  }

  /**
   * One edge of the path.
   *
   * @param edge the kind
   * @param from the span the edge leaves (null for the end of the first operation)
   * @param to the span it reaches
   */
  public record Step(Edge edge, SpanRecord from, SpanRecord to) {}

  private final List<Step> steps;

  HbPath(List<Step> steps) {
    this.steps = Collections.unmodifiableList(new ArrayList<>(steps));
  }

  /** The synchronisation edges, first to last; empty when program order alone links them. */
  public List<Step> steps() {
    return steps;
  }

  /** A one-line description, e.g. {@code condition.signal Node.metadataArrived seq 110 -> condition.await seq 119}. */
  public String describe() {
    if (steps.isEmpty()) {
      return "program order";
    }
    StringBuilder sb = new StringBuilder();
    for (Step s : steps) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      switch (s.edge()) {
        case QUEUE:
          sb.append("enqueue seq ").append(s.from().seq()).append(" -> dequeue seq ")
              .append(s.to().seq()).append(" on ").append(s.to().resource());
          break;
        case TASK:
          sb.append("submit seq ").append(s.from().seq()).append(" -> run seq ")
              .append(s.to().seq()).append(" on ").append(s.to().resource());
          break;
        case SIGNAL:
          sb.append(s.from().event()).append(' ').append(s.from().resource()).append(" seq ")
              .append(s.from().seq()).append(" -> ").append(s.to().event()).append(" seq ")
              .append(s.to().seq());
          break;
        case SINGLE_CONSUMER:
          sb.append("program order on ").append(s.to().thread()).append(", the only consumer of ")
              .append(s.to().resource());
          break;
        case HAND_OFF:
          sb.append("program order on ").append(s.to().thread()).append(": it took the next "
              + "element of ").append(s.to().resource()).append(" itself, seq ")
              .append(s.to().seq());
          break;
        default:
          break;
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return describe();
  }
}
