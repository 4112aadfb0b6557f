package dev.racetrace.core;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Registered state probes: named numbers such as "metadata.entities" whose values are recorded
 * when work starts on a thread and at every guard check, as {@code race.state.<name>}.
 * A probe that throws three times is disabled (counted, never propagated).
 */
public final class StateProbes {
  /** One named probe. */
  public static final class Probe {
    final String name;
    final LongSupplier supplier;
    final int index;
    volatile int failures;

    Probe(String name, LongSupplier supplier, int index) {
      this.name = name;
      this.supplier = supplier;
      this.index = index;
    }

    public String name() {
      return name;
    }

    public int index() {
      return index;
    }

    public boolean disabled() {
      return failures >= MAX_FAILURES;
    }
  }

  static final int MAX_FAILURES = 3;
  private static final Probe[] NONE = new Probe[0];
  private static final AtomicReference<Probe[]> PROBES = new AtomicReference<>(NONE);

  private StateProbes() {}

  /**
   * Registers (or replaces, by name) a probe.
   *
   * @return the probe's index, exported with each value
   */
  public static int register(String name, LongSupplier supplier) {
    if (name == null || name.isEmpty() || supplier == null) {
      return -1;
    }
    while (true) {
      Probe[] cur = PROBES.get();
      Probe[] next;
      int index = -1;
      for (int i = 0; i < cur.length; i++) {
        if (cur[i].name.equals(name)) {
          index = i;
        }
      }
      if (index >= 0) {
        next = cur.clone();
        next[index] = new Probe(name, supplier, index);
      } else {
        index = cur.length;
        next = new Probe[cur.length + 1];
        System.arraycopy(cur, 0, next, 0, cur.length);
        next[index] = new Probe(name, supplier, index);
      }
      if (PROBES.compareAndSet(cur, next)) {
        return index;
      }
    }
  }

  /** Name of the probe with this index, or null. */
  public static String nameOf(int index) {
    Probe[] p = PROBES.get();
    return index >= 0 && index < p.length ? p[index].name : null;
  }

  /** Records every live probe's value as a STATE event with the given seq. */
  static void recordAll(ThreadState ts, long seq, long time) {
    final Probe[] probes = PROBES.get();
    if (probes.length == 0 || ts.inCallout) {
      return;
    }
    for (Probe p : probes) {
      if (p.failures >= MAX_FAILURES) {
        continue;
      }
      long value;
      ts.inCallout = true;
      try {
        value = p.supplier.getAsLong();
      } catch (Throwable t) {
        p.failures++;
        Recorder.countInternalError();
        continue;
      } finally {
        ts.inCallout = false;
      }
      long meta = EventKind.STATE | ((long) Outcome.OK << 8);
      ts.ring.write(seq, time, meta, ts.threadId, 0L, p.index, value, 0L, null, null);
    }
  }
}
