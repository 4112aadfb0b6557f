package dev.racetrace.agent.export;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.flight.FlightJournalPath;
import dev.racetrace.agent.export.journal.JournalWarmup;
import dev.racetrace.agent.export.journal.JournalWriter;
import dev.racetrace.core.Clock;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.task.TaskRuns;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The journal pass (racetrace.exporter=journal): records are copied from the rings to the journal,
 * no span is built in this process. In flight mode on the journal the records go through the
 * {@link FlightJournalPath} to the in-memory chunk ring instead, and a pass ends with the flight
 * triggers' check and a dump if one is due.
 */
public final class JournalCycle implements ExportCycle {
  /** Records per pass to the journal ({@link JournalWriter#MAX_JOURNAL_RECORDS_PER_CYCLE}). */
  static final int MAX_RECORDS = JournalWriter.MAX_JOURNAL_RECORDS_PER_CYCLE;
  /** A chunk waits at most this long before it is written (what a kill -9 can lose). */
  static final long FLUSH_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Journal chunk size. */
  public static final int CHUNK_BYTES = 1 << 20;
  /** Journal passes while records keep coming: a pass costs microseconds, so it keeps the rings near empty. */
  private static final long BUSY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final CycleContext ctx;
  private final JournalWriter journal;
  /** Flight mode on the journal: where the drain's records go; null for the journal alone. */
  private final FlightJournalPath flightPath;
  private long records;
  private int lastRecords;

  JournalCycle(CycleContext ctx, JournalWriter journal, FlightJournalPath flightPath) {
    this.ctx = ctx;
    this.journal = journal;
    this.flightPath = flightPath;
  }

  /** Compiles the journal's copy path before the first pass ({@link JournalWarmup}). */
  @Override
  public void warmUp() {
    JournalWarmup.run();
  }

  @Override
  public boolean pass() {
    RingDrainer drainer = ctx.drainer;
    List<Long> ended = new ArrayList<>();
    journal.beginBatch(System.nanoTime(), Clock.now(), drainer.dropped(), Recorder.internalErrors(),
        TaskRuns.lostLinks());
    // with the flight trigger check, a pass's decoded events stay within racetrace.memory.max
    FlightJournalPath path = flightPath;
    int max = path != null && path.decodes() ? ctx.maxEventsPerCycle : MAX_RECORDS;
    int n = drainer.drainTo(path != null ? path.sink() : journal, max, ended);
    journal.watermark(drainer.watermark()); // replay holds what may precede records left in rings
    for (Long id : ended) {
      journal.threadEnded(id);
    }
    if (path != null) {
      flightPass(path, ended);
    }
    records += n;
    lastRecords = n;
    journal.flushIfOlder(System.nanoTime(), FLUSH_NANOS);
    return n >= max;
  }

  /** Flight mode on the journal: the trigger check on this pass's records, then a dump if due. */
  private void flightPass(FlightJournalPath path, List<Long> ended) {
    List<Event> events = path.endPass(ended);
    if (events != null) {
      List<Long> endedNow = new ArrayList<>();
      ctx.assemble(ctx.order.release(events, ctx.drainer.watermark(), ended, endedNow), endedNow);
      ctx.assembler().expire();
    }
    ctx.dumpIfDue();
  }

  @Override
  public long pauseNanos() {
    return pauseNanos(ctx, lastRecords);
  }

  /**
   * While records come, the journal copies a record in well under a microsecond, so it can afford
   * to pass often and keep the rings near empty. When none came, it waits the export interval: a
   * burst then wakes it as soon as a ring passes half full ({@code DrainWake}), and every wake-up
   * costs tens of microseconds of CPU on a virtual machine (26-45 us, docs/performance.md), which an idle
   * process would otherwise pay a hundred times a second.
   *
   * @param lastRecords records journaled by the last pass
   */
  static long pauseNanos(CycleContext ctx, int lastRecords) {
    return pauseNanos(ctx, lastRecords, ctx.intervalNanos);
  }

  /** @param idleNanos the pause after a pass that found nothing (at most the export interval) */
  static long pauseNanos(CycleContext ctx, int lastRecords, long idleNanos) {
    if (lastRecords > 0 || ctx.drainer.maxFill() > 0) {
      return Math.min(ctx.intervalNanos, BUSY_PAUSE_NANOS);
    }
    return Math.min(ctx.intervalNanos, idleNanos);
  }

  @Override
  public long journaledRecords() {
    return records;
  }
}
