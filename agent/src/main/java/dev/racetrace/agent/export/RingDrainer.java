package dev.racetrace.agent.export;

import dev.racetrace.core.EventKind;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.ThreadNames;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.buffer.RingRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Moves committed records out of every ring, decodes them, attaches state-probe values to the
 * event they were recorded with, keeps thread names current and retires the rings of threads
 * that have ended. Exporter thread only.
 */
final class RingDrainer {
  private static final int BATCH = 1024;

  /** Takes records as they lie in the drain buffer ({@link EventRing#drainTo} layout). */
  interface RecordSink {
    void record(long[] longs, Object[] refs, int i, String threadName);
  }

  private static final int DEFAULT_MAX_APP_CONTEXTS = 65_536;
  private final int maxAppContexts;
  /** Per thread, the application span context last recorded (racetrace.otel.link). */
  private final Map<Long, Object> appContexts = new HashMap<>();
  private final RingRegistry registry;
  private final ThreadDirectory threads;
  private final long[] buf = new long[BATCH * EventRing.RECORD_LONGS];
  private final Object[] refs = new Object[BATCH * EventRing.RECORD_REFS];
  private long retiredDrops;

  private final LongSupplier issuedSeq;

  RingDrainer(RingRegistry registry, ThreadDirectory threads) {
    this(registry, threads, Recorder::currentSeq, DEFAULT_MAX_APP_CONTEXTS);
  }

  /** @param issuedSeq the last seq handed out to the application's threads */
  RingDrainer(RingRegistry registry, ThreadDirectory threads, LongSupplier issuedSeq) {
    this(registry, threads, issuedSeq, DEFAULT_MAX_APP_CONTEXTS);
  }

  /** @param maxAppContexts threads whose application span is remembered (racetrace.memory.max) */
  RingDrainer(RingRegistry registry, ThreadDirectory threads, int maxAppContexts) {
    this(registry, threads, Recorder::currentSeq, maxAppContexts);
  }

  RingDrainer(RingRegistry registry, ThreadDirectory threads, LongSupplier issuedSeq,
      int maxAppContexts) {
    this.maxAppContexts = maxAppContexts;
    this.registry = registry;
    this.threads = threads;
    this.issuedSeq = issuedSeq;
  }

  /**
   * Drains up to {@code max} records, fairly: each pass gives every ring not yet found empty an
   * equal share of what is left, so one busy thread cannot hold back the others' events.
   *
   * @param ended receives ids of threads whose ring was retired in this pass
   * @see #watermark()
   */
  List<Event> drain(int max, List<Long> ended) {
    // an event taken after this may sit in a ring drained before it was written
    long issued = issuedSeq.getAsLong();
    List<Event> out = new ArrayList<>();
    Map<Long, Event> lastByThread = new HashMap<>();
    for (ThreadNames.Named n; (n = ThreadNames.poll()) != null; ) {
      threads.name(n.id, n.name, n.virtual);
    }
    RingRegistry.Entry[] entries = registry.entries();
    long[] lastSeq = new long[entries.length];
    boolean[] open = new boolean[entries.length];
    int openCount = 0;
    for (int i = 0; i < entries.length; i++) {
      EventRing ring = entries[i].ring();
      Thread owner = entries[i].owner();
      if (!ring.isShared()) {
        // a live owner may have been renamed; a dead one may already be collected
        threads.name(ring.ownerThreadId(), owner != null ? owner.getName() : ring.ownerThreadName(), false);
      }
      lastSeq[i] = -1;
      open[i] = true;
      openCount++;
    }
    int left = max;
    while (openCount > 0 && left > 0) {
      int share = Math.max(1, left / openCount);
      for (int i = 0; i < entries.length && left > 0; i++) {
        if (!open[i]) {
          continue;
        }
        int want = Math.min(share, left);
        int got = drainRing(entries[i].ring(), want, out, lastByThread, lastSeq, i);
        left -= got;
        if (got < want) {
          open[i] = false; // found empty
          openCount--;
        }
      }
    }
    long low = Long.MAX_VALUE;
    for (int i = 0; i < entries.length; i++) {
      RingRegistry.Entry entry = entries[i];
      EventRing ring = entry.ring();
      boolean empty = ring.isEmpty();
      if (open[i] && !empty) {
        // cut short: what is still in it may come before events of other rings drained now; a ring
        // that got no share at all bounds everything
        low = Math.min(low, lastSeq[i] < 0 ? Long.MIN_VALUE : lastSeq[i]);
      }
      if (entry.ownerGone() && empty) {
        retiredDrops += ring.dropped();
        registry.remove(entry);
        ended.add(ring.ownerThreadId());
        appContexts.remove(ring.ownerThreadId());
      }
    }
    cutShort = low != Long.MAX_VALUE;
    watermark = Math.min(low, issued);
    return out;
  }

  private long watermark = Long.MAX_VALUE;
  private boolean cutShort;

  /**
   * After {@link #drain}: events of that drain up to this seq may be assembled. It is the lowest
   * seq last drained from a ring that was cut short by the limit (what is still in that ring may
   * come before events drained from others), and never above the last seq handed out when the
   * drain began (an event taken later may have gone into a ring already drained).
   */
  long watermark() {
    return watermark;
  }

  /** After {@link #drain}: whether the limit left events in some ring. */
  boolean cutShort() {
    return cutShort;
  }

  /** Drains up to {@code want} records of one ring into {@code out}. @return records taken */
  private int drainRing(EventRing ring, int want, List<Event> out, Map<Long, Event> lastByThread,
      long[] lastSeq, int index) {
    int taken = 0;
    while (taken < want) {
      int n = ring.drainTo(buf, refs, Math.min(BATCH, want - taken));
      for (int i = 0; i < n; i++) {
        Event e = Event.decode(buf, refs, i);
        lastSeq[index] = e.seq;
        if (e.kind == EventKind.APP_CONTEXT) {
          noteAppContext(e.threadId, e.aux);
          continue;
        }
        if (!appContexts.isEmpty()) {
          e.appContext = appContexts.get(e.threadId);
        }
        if (e.kind == EventKind.STATE) {
          Event parent = lastByThread.get(e.threadId);
          if (parent != null && parent.seq == e.seq) {
            parent.addState(e.a, e.b);
          }
          continue;
        }
        e.threadName = threads.nameOf(e.threadId);
        lastByThread.put(e.threadId, e);
        out.add(e);
      }
      java.util.Arrays.fill(refs, 0, n * EventRing.RECORD_REFS, null);
      taken += n;
      if (n == 0) {
        break;
      }
    }
    return taken;
  }

  /**
   * The journal's drain: hands up to {@code max} committed records to {@code journal} as they lie in
   * the drain buffer, with no {@link Event} made for them (the replay decodes and orders them).
   * Application span contexts are not journaled. Sets {@link #watermark()} as {@link #drain} does:
   * a pass cut short, or a record written into a ring already drained, would otherwise let a later
   * seq be replayed before an earlier one.
   *
   * @param ended receives ids of threads whose ring was retired in this pass
   * @return records handed over
   */
  int drainTo(RecordSink journal, int max, List<Long> ended) {
    for (ThreadNames.Named n; (n = ThreadNames.poll()) != null; ) {
      threads.name(n.id, n.name, n.virtual);
    }
    // as in drain(): an event taken after this may sit in a ring drained before it was written
    long issued = issuedSeq.getAsLong();
    long low = Long.MAX_VALUE;
    int count = 0;
    long lastId = Long.MIN_VALUE; // names are stable within a pass: one lookup per run of a thread's records
    String lastName = null;
    for (RingRegistry.Entry entry : registry.entries()) {
      EventRing ring = entry.ring();
      Thread owner = entry.owner();
      boolean shared = ring.isShared();
      String ownerName = null;
      if (!shared) {
        threads.name(ring.ownerThreadId(), owner != null ? owner.getName() : ring.ownerThreadName(), false);
        ownerName = threads.nameOf(ring.ownerThreadId());
      }
      boolean gone = entry.ownerGone();
      long lastSeq = Long.MIN_VALUE;
      int n;
      do {
        n = ring.drainTo(buf, refs, Math.min(BATCH, Math.max(1, max - count)));
        for (int i = 0; i < n; i++) {
          int o = i * EventRing.RECORD_LONGS;
          lastSeq = buf[o + EventRing.HEADER];
          if ((buf[o + EventRing.META] & 0xFF) == EventKind.APP_CONTEXT) {
            continue;
          }
          long threadId = buf[o + EventRing.THREAD];
          String name;
          if (!shared && threadId == ring.ownerThreadId()) {
            name = ownerName;
          } else {
            if (threadId != lastId) {
              lastId = threadId;
              lastName = threads.nameOf(threadId);
            }
            name = lastName;
          }
          journal.record(buf, refs, i, name);
          count++;
        }
        java.util.Arrays.fill(refs, 0, n * EventRing.RECORD_REFS, null);
      } while (n > 0 && count < max);
      boolean empty = ring.isEmpty();
      if (!empty && count >= max) {
        low = Math.min(low, lastSeq); // cut short: what is left may come before later rings' events
      }
      if (gone && empty) {
        retiredDrops += ring.dropped();
        registry.remove(entry);
        ended.add(ring.ownerThreadId());
        appContexts.remove(ring.ownerThreadId());
        threads.forget(ring.ownerThreadId()); // its records are written: no span will ask its name
      }
    }
    cutShort = low != Long.MAX_VALUE;
    watermark = Math.min(low, issued);
    return count;
  }

  /**
   * A thread's application span changed; it applies to that thread's later events. Bounded: past
   * {@code maxAppContexts} threads (virtual threads come and go without retiring a ring) the
   * table starts over, and those threads' spans go unlinked until their application span changes.
   */
  private void noteAppContext(long threadId, Object context) {
    if (appContexts.size() >= maxAppContexts && !appContexts.containsKey(threadId)) {
      appContexts.clear();
    }
    appContexts.put(threadId, context);
  }

  /** Events dropped because a ring was full, over all rings ever registered. */
  long dropped() {
    long d = retiredDrops;
    for (RingRegistry.Entry e : registry.entries()) {
      d += e.ring().dropped();
    }
    return d;
  }

  /** The fullest ring's backlog as a fraction of its capacity (0 when all are empty). */
  double maxFill() {
    double max = 0;
    for (RingRegistry.Entry e : registry.entries()) {
      EventRing r = e.ring();
      max = Math.max(max, (double) r.backlog() / r.capacity());
    }
    return max;
  }

  /** Events still waiting in the rings (any thread may ask; the answer is a moment's estimate). */
  long backlog() {
    long n = 0;
    for (RingRegistry.Entry e : registry.entries()) {
      n += e.ring().backlog();
    }
    return n;
  }

  /** Whether any ring still holds committed records. */
  boolean hasBacklog() {
    for (RingRegistry.Entry e : registry.entries()) {
      if (!e.ring().isEmpty()) {
        return true;
      }
    }
    return false;
  }
}
