package dev.racetrace.agent.export;

import dev.racetrace.agent.export.journal.LiveJournal;

/**
 * The pass of live export with the journal: within racetrace.export.cpu the rings are drained once
 * for both and the spans assembled ({@link SpanCycle} through {@link LiveJournal#drain}); over it,
 * or while the backend has not answered, the assembler rests and the pass is the journal's
 * ({@link LiveJournal#rest}). Every record is journaled either way.
 */
final class LiveJournalCycle implements ExportCycle {
  private final CycleContext ctx;
  private final LiveJournal liveJournal;
  private final SpanCycle spans;
  private int lastRecords;

  LiveJournalCycle(CycleContext ctx, LiveJournal liveJournal) {
    this.ctx = ctx;
    this.liveJournal = liveJournal;
    this.spans = new SpanCycle(ctx, liveJournal::drain);
  }

  @Override
  public boolean pass() {
    long before = liveJournal.records();
    try {
      if (!liveJournal.assembling() || ctx.sink.backendBusy()) {
        // over the CPU share, or the backend has not answered: the journal's pass only
        return liveJournal.rest(JournalCycle.MAX_RECORDS);
      }
      return spans.pass(); // within the live budget's cycle
    } finally {
      lastRecords = (int) (liveJournal.records() - before);
    }
  }

  /** The journal's pace, or the span pass's when that is shorter and the assembler may run. */
  @Override
  public long pauseNanos() {
    if (liveJournal.assembling()) {
      return Math.min(JournalCycle.pauseNanos(ctx, lastRecords), ctx.spanPauseNanos());
    }
    return JournalCycle.pauseNanos(ctx, lastRecords);
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
