package dev.racetrace.bench.workload;

import dev.racetrace.bench.monitor.ExporterMonitor;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The paced pipeline of issue 13: a producer {@code put}s {@code --rate} items/s for
 * {@code --seconds} into an ArrayBlockingQueue, a consumer {@code take}s each and hands it to a
 * single-thread executor, whose task adds it to a sum. About 4 recorded events per item (put,
 * take, task submit/start/end with the one-event task hand-off). At the end it prints
 *
 * <pre>pipeline: items=100000 rate=10000 seconds=10 behind_ms=0 cpu_ms=812 steady_cpu_ms=402 sum=4999950000 recorded=400012 dropped=0 steady_recorded=320010</pre>
 *
 * where {@code cpu_ms} is the whole process's CPU from start to this line (JIT, GC and the agent's
 * start included; run.sh reads user + system of the whole process from /usr/bin/time instead, which
 * also covers the agent's exit), {@code behind_ms} how late the producer finished against its pace,
 * and with racetrace attached the events it recorded and dropped (rings full) so far. The
 * {@code steady_} figures cover the last four fifths of the items only (after class loading, the
 * agent's start and most of the JIT): process CPU and events recorded over that part.
 */
public final class PacedPipeline {
  private PacedPipeline() {}

  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv, "rate", "seconds", "capacity");
    long rate = a.getLong("rate", 10_000L);
    long seconds = a.getLong("seconds", 10L);
    int capacity = a.getInt("capacity", 1024);
    long items = rate * seconds;
    BlockingQueue<Long> queue = new ArrayBlockingQueue<>(capacity);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    AtomicLong sum = new AtomicLong();
    Thread consumer = new Thread(() -> {
      try {
        for (long i = 0; i < items; i++) {
          Long item = queue.take();
          executor.execute(() -> sum.addAndGet(item));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "consumer");
    consumer.start();
    long nanosPerItem = 1_000_000_000L / rate;
    long warmItems = items / 5; // the first fifth warms up (class loading, JIT); the rest is steady
    long steadyCpu0 = 0;
    long steadyRecorded0 = 0;
    long start = System.nanoTime();
    for (long i = 0; i < items; i++) {
      if (i == warmItems) {
        steadyCpu0 = processCpuNanos();
        steadyRecorded0 = recorded();
      }
      queue.put(i);
      if ((i & 15) == 15) {
        long due = start + (i + 1) * nanosPerItem;
        long now = System.nanoTime();
        if (due > now) {
          LockSupport.parkNanos(due - now);
        }
      }
    }
    long behind = Math.max(0, System.nanoTime() - (start + items * nanosPerItem));
    consumer.join();
    executor.shutdown();
    executor.awaitTermination(60, TimeUnit.SECONDS);
    long steadyCpu = processCpuNanos() - steadyCpu0;
    long steadyRecorded = recorded() - steadyRecorded0;
    String recorded = "";
    try {
      if (ExporterMonitor.attach() != null) {
        recorded = " recorded=" + ExporterMonitor.recorded() + " dropped=" + ExporterMonitor.dropped()
            + " steady_recorded=" + steadyRecorded;
      }
    } catch (LinkageError e) {
      // no racetrace attached
    }
    System.out.printf("pipeline: items=%d rate=%d seconds=%d behind_ms=%d cpu_ms=%d steady_cpu_ms=%d sum=%d%s%n",
        items, rate, seconds, behind / 1_000_000, processCpuNanos() / 1_000_000, steadyCpu / 1_000_000, sum.get(),
        recorded);
  }

  /** Events racetrace recorded so far, 0 without racetrace. */
  private static long recorded() {
    try {
      return ExporterMonitor.recorded();
    } catch (LinkageError e) {
      return 0;
    }
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
  }
}
