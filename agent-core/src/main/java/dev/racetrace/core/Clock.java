package dev.racetrace.core;

import java.time.Instant;

/**
 * Monotonic timestamps anchored to the epoch: {@code System.nanoTime()} plus an offset taken once
 * at start-up, so event times are both comparable on one node and readable as wall-clock times.
 */
public final class Clock {
  private static final long OFFSET_NANOS = computeOffset();

  private Clock() {}

  private static long computeOffset() {
    Instant now = Instant.now();
    long nano = System.nanoTime();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano() - nano;
  }

  /** Epoch nanoseconds, monotonic within this process. */
  public static long now() {
    return System.nanoTime() + OFFSET_NANOS;
  }

  /** Converts a {@code System.nanoTime()} reading to epoch nanoseconds. */
  public static long fromNanoTime(long nanoTime) {
    return nanoTime + OFFSET_NANOS;
  }
}
