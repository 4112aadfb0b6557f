package dev.racetrace.agent.export.assemble;

import dev.racetrace.agent.internal.Counters;

/**
 * What racetrace's own budgets cost, as carried on the {@code racetrace.stats} span: entries dropped
 * at the racetrace.memory.max caps, and spans not written or deleted under racetrace.out.max. A
 * backend user sees them there, not only in the exit summary.
 */
public final class Losses {
  final long droppedState;
  final long unwrittenSpans;
  final long rotatedSpans;
  /** Events in journal parts deleted under racetrace.out.max. */
  final long rotatedEvents;

  Losses(long droppedState, long unwrittenSpans, long rotatedSpans, long rotatedEvents) {
    this.droppedState = droppedState;
    this.unwrittenSpans = unwrittenSpans;
    this.rotatedSpans = rotatedSpans;
    this.rotatedEvents = rotatedEvents;
  }

  /** The counts so far. */
  public static Losses of(Counters counters) {
    return new Losses(counters.droppedState().get(), counters.outDroppedSpans().get(),
        counters.outRotatedSpans().get(), counters.outRotatedEvents().get());
  }

  boolean none() {
    return droppedState == 0 && unwrittenSpans == 0 && rotatedSpans == 0 && rotatedEvents == 0;
  }

  /** Changes when any count changes (a stats span is emitted only then). */
  long signature() {
    return droppedState * 5 + unwrittenSpans * 3 + rotatedSpans * 11 + rotatedEvents * 13;
  }
}
