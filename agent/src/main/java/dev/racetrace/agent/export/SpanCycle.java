package dev.racetrace.agent.export;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.InOrderRelease;
import dev.racetrace.agent.export.sink.LiveExportBudget;
import java.util.ArrayList;
import java.util.List;

/**
 * The span pass: drain the rings, release the events in seq order ({@link InOrderRelease}),
 * assemble spans, check flight triggers and flush the sink; within racetrace.export.cpu when it is
 * set ({@link LiveExportBudget}). The whole pass of span mode, and the assembling pass of live
 * export with the journal ({@link LiveJournalCycle}), which drains through the journal.
 */
final class SpanCycle implements ExportCycle {
  /** Where a pass's events come from: the rings, or the rings through the journal. */
  interface Source {
    /** Up to {@code max} events; the ids of threads that ended go to {@code ended}. */
    List<Event> drain(int max, List<Long> ended);

    /** The events this pass assembled (released in seq order, among them earlier passes' held). */
    default void released(List<Event> events) {}
  }

  /** How much one pass assembles, and whether it sends what is pending. */
  interface Pace {
    /** Every event released, sent at the end of every pass: span mode. */
    Pace WHOLE = new Pace() {
      @Override
      public int events() {
        return Integer.MAX_VALUE;
      }

      @Override
      public boolean sendDue(long now) {
        return true;
      }
    };

    /** Events the next pass assembles at most; the rest stay held, in order. */
    int events();

    /** Whether this pass ends by sending the spans pending (full batches are sent anyway). */
    boolean sendDue(long now);
  }

  private final CycleContext ctx;
  private final Source source;
  private final Pace pace;

  /** A span pass that assembles every event the drain releases and sends at its end. */
  SpanCycle(CycleContext ctx, Source source) {
    this(ctx, source, Pace.WHOLE);
  }

  SpanCycle(CycleContext ctx, Source source, Pace pace) {
    this.ctx = ctx;
    this.source = source;
    this.pace = pace;
  }

  @Override
  public boolean pass() {
    LiveExportBudget live = ctx.live;
    if (live == null) {
      return spans();
    }
    live.beginCycle();
    try {
      return spans();
    } finally {
      live.endCycle();
    }
  }

  private boolean spans() {
    List<Long> ended = new ArrayList<>();
    List<Event> events = source.drain(ctx.maxEventsPerCycle, ended);
    long watermark = ctx.drainer.watermark();
    List<Long> endedNow = new ArrayList<>();
    List<Event> now = ctx.order.release(events, watermark, ended, endedNow, pace.events());
    source.released(now);
    ctx.assemble(now, endedNow);
    ctx.assembler().expire();
    ctx.stats.emit(false, ctx.entry);
    ctx.dumpIfDue();
    if (pace.sendDue(System.nanoTime())) {
      ctx.sink.flush();
    }
    return ctx.drainer.cutShort();
  }

  @Override
  public long pauseNanos() {
    return ctx.spanPauseNanos();
  }

  /** Over racetrace.export.cpu: rest, the rings drop. */
  @Override
  public long restNanos() {
    return ctx.live != null ? ctx.live.pauseNanos() : 0;
  }
}
