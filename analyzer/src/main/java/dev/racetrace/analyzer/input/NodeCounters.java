package dev.racetrace.analyzer.input;

/**
 * The agent's cumulative counters for one node, from its {@code racetrace.stats} spans. Each
 * field is the largest value seen (the counters only grow), or {@link SpanRecord#NONE}.
 *
 * @param droppedEvents events lost because a ring was full: the timeline may be incomplete
 * @param recordedEvents events exported
 * @param unmatchedDequeues dequeues whose enqueue was never seen
 * @param internalErrors failures inside racetrace that it swallowed
 * @param exportFailures export batches that failed
 * @param droppedState matching entries dropped at the agent's racetrace.memory.max caps
 * @param unwrittenSpans spans the file export did not write (racetrace.out.max)
 * @param rotatedSpans spans deleted with the oldest span file parts (racetrace.out.max)
 * @param rotatedEvents events deleted with the oldest journal parts (racetrace.out.max)
 */
public record NodeCounters(long droppedEvents, long recordedEvents, long unmatchedDequeues,
    long internalErrors, long exportFailures, long droppedState, long unwrittenSpans, long rotatedSpans,
    long rotatedEvents) {

  /** Counters with nothing recorded. */
  public static final NodeCounters EMPTY = new NodeCounters(SpanRecord.NONE, SpanRecord.NONE,
      SpanRecord.NONE, SpanRecord.NONE, SpanRecord.NONE, SpanRecord.NONE, SpanRecord.NONE, SpanRecord.NONE,
      SpanRecord.NONE);

  /** The field-wise maximum of this and {@code other}. */
  public NodeCounters max(NodeCounters other) {
    return new NodeCounters(Math.max(droppedEvents, other.droppedEvents),
        Math.max(recordedEvents, other.recordedEvents),
        Math.max(unmatchedDequeues, other.unmatchedDequeues),
        Math.max(internalErrors, other.internalErrors),
        Math.max(exportFailures, other.exportFailures),
        Math.max(droppedState, other.droppedState),
        Math.max(unwrittenSpans, other.unwrittenSpans),
        Math.max(rotatedSpans, other.rotatedSpans),
        Math.max(rotatedEvents, other.rotatedEvents));
  }

  /** Whether the agent dropped events on this node. */
  public boolean dropped() {
    return droppedEvents > 0;
  }
}
