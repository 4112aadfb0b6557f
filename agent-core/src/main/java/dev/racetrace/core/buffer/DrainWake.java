package dev.racetrace.core.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes the consumer of a set of rings (the exporter thread) before its pause is over when a ring
 * passes half full, so that a burst is drained while the other half still absorbs it instead of
 * waiting out the pause and overflowing.
 *
 * <p>Cost on the hot path: a ring compares its producer index with a mark it already holds, once per
 * record; only the record that reaches the mark reads the consumer's index, and only a ring found
 * at least half full calls {@link #wake()}: at most once each time a ring crosses half full, never
 * while it stays above it. No lock, no allocation (an unpark of a platform thread).
 */
public final class DrainWake {
  private static final VarHandle WAKES;

  static {
    try {
      WAKES = MethodHandles.lookup().findVarHandle(DrainWake.class, "wakes", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile Thread consumer;
  /** Wakes signalled (monotonic), read by tests and diagnostics. */
  private long wakes;

  /** The thread to wake from now on (the exporter thread); null: count only. */
  public void consumer(Thread thread) {
    this.consumer = thread;
  }

  /** A ring reached half full: wakes the consumer (a no-op if it is not parked but for one pass). */
  void wake() {
    WAKES.getAndAdd(this, 1L); // fetch-add: producers of several rings
    Thread t = consumer;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Wakes signalled so far. */
  public long wakes() {
    return (long) WAKES.getOpaque(this); // opaque
  }
}
