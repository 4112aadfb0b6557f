package dev.racetrace.agent.instrument.alloc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Guards made in the ways an application makes them (AllocationSiteTest rewrites this class). */
public class Registry {
  final CountDownLatch ready = new CountDownLatch(1);
  private final Map<String, CountDownLatch> latches = new ConcurrentHashMap<>();
  final ReentrantLock lock = new ReentrantLock();
  final Condition changed = lock.newCondition();

  /** One latch per key, made in a lambda: named after this method's allocation site. */
  public CountDownLatch latchFor(String key) {
    return latches.computeIfAbsent(key, k -> new CountDownLatch(1));
  }

  static void waitFor(CountDownLatch l) throws InterruptedException {
    l.await();
  }

  /** @return how many permits were left, to show the rewritten code runs as before */
  public int run() throws InterruptedException {
    latchFor("a").countDown();
    waitFor(latchFor("a"));
    Semaphore permits = new Semaphore(2);
    permits.acquire();
    ready.countDown();
    return permits.availablePermits();
  }

  /** A subclass of a guard type: its constructor's super() call is not an allocation. */
  static final class OwnLock extends ReentrantLock {
    private static final long serialVersionUID = 1L;

    OwnLock() {
      super(true);
    }
  }

  public Object ownLock() {
    return new OwnLock();
  }
}
