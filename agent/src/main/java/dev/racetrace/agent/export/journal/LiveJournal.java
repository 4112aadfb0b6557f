package dev.racetrace.agent.export.journal;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.InOrderRelease;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.drain.StateFollowers;
import dev.racetrace.agent.export.sink.LiveExportBudget;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.schema.EventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Live export together with the journal (racetrace.exporter=auto with an OTel exporter configured):
 * every record goes to the journal, never sampled, and the span assembler gets what
 * racetrace.export.cpu lets it have. Exporter thread only.
 *
 * <p>Every pass drains the rings for the journal at the journal's pace ({@link #pass}): the journal
 * takes each record as it lies in the drain buffer, and what the hold has room for is decoded and
 * held for the assembler ({@link InOrderRelease#hold}); the rest go to the journal only, counted as
 * not assembled live. The assembler then takes a slice of what is held, in seq order, unless it is
 * repaying CPU debt ({@link LiveExportBudget#resting}). So neither the budget nor a slow assembly
 * (cold at start) holds the drain back or makes the rings drop; what is not exported live is in the
 * journal. The hold takes one cycle's worth of events from any thread, and as much again only from
 * threads under their share of it, so that a flooding thread does not crowd out a quiet thread's
 * events.
 */
public final class LiveJournal implements RingDrainer.RingSink {
  private final JournalWriter journal;
  private final RingDrainer drainer;
  private final LiveExportBudget live;
  private final InOrderRelease order;
  private final long flushNanos;
  /** Events held for any thread (one cycle's worth); as much again for threads under their share. */
  private final int maxHeld;
  /** Per thread, its events held now (taken by {@link #pass}, not yet {@link #released}). */
  private final Map<Long, int[]> heldPerThread = new HashMap<>();
  /** A thread's share of {@link #maxHeld}, by the rings the current pass drains. */
  private int threadQuota;
  /** The events held in this pass: their state probe records follow them. */
  private final StateFollowers states = new StateFollowers();
  private List<Event> passEvents;
  private long records;
  private long notAssembled;

  /**
   * @param order the export loop's seq ordering, where events wait while the assembler rests
   * @param maxHeld events held for any thread (one cycle's worth; as much again for threads under
   *     their share)
   * @param flushNanos how long a journal chunk waits at most before it is written
   */
  public LiveJournal(JournalWriter journal, RingDrainer drainer, LiveExportBudget live, InOrderRelease order,
      int maxHeld, long flushNanos) {
    this.journal = journal;
    this.drainer = drainer;
    this.live = live;
    this.order = order;
    this.maxHeld = maxHeld;
    this.flushNanos = flushNanos;
  }

  /** Whether the assembler may run now (the live export is not repaying CPU debt). */
  public boolean assembling() {
    return !live.resting();
  }

  /**
   * A pass: up to {@code max} records to the journal, of which what the hold's room allows is held
   * for the assembler ({@link InOrderRelease#hold}).
   *
   * @return whether the pass stopped at {@code max} (more is waiting)
   */
  public boolean pass(int max) {
    List<Long> ended = new ArrayList<>();
    passEvents = new ArrayList<>();
    begin();
    int n = drainer.drainTo(this, max, ended);
    end(n, ended);
    order.hold(passEvents, ended); // the ends too: the assembler closes those threads' work later
    passEvents = null;
    states.clear();
    return drainer.cutShort();
  }

  /** The assembler took {@code events} from the hold: their threads' shares have room again. */
  public void released(List<Event> events) {
    for (Event e : events) {
      int[] held = heldPerThread.get(e.threadId);
      if (held != null && --held[0] <= 0) {
        heldPerThread.remove(e.threadId);
      }
    }
  }

  private void begin() {
    journal.beginBatch(System.nanoTime(), dev.racetrace.core.Clock.now(), drainer.dropped(),
        Recorder.internalErrors(), dev.racetrace.core.task.TaskRuns.lostLinks());
  }

  private void end(int n, List<Long> ended) {
    journal.watermark(drainer.watermark()); // replay holds what may precede records left in rings
    for (Long id : ended) {
      journal.threadEnded(id);
    }
    records += n;
    journal.flushIfOlder(System.nanoTime(), flushNanos);
  }

  /** By record kind: whether it is a guard's event (EventType.guardKind()), whose spans matter. */
  private static final boolean[] GUARDS = guardKinds();

  private static boolean[] guardKinds() {
    boolean[] guards = new boolean[256];
    for (EventType t : EventType.values()) {
      if (t.kind() >= 0 && t.kind() < guards.length) {
        guards[t.kind()] = t.guardKind() != null;
      }
    }
    return guards;
  }

  @Override
  public void rings(int rings) {
    threadQuota = Math.max(1, maxHeld / Math.max(1, rings));
  }

  @Override
  public void appContext(long threadId, Object context) {
    journal.appContext(threadId, context);
  }
  @Override
  public void record(long[] longs, Object[] refs, int i, String threadName) {
    journal.record(longs, refs, i, threadName);
    if (StateFollowers.isState(longs, i)) {
      states.attach(longs, i); // dropped with its event when that was not held
      return;
    }
    int o = i * EventRing.RECORD_LONGS;
    if (!room(longs[o + EventRing.THREAD], GUARDS[(int) (longs[o + EventRing.META] & 0xFF)])) {
      notAssembled++;
      return;
    }
    Event e = Event.decode(longs, refs, i);
    e.threadName = threadName;
    e.appContext = drainer.appContextOf(e.threadId);
    heldPerThread.computeIfAbsent(e.threadId, t -> new int[1])[0]++;
    passEvents.add(e);
    states.follow(e);
  }

  /**
   * Whether the hold has room for one more event of {@code threadId}: up to {@link #maxHeld} for any
   * thread (a burst the assembler takes in a few slices), and as much again only for a thread under
   * its share of it, so that a flooding thread, while the assembler falls behind or rests, leaves
   * room for a quiet thread's events (its rule violation), or for a guard's event of any thread
   * (a check, a wait and its expiry, a signal: spans the live export prefers,
   * {@link dev.racetrace.agent.export.sink.LiveExportBudget}).
   */
  private boolean room(long threadId, boolean guard) {
    int held = order.held() + passEvents.size();
    if (held < maxHeld) {
      return true;
    }
    if (held >= 2 * maxHeld) {
      return false;
    }
    if (guard) {
      return true;
    }
    int[] mine = heldPerThread.get(threadId);
    return mine == null || mine[0] < threadQuota;
  }

  /** Records written to the journal. */
  public long records() {
    return records;
  }

  /** Events written to the journal only, never assembled: their spans were not exported live. */
  public long notAssembled() {
    return notAssembled;
  }
}
