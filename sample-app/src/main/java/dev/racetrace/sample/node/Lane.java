package dev.racetrace.sample.node;

/**
 * Scheduling class of an operation on {@code Node.workQueue}. Workers always take
 * {@link #FOREGROUND} work first; within a lane, the input log's order holds.
 *
 * <p>Putting metadata refreshes in the background lane, next to compaction, keeps client-facing
 * writes fast when the node is busy. It is also what lets a {@code derive} overtake the
 * {@code load-metadata} it depends on when a burst of background work fills the lane.
 */
public enum Lane {
  /** Client-facing writes: {@code derive}, {@code publish}. */
  FOREGROUND,
  /** Housekeeping: metadata refreshes, compaction. */
  BACKGROUND
}
