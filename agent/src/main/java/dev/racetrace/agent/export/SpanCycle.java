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
  }

  private final CycleContext ctx;
  private final Source source;

  SpanCycle(CycleContext ctx, Source source) {
    this.ctx = ctx;
    this.source = source;
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
    ctx.resolveAppSpans();
    List<Long> ended = new ArrayList<>();
    List<Event> events = source.drain(ctx.maxEventsPerCycle, ended);
    long watermark = ctx.drainer.watermark();
    List<Long> endedNow = new ArrayList<>();
    ctx.assemble(ctx.order.release(events, watermark, ended, endedNow), endedNow);
    ctx.assembler().expire();
    ctx.stats.emit(false, ctx.entry);
    ctx.dumpIfDue();
    ctx.sink.flush();
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
