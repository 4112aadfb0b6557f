package dev.racetrace.bench.monitor;

import dev.racetrace.core.Recorder;
import dev.racetrace.core.buffer.RingRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Watches racetrace's rings and exporter thread from inside the measured process. It lives outside
 * the enabled package ({@code dev.racetrace.bench.workload}) on purpose: its own sleeps must not
 * be recorded, or the rings would never be empty. {@link #attach()} returns null without racetrace;
 * {@link #backlog()} and {@link #dropped()} need racetrace's agent-core on the boot class path.
 */
public final class ExporterMonitor {

  private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
  private final Thread exporter;
  private final long cpuAtStart;

  private ExporterMonitor(Thread exporter) {
    this.exporter = exporter;
    this.cpuAtStart = mx.getThreadCpuTime(exporter.getId());
  }

  /** A monitor of the running {@code racetrace-exporter} thread, or null without racetrace. */
  public static ExporterMonitor attach() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("racetrace-exporter")) {
        return new ExporterMonitor(t);
      }
    }
    return null;
  }

  /**
   * Waits until every ring is empty and the exporter thread has used no CPU for two consecutive
   * 25 ms samples (its last batch is written), at most until {@code deadlineNanos}.
   *
   * @return the {@code System.nanoTime()} at which the exporter was last seen busy
   */
  public long awaitIdle(long deadlineNanos, boolean verbose, long t0) throws InterruptedException {
    long lastBusy = System.nanoTime();
    long lastCpu = -1;
    int quiet = 0;
    while (System.nanoTime() < deadlineNanos) {
      long cpu = mx.getThreadCpuTime(exporter.getId());
      long backlog = backlog();
      if (verbose) {
        System.err.printf("export: t=%dms backlog=%d exporter_cpu_ms=%d%n",
            (System.nanoTime() - t0) / 1_000_000, backlog, (cpu - cpuAtStart) / 1_000_000);
      }
      if (backlog == 0 && cpu == lastCpu) {
        if (++quiet >= 2) {
          break;
        }
      } else {
        quiet = 0;
        lastBusy = System.nanoTime();
      }
      lastCpu = cpu;
      Thread.sleep(25);
    }
    return lastBusy;
  }

  /** CPU time the exporter thread used since {@link #attach()}. */
  public long exporterCpuNanos() {
    return mx.getThreadCpuTime(exporter.getId()) - cpuAtStart;
  }

  /** Records waiting in all rings. */
  public static long backlog() {
    long b = 0;
    for (RingRegistry.Entry e : Recorder.registry().entries()) {
      b += Math.max(0, e.ring().backlog());
    }
    return b;
  }

  /** Records refused by full rings (rings of ended threads that were already retired excluded). */
  public static long dropped() {
    long d = 0;
    for (RingRegistry.Entry e : Recorder.registry().entries()) {
      d += e.ring().dropped();
    }
    return d;
  }

  /**
   * Samples {@link #dropped()} once, {@code delayNanos} after {@code startNanos}, on a daemon thread
   * of this package (its sleep is not recorded).
   *
   * @return the sample, or -1 until it is taken
   */
  public static LongSupplier droppedAt(long startNanos, long delayNanos) {
    AtomicLong sample = new AtomicLong(-1);
    Thread t = new Thread(() -> {
      long left;
      while ((left = startNanos + delayNanos - System.nanoTime()) > 0) {
        LockSupport.parkNanos(left);
      }
      sample.set(dropped());
    }, "dropped-sample");
    t.setDaemon(true);
    t.start();
    return sample::get;
  }

  /** Events recorded so far (sequence numbers handed out, dropped ones included). */
  public static long recorded() {
    return Recorder.currentSeq();
  }
}
