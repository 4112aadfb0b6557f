package dev.racetrace.agent.export.drain;

import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.buffer.RingRegistry;

/**
 * The rule both drains of {@link RingDrainer} follow for the seq up to which a pass's events may
 * be assembled or replayed: below the lowest seq still waiting in a ring, below a publishing call
 * whose record is not written yet, and never above the last seq handed out when the pass began.
 */
final class DrainWatermark {
  /**
   * How long a publishing call's mark holds later events back ({@link EventRing#publishingBound}):
   * far longer than a preempted thread takes to write its record, far shorter than a put may
   * block on a full queue (its return renews the mark).
   */
  static final long PUBLISHING_HOLD_NANOS = 100_000_000L;

  /** One below the lowest head at the last {@link #after}, or {@code Long.MAX_VALUE}: all empty. */
  private long belowHeads = Long.MAX_VALUE;

  /**
   * The watermark after a pass over {@code entries}. Exporter thread only.
   *
   * @param cutAt a seq the pass itself bounds it by (a ring it cut short), else {@code Long.MAX_VALUE}
   * @param issued the last seq handed out when the pass began: an event taken later may have gone
   *     into a ring already drained
   */
  long after(RingRegistry.Entry[] entries, long cutAt, long issued) {
    long publishing = belowPublishing(entries); // before the heads: a cleared mark's record is there
    belowHeads = belowHeads(entries);
    return Math.min(Math.min(cutAt, publishing), Math.min(belowHeads, issued));
  }

  /** Whether a ring still held records when {@link #after} last read the heads. */
  boolean recordsLeft() {
    return belowHeads != Long.MAX_VALUE;
  }

  /**
   * One below the lowest seq still waiting in a ring (every event still there comes after what its
   * ring gave, so the lowest head bounds them all), or {@code Long.MAX_VALUE} when all are empty.
   */
  private static long belowHeads(RingRegistry.Entry[] entries) {
    long low = Long.MAX_VALUE;
    for (RingRegistry.Entry entry : entries) {
      long head = entry.ring().headSeq();
      if (head != 0) {
        low = Math.min(low, head - 1);
      }
    }
    return low;
  }

  /**
   * One below the lowest seq of a publishing call whose record is not written yet
   * ({@link EventRing#publishingBound}), or {@code Long.MAX_VALUE}. Read before the heads.
   */
  private static long belowPublishing(RingRegistry.Entry[] entries) {
    long low = Long.MAX_VALUE;
    long now = System.nanoTime();
    for (RingRegistry.Entry entry : entries) {
      low = Math.min(low, entry.ring().publishingBound(now, PUBLISHING_HOLD_NANOS));
    }
    return low;
  }
}
