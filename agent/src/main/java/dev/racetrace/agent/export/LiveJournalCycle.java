package dev.racetrace.agent.export;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.journal.JournalWarmup;
import dev.racetrace.agent.export.journal.LiveJournal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pass of live export with the journal: the rings are drained for the journal, holding for the
 * assembler what fits its hold ({@link LiveJournal#pass}); then, within racetrace.export.cpu and
 * while the backend has room, the assembler takes a slice of the held events ({@link SpanCycle},
 * {@link AssemblySlice}). Every record is journaled either way, and no pass holds the drain longer
 * than a slice of assembly.
 */
final class LiveJournalCycle implements ExportCycle {
  /**
   * The pause after a pass that found nothing: the pace this cycle's live assembly and matching
   * state were measured and tested at (the journal alone waits the export interval).
   */
  static final long IDLE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final CycleContext ctx;
  private final LiveJournal liveJournal;
  private final AssemblySlice slice;
  private final SpanCycle spans;
  private final Runnable warmUp;
  /**
   * Whether live assembly may run: false from {@link #warmUp} until the warm-up thread has ended or
   * the exit drain begins ({@link #exiting}); true in a cycle that was never warmed up.
   */
  private volatile boolean warm = true;
  private int lastRecords;
  /** Events the last span pass assembled (released to it). */
  private int assembled;

  /**
   * @param warmUp live export's path over records of its own ({@code LiveWarmup}), run on a thread
   *     of its own before live assembly starts
   */
  LiveJournalCycle(CycleContext ctx, LiveJournal liveJournal, Runnable warmUp) {
    this.ctx = ctx;
    this.liveJournal = liveJournal;
    this.warmUp = warmUp;
    this.slice = new AssemblySlice(ctx.maxEventsPerCycle, ctx.intervalNanos);
    this.spans = new SpanCycle(ctx, new SpanCycle.Source() {
      @Override
      public List<Event> drain(int max, List<Long> ended) {
        return new ArrayList<>(); // the journal's pass has drained the rings: only what is held goes
      }

      @Override
      public void released(List<Event> events) {
        assembled = events.size();
        liveJournal.released(events);
      }
    }, slice);
  }

  /**
   * Compiles the journal's copy path ({@link JournalWarmup}), then starts live export's warm-up on a
   * thread of its own: the exporter thread journals every record meanwhile, and live assembly
   * starts when that warm-up has ended (whether it worked or not).
   */
  @Override
  public void warmUp() {
    try {
      JournalWarmup.run();
    } finally {
      startLiveWarmUp();
    }
  }

  private void startLiveWarmUp() {
    warm = false;
    try {
      Thread t = new Thread(() -> {
        try {
          warmUp.run();
        } finally {
          warm = true;
        }
      }, "racetrace-warmup");
      t.setDaemon(true);
      t.start();
    } catch (Throwable notStarted) { // no thread to be had: live assembly warms up on real events
      warm = true;
    }
  }

  /** At exit whatever is drained may be assembled, warm or not. */
  @Override
  public void exiting() {
    warm = true;
  }

  @Override
  public boolean pass() {
    // warming up, over the CPU share, or the backend has not answered: the journal's pass only
    boolean assemble = warm && liveJournal.assembling() && !ctx.sink.backendBusy();
    long before = liveJournal.records();
    boolean more = liveJournal.pass(JournalCycle.MAX_RECORDS);
    lastRecords = (int) (liveJournal.records() - before);
    if (!assemble) {
      return more;
    }
    int limit = slice.events();
    long start = System.nanoTime();
    boolean cut = spans.pass(); // within the live budget's cycle
    slice.passed(assembled, System.nanoTime() - start);
    return more || cut || assembled >= limit;
  }

  /** The journal's pace, or the span pass's when that is shorter and the assembler may run. */
  @Override
  public long pauseNanos() {
    long journal = JournalCycle.pauseNanos(ctx, lastRecords, IDLE_PAUSE_NANOS);
    if (liveJournal.assembling()) {
      return Math.min(journal, ctx.spanPauseNanos());
    }
    return journal;
  }

  // no restNanos: the budget's rest is the assembler's, the journal's passes go on

  @Override
  public long journaledRecords() {
    return liveJournal.records();
  }

  @Override
  public long notAssembledEvents() {
    return liveJournal.notAssembled();
  }
}
