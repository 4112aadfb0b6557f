package dev.racetrace.agent.export.journal;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.InOrderRelease;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.drain.StateFollowers;
import dev.racetrace.agent.export.sink.LiveExportBudget;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.buffer.EventRing;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live export together with the journal (racetrace.exporter=auto with an OTel exporter configured):
 * every record goes to the journal, never sampled, and the span assembler gets what
 * racetrace.export.cpu lets it have. Exporter thread only.
 *
 * <p>While the live export is within its share, a pass drains the rings once for both: the journal
 * takes each record as it lies in the drain buffer, then it is decoded for the assembler
 * ({@link #drain}). While the export repays CPU debt ({@link LiveExportBudget#resting}) the
 * assembler rests, but the rings are still drained for the journal at the journal's pace
 * ({@link #rest}): of each ring, events up to a quota are decoded and held for the assembler, as the
 * ring itself would have held them through a pause (a flooding thread does not crowd out a quiet
 * thread's events), and the rest go to the journal only, counted as not assembled live. So the
 * budget never slows the journal nor makes the rings drop; what is not exported live is in the
 * journal.
 */
public final class LiveJournal implements RingDrainer.RingSink {
  private final JournalWriter journal;
  private final RingDrainer drainer;
  private final LiveExportBudget live;
  private final InOrderRelease order;
  private final long flushNanos;
  /** Events held for the assembler while it rests, at most. */
  private final int maxHeld;
  /** Per ring, events held since the assembler began resting. */
  private final Map<EventRing, int[]> heldPerRing = new IdentityHashMap<>();
  private int[] ringHeld;
  private int ringQuota;
  /** The events held in this pass: their state probe records follow them. */
  private final StateFollowers states = new StateFollowers();
  private List<Event> restEvents;
  private long records;
  private long notAssembled;

  /**
   * @param order the export loop's seq ordering, where events wait while the assembler rests
   * @param maxHeld events held at most while the assembler rests (one cycle's worth)
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
   * A pass for the journal and the assembler: up to {@code max} records, each journaled, and
   * returned as events to assemble.
   */
  public List<Event> drain(int max, List<Long> ended) {
    heldPerRing.clear(); // the rest is over: the quotas start afresh at the next one
    begin();
    List<Event> events = drainer.drain(max, ended, journal);
    end(drainer.teed(), ended);
    return events;
  }

  /**
   * A pass while the assembler rests: up to {@code max} records to the journal, of which what fits
   * the quotas is held for the assembler ({@link InOrderRelease#hold}).
   *
   * @return whether the pass stopped at {@code max} (more is waiting)
   */
  public boolean rest(int max) {
    List<Long> ended = new ArrayList<>();
    restEvents = new ArrayList<>();
    begin();
    int n = drainer.drainTo(this, max, ended);
    end(n, ended);
    order.hold(restEvents, ended); // the ends too: the assembler closes those threads' work later
    restEvents = null;
    states.clear();
    return drainer.cutShort();
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

  @Override
  public void ring(EventRing ring, int rings) {
    ringHeld = heldPerRing.computeIfAbsent(ring, r -> new int[1]);
    ringQuota = Math.min(ring.capacity(), Math.max(1, maxHeld / Math.max(1, rings)));
  }

  @Override
  public void record(long[] longs, Object[] refs, int i, String threadName) {
    journal.record(longs, refs, i, threadName);
    if (StateFollowers.isState(longs, i)) {
      states.attach(longs, i); // dropped with its event when that was not held
      return;
    }
    if (ringHeld[0] >= ringQuota || order.held() + restEvents.size() >= maxHeld) {
      notAssembled++;
      return;
    }
    Event e = Event.decode(longs, refs, i);
    e.threadName = threadName;
    ringHeld[0]++;
    restEvents.add(e);
    states.follow(e);
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
