package dev.racetrace.sample.node;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How late work ran on a node, for its {@code done} line: the intake's worst lateness against the
 * log's schedule, and the longest time an operation waited between arriving and starting, per
 * lane. The congested node shows long background waits; a healthy one shows none.
 */
final class Timings {
  private final AtomicLongArray arrived;
  private final AtomicLong intakeLate = new AtomicLong();
  private final AtomicLong foregroundWait = new AtomicLong();
  private final AtomicLong backgroundWait = new AtomicLong();

  Timings(int operations) {
    this.arrived = new AtomicLongArray(operations);
  }

  /** The intake admitted {@code op}, {@code lateNanos} after its scheduled arrival. */
  void arrived(Operation op, long nowNanos, long lateNanos) {
    if (op.offset() < arrived.length()) {
      arrived.set((int) op.offset(), nowNanos);
    }
    intakeLate.accumulateAndGet(lateNanos, Math::max);
  }

  /** A worker starts {@code op}. */
  void started(Operation op, long nowNanos) {
    if (op.offset() >= arrived.length()) {
      return;
    }
    long at = arrived.get((int) op.offset());
    if (at != 0) {
      (op.lane() == Lane.FOREGROUND ? foregroundWait : backgroundWait)
          .accumulateAndGet(nowNanos - at, Math::max);
    }
  }

  long intakeLateMillis() {
    return TimeUnit.NANOSECONDS.toMillis(intakeLate.get());
  }

  long foregroundWaitMillis() {
    return TimeUnit.NANOSECONDS.toMillis(foregroundWait.get());
  }

  long backgroundWaitMillis() {
    return TimeUnit.NANOSECONDS.toMillis(backgroundWait.get());
  }
}
