package dev.racetrace.agent.export;

/** What {@link ExportLoop#shutdown} achieved: whether it ran out of time, and what it could not export. */
public final class ShutdownReport {
  /** The deadline came before everything was exported. */
  public final boolean timedOut;
  /** Events still in the rings when racetrace stopped. */
  public final long lostEvents;
  /** Spans assembled but not confirmed by an exporter because the deadline came. */
  public final long lostSpans;

  ShutdownReport(boolean timedOut, long lostEvents, long lostSpans) {
    this.timedOut = timedOut;
    this.lostEvents = lostEvents;
    this.lostSpans = lostSpans;
  }
}
