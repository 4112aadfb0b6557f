package dev.racetrace.sample.support;

import java.time.Duration;

/**
 * Counts finished operations and lets a thread wait for a count to be reached. A plain monitor;
 * see the package doc for why it is not a {@code CountDownLatch} in the node package.
 */
public final class Completion {
  private long count;

  /** One more operation finished. */
  public synchronized void increment() {
    count++;
    notifyAll();
  }

  /** Operations finished so far. */
  public synchronized long count() {
    return count;
  }

  /**
   * Waits until at least {@code target} operations have finished.
   *
   * @return false when {@code timeout} passed first
   */
  public synchronized boolean awaitAtLeast(long target, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count < target) {
      long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (leftMillis <= 0) {
        return false;
      }
      wait(leftMillis);
    }
    return true;
  }
}
