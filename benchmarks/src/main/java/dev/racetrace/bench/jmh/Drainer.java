package dev.racetrace.bench.jmh;

import dev.racetrace.core.Recorder;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.buffer.RingRegistry;
import java.util.concurrent.locks.LockSupport;

/**
 * Stands in for the agent's exporter thread in the JMH runs: it empties every registered ring
 * (only {@code drainTo}, no span assembly), so the rings reach a steady state instead of filling
 * up and taking the drop path. It parks 20 µs when a pass found nothing; with rings of 256 Ki
 * records that leaves milliseconds of headroom at the event rates a benchmark thread reaches.
 */
final class Drainer implements Runnable {
  private static final int BATCH = 1024;

  private final long[] buf = new long[BATCH * EventRing.RECORD_LONGS];
  private final Object[] refs = new Object[BATCH * EventRing.RECORD_REFS];
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long drained;

  private Drainer() {
    thread = new Thread(this, "bench-drainer");
    thread.setDaemon(true);
  }

  static Drainer start() {
    Drainer d = new Drainer();
    d.thread.start();
    return d;
  }

  @Override
  public void run() {
    long total = 0;
    while (running) {
      int pass = 0;
      for (RingRegistry.Entry e : Recorder.registry().entries()) {
        EventRing ring = e.ring();
        int n;
        while ((n = ring.drainTo(buf, refs, BATCH)) > 0) {
          pass += n;
        }
      }
      if (pass > 0) {
        java.util.Arrays.fill(refs, null);
        total += pass;
        drained = total;
      } else {
        LockSupport.parkNanos(20_000L);
      }
    }
  }

  /** Stops the thread and returns the number of records it drained. */
  long stop() throws InterruptedException {
    running = false;
    thread.join(5_000L);
    return drained;
  }

  /** Records refused by full rings, over all registered rings. */
  static long dropped() {
    long d = 0;
    for (RingRegistry.Entry e : Recorder.registry().entries()) {
      d += e.ring().dropped();
    }
    return d;
  }
}
