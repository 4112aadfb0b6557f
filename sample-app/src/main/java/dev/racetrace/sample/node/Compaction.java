package dev.racetrace.sample.node;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Background work: rewrites one segment of the record store. A burst of these is the congestion
 * that hits one node. The segment's disk time is simulated by parking the worker, so the burst
 * occupies workers without eating the CPU the other node JVMs need.
 */
public final class Compaction extends LogEntry {
  private final int segment;
  private final long workMillis;

  /**
   * @param offset position in the input log
   * @param segment which segment (for logs)
   * @param workMillis how long the segment's rewrite keeps a worker busy
   */
  public Compaction(long offset, int segment, long workMillis) {
    super(offset, Lane.BACKGROUND);
    this.segment = segment;
    this.workMillis = workMillis;
  }

  /** Compaction belongs to no entity. */
  @Override
  public String key() {
    return null;
  }

  @Override
  public void apply(Node node) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(workMillis);
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
    node.records.compactSegment();
  }

  @Override
  public String toString() {
    return "compaction(segment " + segment + " @" + offset() + ")";
  }
}
