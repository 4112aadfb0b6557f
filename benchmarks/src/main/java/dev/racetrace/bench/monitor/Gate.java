package dev.racetrace.bench.monitor;

import java.util.concurrent.CountDownLatch;

/**
 * Where ExportRate's producer threads report that they are done and, with racetrace attached,
 * stay parked until the measurement is over: a live thread keeps its ring registered, so its drop
 * count is still counted (the rings of ended threads are retired once drained). It lives outside
 * the enabled package, so these waits are not recorded.
 */
public final class Gate {
  private final CountDownLatch produced;
  private final CountDownLatch release = new CountDownLatch(1);
  private final boolean hold;

  /**
   * @param producers threads that will call {@link #producedAndHold()}
   * @param hold whether they stay parked until {@link #release()}
   */
  public Gate(int producers, boolean hold) {
    this.produced = new CountDownLatch(producers);
    this.hold = hold;
  }

  /** Called by a producer thread when it is done. */
  public void producedAndHold() {
    produced.countDown();
    if (hold) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits until every producer is done. */
  public void awaitProduced() throws InterruptedException {
    produced.await();
  }

  /** Lets the producers end. */
  public void release() {
    release.countDown();
  }
}
