package dev.racetrace.agent.export.drain;

import dev.racetrace.core.EventKind;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.ThreadNames;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.buffer.RingRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Moves committed records out of every ring, decodes them, attaches state-probe values to the
 * event they were recorded with, keeps thread names current and retires the rings of threads
 * that have ended. Exporter thread only.
 *
 * <p>It has two drains over the same rings, {@link #drain} (events, merged oldest first, for span
 * assembly) and {@link #drainTo} (records as they lie, for the journal); they share the drain
 * buffers, the thread names, the retiring of rings and the watermark rule ({@link DrainWatermark}),
 * which is why both live in this one class of some 370 lines.
 */
public final class RingDrainer {
  private static final int BATCH = 1024;
  /** Not a thread id (Java's are positive). */
  private static final long NO_THREAD = -1;
  /** Records taken from the oldest ring before the rings' heads are compared again. */
  private static final int MERGE_RUN = 64;

  /** Takes records as they lie in the drain buffer ({@link EventRing#drainTo} layout). */
  public interface RecordSink {
    void record(long[] longs, Object[] refs, int i, String threadName);

    /**
     * The application's current span context on thread {@code threadId} changed to {@code context}
     * (its own OTel object, or null: none) before the thread's next records (racetrace.otel.link).
     */
    default void appContext(long threadId, Object context) {}
  }

  /**
   * A record sink of {@link #drainTo} that is told, before a pass's records, how many rings there
   * are (so it can share what it keeps among their threads), and for which the application span
   * contexts are followed ({@link #appContextOf}), so that it can decode events as {@link #drain}
   * does.
   */
  public interface RingSink extends RecordSink {
    /** @param rings the rings registered in this pass */
    void rings(int rings);
  }

  private static final int DEFAULT_MAX_APP_CONTEXTS = 65_536;
  private final AppContexts appContexts;
  private final DrainWatermark bound = new DrainWatermark();
  private final RingRegistry registry;
  private final ThreadDirectory threads;
  private final long[] buf = new long[BATCH * EventRing.RECORD_LONGS];
  private final Object[] refs = new Object[BATCH * EventRing.RECORD_REFS];
  private long retiredDrops;

  private final LongSupplier issuedSeq;
  /** Whether this drainer takes the process's thread-name notices ({@link ThreadNames#poll}). */
  private final boolean processThreadNames;

  public RingDrainer(RingRegistry registry, ThreadDirectory threads) {
    this(registry, threads, Recorder::currentSeq, DEFAULT_MAX_APP_CONTEXTS);
  }

  /** @param issuedSeq the last seq handed out to the application's threads */
  RingDrainer(RingRegistry registry, ThreadDirectory threads, LongSupplier issuedSeq) {
    this(registry, threads, issuedSeq, DEFAULT_MAX_APP_CONTEXTS);
  }

  /** @param maxAppContexts threads whose application span is remembered (racetrace.memory.max) */
  public RingDrainer(RingRegistry registry, ThreadDirectory threads, int maxAppContexts) {
    this(registry, threads, Recorder::currentSeq, maxAppContexts);
  }

  RingDrainer(RingRegistry registry, ThreadDirectory threads, LongSupplier issuedSeq,
      int maxAppContexts) {
    this(registry, threads, issuedSeq, maxAppContexts, true);
  }

  private RingDrainer(RingRegistry registry, ThreadDirectory threads, LongSupplier issuedSeq,
      int maxAppContexts, boolean processThreadNames) {
    this.appContexts = new AppContexts(maxAppContexts);
    this.registry = registry;
    this.threads = threads;
    this.issuedSeq = issuedSeq;
    this.processThreadNames = processThreadNames;
  }

  /**
   * A drainer of rings that are not the recorder's (a warm-up's own): it takes none of the
   * process's thread-name notices, which are the recording drainer's, and no seq the application
   * was handed bounds its watermark.
   */
  public static RingDrainer ofOwnRings(RingRegistry registry, ThreadDirectory threads) {
    return new RingDrainer(registry, threads, () -> Long.MAX_VALUE, DEFAULT_MAX_APP_CONTEXTS, false);
  }

  /**
   * Drains up to {@code max} records oldest first: each step takes a short run from the ring whose
   * next record has the lowest seq, so events leave the rings in (nearly) seq order whatever the
   * limit cuts, no thread's older events wait behind another's newer ones, and a busy thread's new
   * events cannot hold back the others' older ones.
   *
   * @param ended receives ids of threads whose ring was retired in this pass
   * @see #watermark()
   */
  public List<Event> drain(int max, List<Long> ended) {
    // an event taken after this may sit in a ring drained before it was written
    long issued = issuedSeq.getAsLong();
    List<Event> out = new ArrayList<>();
    StateFollowers states = new StateFollowers();
    takeThreadNames();
    RingRegistry.Entry[] entries = registry.entries();
    for (int i = 0; i < entries.length; i++) {
      EventRing ring = entries[i].ring();
      Thread owner = entries[i].owner();
      if (!ring.isShared()) {
        // a live owner may have been renamed; a dead one may already be collected
        threads.name(ring.ownerThreadId(), owner != null ? owner.getName() : ring.ownerThreadName(), false);
      }
    }
    int left = max;
    // comparing every ring's head costs one read per ring: a run at least as long keeps that at
    // about one read per event however many threads record
    int run = Math.max(MERGE_RUN, entries.length);
    while (left > 0) {
      int oldest = -1;
      long oldestHead = Long.MAX_VALUE;
      for (int i = 0; i < entries.length; i++) {
        long head = entries[i].ring().headSeq();
        if (head != 0 && head < oldestHead) {
          oldest = i;
          oldestHead = head;
        }
      }
      if (oldest < 0) {
        break;
      }
      int got = drainRing(entries[oldest].ring(), Math.min(run, left), out, states);
      if (got == 0) {
        break;
      }
      left -= got;
    }
    watermark = bound.after(entries, Long.MAX_VALUE, issued);
    // only the limit makes a drain "short": events that arrived while it ran wait for the next
    // interval, or the exporter would never rest while the application records
    cutShort = left <= 0 && bound.recordsLeft();
    for (RingRegistry.Entry entry : entries) {
      if (entry.ownerGone() && entry.ring().isEmpty()) {
        retire(entry, ended);
      }
    }
    return out;
  }

  private long watermark = Long.MAX_VALUE;
  private boolean cutShort;

  /**
   * The application span context current on a thread at the record a {@link RingSink} is being
   * handed (racetrace.otel.link), or null: a sink that decodes events gives it to them, as
   * {@link #drain} does.
   */
  public Object appContextOf(long threadId) {
    return appContexts.of(threadId);
  }

  /**
   * After {@link #drain}: events of that drain up to this seq may be assembled. It is just below
   * the lowest seq still waiting in a ring (a run from the oldest ring may have taken events past
   * it) and the lowest seq of a publishing call whose record is not written yet, and never above the
   * last seq handed out when the drain began (an event taken later may have gone into a ring
   * already drained).
   */
  public long watermark() {
    return watermark;
  }

  /** After {@link #drain}: whether the limit left events in some ring. */
  public boolean cutShort() {
    return cutShort;
  }

  /** The ring of an ended thread is empty: its drops are kept, the ring and its context let go. */
  private void retire(RingRegistry.Entry entry, List<Long> ended) {
    EventRing ring = entry.ring();
    retiredDrops += ring.dropped();
    registry.remove(entry);
    ended.add(ring.ownerThreadId());
    appContexts.forget(ring.ownerThreadId());
  }

  /** Drains up to {@code want} records of one ring into {@code out}. @return records taken */
  private int drainRing(EventRing ring, int want, List<Event> out, StateFollowers states) {
    int taken = 0;
    long last = 0;
    // past the limit only for the state values of the last event taken: they go with it
    while (taken < want || (last != 0 && ring.headIs(last, EventKind.STATE))) {
      int n = ring.drainTo(buf, refs, taken < want ? Math.min(BATCH, want - taken) : 1);
      for (int i = 0; i < n; i++) {
        if (StateFollowers.isState(buf, i)) {
          states.attach(buf, i); // its value goes onto its event: no event of its own
          continue;
        }
        Event e = Event.decode(buf, refs, i);
        if (e.kind == EventKind.APP_CONTEXT) {
          appContexts.note(e.threadId, e.aux);
          continue;
        }
        e.appContext = appContexts.of(e.threadId);
        e.threadName = threads.nameOf(e.threadId);
        states.follow(e);
        out.add(e);
      }
      java.util.Arrays.fill(refs, 0, n * EventRing.RECORD_REFS, null);
      taken += n;
      if (n == 0) {
        break;
      }
      last = buf[(n - 1) * EventRing.RECORD_LONGS + EventRing.HEADER];
    }
    return taken;
  }

  /**
   * The journal's drain: hands up to {@code max} committed records to {@code journal} as they lie in
   * the drain buffer, with no {@link Event} made for them (the replay decodes and orders them).
   * Application span contexts go to {@link RecordSink#appContext}. Sets {@link #watermark()} as
   * {@link #drain} does: a pass cut short, or a record written into a ring already drained, would
   * otherwise let a later seq be replayed before an earlier one.
   *
   * @param ended receives ids of threads whose ring was retired in this pass
   * @return records handed over
   */
  public int drainTo(RecordSink journal, int max, List<Long> ended) {
    takeThreadNames();
    // as in drain(): an event taken after this may sit in a ring drained before it was written
    long issued = issuedSeq.getAsLong();
    long low = Long.MAX_VALUE;
    int count = 0;
    long lastId = Long.MIN_VALUE; // names are stable within a pass: one lookup per run of a thread's records
    String lastName = null;
    RingRegistry.Entry[] entries = registry.entries();
    RingSink decoding = journal instanceof RingSink ? (RingSink) journal : null;
    if (decoding != null) {
      decoding.rings(entries.length);
    }
    for (RingRegistry.Entry entry : entries) {
      EventRing ring = entry.ring();
      Thread owner = entry.owner();
      boolean shared = ring.isShared();
      String ownerName = null;
      if (!shared) {
        threads.name(ring.ownerThreadId(), owner != null ? owner.getName() : ring.ownerThreadName(), false);
        ownerName = threads.nameOf(ring.ownerThreadId());
      }
      // no thread has this id: a shared ring's records are all named by lookup. A value, not a branch
      // on `shared` in the loop below, which C2 hoisted on the profile and then deoptimized on
      long ownerId = shared ? NO_THREAD : ring.ownerThreadId();
      boolean gone = entry.ownerGone();
      long lastSeq = Long.MIN_VALUE;
      int n;
      do {
        // past the limit only for the state values of the last record taken: they go with it
        n = ring.drainTo(buf, refs, count < max ? Math.min(BATCH, max - count) : 1);
        for (int i = 0; i < n; i++) {
          int o = i * EventRing.RECORD_LONGS;
          lastSeq = buf[o + EventRing.HEADER];
          long threadId = buf[o + EventRing.THREAD];
          if ((buf[o + EventRing.META] & 0xFF) == EventKind.APP_CONTEXT) {
            noteAppContext(decoding != null, threadId, i);
            journal.appContext(threadId, refs[i * EventRing.RECORD_REFS + 1]);
            continue;
          }
          String name;
          if (threadId == ownerId) {
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
      } while (n > 0 && (count < max || ring.headIs(lastSeq, EventKind.STATE)));
      boolean empty = ring.isEmpty();
      if (!empty && count >= max) {
        low = Math.min(low, lastSeq); // cut short: what is left may come before later rings' events
      }
      if (gone && empty) {
        retire(entry, ended);
        threads.forget(ring.ownerThreadId()); // its records are written: no span will ask its name
      }
    }
    cutShort = low != Long.MAX_VALUE;
    // as in drain(): a ring visited early in this pass may have been given, since, a record with a
    // seq below what later rings gave (taken before its operation, written after it), and a
    // publishing call's record may not be written yet (an enqueue whose element another thread
    // took and recorded already): every ring bounds the watermark, not only those the limit cut short
    watermark = bound.after(registry.entries(), low, issued);
    return count;
  }

  private void takeThreadNames() {
    if (!processThreadNames) {
      return;
    }
    for (ThreadNames.Named n; (n = ThreadNames.poll()) != null; ) {
      threads.name(n.id, n.name, n.virtual);
    }
  }

  /** An application span context the journal's live assembly links to. */
  private void noteAppContext(boolean decoding, long threadId, int i) {
    if (decoding) { // events it decodes link to the current one
      appContexts.note(threadId, refs[i * EventRing.RECORD_REFS + 1]);
    }
  }

  /**
   * Makes {@code consumer} (the exporter thread) the thread woken when a ring of this drainer's
   * registry passes half full ({@link dev.racetrace.core.buffer.DrainWake}).
   */
  public void wakeOnHalfFull(Thread consumer) {
    registry.wake().consumer(consumer);
  }

  /** Events dropped because a ring was full, over all rings ever registered. */
  public long dropped() {
    long d = retiredDrops;
    for (RingRegistry.Entry e : registry.entries()) {
      d += e.ring().dropped();
    }
    return d;
  }

  /** The fullest ring's backlog as a fraction of its capacity (0 when all are empty). */
  public double maxFill() {
    double max = 0;
    for (RingRegistry.Entry e : registry.entries()) {
      EventRing r = e.ring();
      max = Math.max(max, (double) r.backlog() / r.capacity());
    }
    return max;
  }

  /** Events still waiting in the rings (any thread may ask; the answer is a moment's estimate). */
  public long backlog() {
    long n = 0;
    for (RingRegistry.Entry e : registry.entries()) {
      n += e.ring().backlog();
    }
    return n;
  }

  /** Whether any ring still holds committed records. */
  public boolean hasBacklog() {
    for (RingRegistry.Entry e : registry.entries()) {
      if (!e.ring().isEmpty()) {
        return true;
      }
    }
    return false;
  }
}
