package dev.racetrace.bench.workload;

import dev.racetrace.bench.monitor.ExporterMonitor;
import dev.racetrace.bench.monitor.Gate;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Drives racetrace's exporter: {@code --threads} threads each {@code offer} an element to a
 * thread-local ArrayDeque and {@code poll} it back until {@code --events} events (2 per pair, each
 * exported as one span: {@code enqueue}, {@code process}) have been produced, paced to
 * {@code --rate} events/s in total ({@code 0}: as fast as they can).
 *
 * <p>It then waits (at most {@code --wait-ms}) until every ring is empty and the
 * {@code racetrace-exporter} thread has stopped using CPU, i.e. the last batch was written, and
 * prints one line:
 *
 * <pre>export: events=2000000 threads=2 rate=0 produce_ms=.. done_ms=.. events_per_s=.. exporter_cpu_ms=.. dropped=0 dropped_first_s=0</pre>
 *
 * {@code events_per_s} is events / done_ms: recorded, drained, turned into spans and written.
 * {@code dropped_first_s} is how many of the dropped events were lost in the first second after the
 * producers started (-1 when the run was over within that second), while the JVM still compiles the
 * hooks and the exporter: what a program loses from its first millisecond on, against what it loses
 * once warm ({@code dropped - dropped_first_s}).
 * Without racetrace attached it only produces.
 */
public final class ExportRate {
  private ExportRate() {}

  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv, "events", "threads", "rate", "wait-ms", "verbose");
    long events = a.getLong("events", 2_000_000L);
    int threads = a.getInt("threads", 2);
    long rate = a.getLong("rate", 0);
    long waitMs = a.getLong("wait-ms", 60_000L);
    boolean verbose = a.getLong("verbose", 0) != 0;

    ExporterMonitor monitor = ExporterMonitor.attach();
    long perThread = events / threads / 2 * 2;
    long start = System.nanoTime();
    LongSupplier droppedFirstSecond = monitor != null
        ? ExporterMonitor.droppedAt(start, 1_000_000_000L) : () -> -1;
    Gate gate = new Gate(threads, monitor != null);
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      double perThreadRate = rate / (double) threads;
      ts[t] = new Thread(() -> {
        produce(perThread, perThreadRate, start);
        gate.producedAndHold();
      }, "producer-" + t);
      ts[t].start();
    }
    gate.awaitProduced();
    long produced = System.nanoTime() - start;
    long total = perThread * threads;

    long done = produced;
    long cpu = 0;
    long dropped = -1;
    if (monitor != null) {
      // the producers are parked, alive: their rings (and drop counts) are still registered
      done = Math.max(produced, monitor.awaitIdle(start + waitMs * 1_000_000L, verbose, start) - start);
      cpu = monitor.exporterCpuNanos();
      dropped = ExporterMonitor.dropped();
    }
    long droppedFirst = droppedFirstSecond.getAsLong();
    gate.release();
    for (Thread t : ts) {
      t.join();
    }
    System.out.printf("export: events=%d threads=%d rate=%d produce_ms=%d done_ms=%d events_per_s=%.0f "
            + "exporter_cpu_ms=%d dropped=%d dropped_first_s=%d%n", total, threads, rate, produced / 1_000_000,
        done / 1_000_000, total * 1e9 / done, cpu / 1_000_000, dropped, droppedFirst);
  }

  /** Offers and polls {@code n / 2} times, at most {@code perSecond} events/s (0: unpaced). */
  static void produce(long n, double perSecond, long start) {
    ArrayDeque<Object> q = new ArrayDeque<>();
    Object[] elements = new Object[64];
    for (int i = 0; i < elements.length; i++) {
      elements[i] = new Item(i);
    }
    long nanosPerEvent = perSecond > 0 ? (long) (1e9 / perSecond) : 0;
    long produced = 0;
    int i = 0;
    while (produced < n) {
      for (int b = 0; b < 128 && produced < n; b++) {
        q.offer(elements[i++ & 63]);
        q.poll();
        produced += 2;
      }
      if (nanosPerEvent > 0) {
        long due = start + produced * nanosPerEvent;
        long now = System.nanoTime();
        if (due > now) {
          LockSupport.parkNanos(due - now);
        }
      }
    }
  }

  /** A queue element. */
  static final class Item {
    final long id;

    Item(long id) {
      this.id = id;
    }
  }
}
