package dev.racetrace.it.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Guards that no call site can name from a field: a per-key latch made in a registry's lookup
 * method ({@code registry.latchFor(key).countDown()}, awaited by a helper that gets it as a
 * parameter) and a semaphore made as a local and handed to a helper. Each must carry the name of
 * its allocation site on every node, never an identity hash.
 *
 * <p>Args: {@code rounds}.
 */
public final class AllocationNameProgram {
  /** Per-key latches, reached only through {@link #latchFor}. */
  static final class Registry {
    private final Map<String, CountDownLatch> latches = new ConcurrentHashMap<>();

    CountDownLatch latchFor(String key) {
      return latches.computeIfAbsent(key, k -> new CountDownLatch(1)); // @latch
    }
  }

  static void waitFor(CountDownLatch ready) throws InterruptedException {
    ready.await();
  }

  static void withPermit(Semaphore permits, Runnable work) throws InterruptedException {
    permits.acquire();
    try {
      work.run();
    } finally {
      permits.release();
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    Registry registry = new Registry();
    Semaphore permits = new Semaphore(1); // @permits
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<?>> waiting = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      String key = "key-" + i;
      waiting.add(pool.submit(() -> {
        waitFor(registry.latchFor(key));
        withPermit(permits, () -> { });
        return null;
      }));
      withPermit(permits, () -> registry.latchFor(key).countDown());
    }
    for (Future<?> f : waiting) {
      f.get(10, TimeUnit.SECONDS);
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.SECONDS);
  }
}
