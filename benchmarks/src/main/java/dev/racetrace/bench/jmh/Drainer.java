package dev.racetrace.bench.jmh;

import dev.racetrace.core.Recorder;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.buffer.RingRegistry;
import java.util.concurrent.locks.LockSupport;

/**
 * Stands in for the agent's exporter thread in the JMH runs: it empties every registered ring
 * (only {@code drainTo}, no span assembly), so the rings reach a steady state instead of filling
 * up and taking the drop path. Like the agent's journal drain while records keep coming, it passes
 * once a millisecond: a drainer that chased the producer record by record would measure the two
 * threads' cache-line traffic on the ring (a fork-to-fork spread of 2x) rather than the hook. A pass
 * that finds the drainer behind (after the thread was descheduled) is followed at once by the next;
 * with rings of 256 Ki records a millisecond is far within what a benchmark thread fills. The
 * trial's drop count is printed at its end: a run with drops measured the drop path, not the hook.
 */
final class Drainer implements Runnable {
  private static final int BATCH = 1024;
  /** Between passes, as the agent's journal drain while busy (JournalCycle's BUSY_PAUSE_NANOS). */
  private static final long PAUSE_NANOS = 1_000_000L;
  /** A pass that found this many records was behind: the next one starts without a pause. */
  private static final int CATCH_UP = 4 * BATCH;

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
      }
      if (pass < CATCH_UP) {
        LockSupport.parkNanos(PAUSE_NANOS);
      } // else behind (the thread was descheduled): go again at once, as the agent's drain wake does
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
