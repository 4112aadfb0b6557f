package dev.racetrace.bench.workload;

import dev.racetrace.bench.monitor.ExporterMonitor;
import java.lang.management.ManagementFactory;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A queue-heavy producer/consumer service in miniature, with a fixed amount of work: producers
 * {@code put} {@code --ops} items into a bounded LinkedBlockingQueue, consumers {@code take}
 * them and compute a hash of {@code --work} rounds per item; every 8th item is handed to a
 * thread pool ({@code execute}) for a second computation. When all items are done (a
 * CountDownLatch), it prints its throughput and an order-independent checksum, which is the same
 * on every run and with any agent:
 *
 * <pre>workload: ops=5000000 elapsed_ms=2345 ops_per_s=2132196 cpu_ms=4100 checksum=1f2e3d4c5b6a7988</pre>
 *
 * <p>{@code cpu_ms} is the CPU time of the whole process over the measured interval; with racetrace
 * attached, {@code exporter_cpu_ms} is that of its exporter thread.
 *
 * <p>With racetrace recording every call, one item costs 3 events (put; take's entry and return)
 * plus 3 more for every 8th (submit, task start, task end).
 */
public final class QueueWorkload {
  private static final Item POISON = new Item(-1);

  /** A unit of work. */
  static final class Item {
    final long id;

    Item(long id) {
      this.id = id;
    }
  }

  private QueueWorkload() {}

  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv, "ops", "producers", "consumers", "pool", "work", "capacity");
    long ops = a.getLong("ops", 5_000_000L);
    int producers = a.getInt("producers", 2);
    int consumers = a.getInt("consumers", 2);
    int poolThreads = a.getInt("pool", 2);
    int work = a.getInt("work", 64);
    int capacity = a.getInt("capacity", 1024);
    ExporterMonitor exporter = exporterIfAttached();
    long cpu0 = processCpuNanos();
    long exporterCpu0 = exporter != null ? exporter.exporterCpuNanos() : 0;
    Result r = run(ops, producers, consumers, poolThreads, work, capacity);
    long cpu = processCpuNanos() - cpu0;
    String exporterCpu = exporter != null
        ? " exporter_cpu_ms=" + (exporter.exporterCpuNanos() - exporterCpu0) / 1_000_000 : "";
    System.out.printf("workload: ops=%d elapsed_ms=%d ops_per_s=%.0f cpu_ms=%d%s checksum=%016x%n", ops,
        r.elapsedNanos / 1_000_000, ops * 1e9 / r.elapsedNanos, cpu / 1_000_000, exporterCpu, r.checksum);
  }

  /** CPU time of the whole process (all threads, JIT and GC included), -1 if unavailable. */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
  }

  private static ExporterMonitor exporterIfAttached() {
    try {
      return ExporterMonitor.attach();
    } catch (LinkageError e) {
      return null;
    }
  }

  /** Elapsed time and checksum of one run. */
  static final class Result {
    final long elapsedNanos;
    final long checksum;

    Result(long elapsedNanos, long checksum) {
      this.elapsedNanos = elapsedNanos;
      this.checksum = checksum;
    }
  }

  static Result run(long ops, int producers, int consumers, int poolThreads, int work, int capacity)
      throws InterruptedException {
    BlockingQueue<Item> queue = new LinkedBlockingQueue<>(capacity);
    ExecutorService pool = new ThreadPoolExecutor(poolThreads, poolThreads, 0L, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>());
    LongAdder pooled = new LongAdder();
    long[] sums = new long[consumers];
    CountDownLatch done = new CountDownLatch(consumers);
    Thread[] threads = new Thread[producers + consumers];

    long start = System.nanoTime();
    for (int c = 0; c < consumers; c++) {
      final int me = c;
      threads[producers + c] = new Thread(() -> {
        long sum = 0;
        try {
          while (true) {
            Item item = queue.take();
            if (item == POISON) {
              break;
            }
            long h = hash(item.id, work);
            if ((item.id & 7) == 0) {
              pool.execute(() -> pooled.add(hash(h, work)));
            } else {
              sum += h;
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        sums[me] = sum;
        done.countDown();
      }, "consumer-" + c);
    }
    for (int p = 0; p < producers; p++) {
      final int me = p;
      threads[p] = new Thread(() -> {
        try {
          for (long id = me; id < ops; id += producers) {
            queue.put(new Item(id));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "producer-" + p);
    }
    for (Thread t : threads) {
      t.start();
    }
    for (int p = 0; p < producers; p++) {
      threads[p].join();
    }
    for (int c = 0; c < consumers; c++) {
      queue.put(POISON);
    }
    done.await();
    pool.shutdown();
    if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("pool did not finish");
    }
    long elapsed = System.nanoTime() - start;
    long checksum = pooled.sum();
    for (long s : sums) {
      checksum += s;
    }
    return new Result(elapsed, checksum);
  }

  /** {@code rounds} rounds of a 64-bit mixer: deterministic CPU work. */
  static long hash(long x, int rounds) {
    long h = x;
    for (int i = 0; i < rounds; i++) {
      h += 0x9E3779B97F4A7C15L;
      h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
      h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
      h ^= h >>> 31;
    }
    return h;
  }
}
