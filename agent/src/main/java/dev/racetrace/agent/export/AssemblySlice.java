package dev.racetrace.agent.export;

import java.util.concurrent.TimeUnit;

/**
 * How many held events one assembling pass of live export with the journal takes, so that the pass
 * stays within {@link #SLICE_NANOS}: the rings are drained for the journal only between passes, and
 * a default ring (4,096 records) at 100k events/s from its thread fills in about 40 ms. Learned
 * from the passes' measured cost per event, which is tens of microseconds while the assembler and
 * the exporter are cold (classes loading, code interpreted) and a few once compiled: a fixed count
 * would either hold the drain for a hundred milliseconds at start or crawl later. The spans are
 * sent once per export interval, not after every slice: an export call costs the same for a few
 * spans as for a batch. Exporter thread only.
 */
final class AssemblySlice implements SpanCycle.Pace {
  /** The time one assembling pass aims at. */
  static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  /** Events per pass at least, so that a pass's fixed cost does not starve the assembly. */
  static final int MIN_EVENTS = 64;
  /** The first passes' guess: the assembler runs interpreted at first. */
  static final double COLD_NANOS_PER_EVENT = 20_000;

  private final int maxEvents;
  private final long sendNanos;
  private double nanosPerEvent = COLD_NANOS_PER_EVENT;
  private long lastSend;
  private boolean sent;

  /**
   * @param maxEvents events per pass at most (the cycle's limit from racetrace.memory.max)
   * @param sendNanos how often the pending spans are sent (racetrace.export.interval)
   */
  AssemblySlice(int maxEvents, long sendNanos) {
    this.maxEvents = Math.max(MIN_EVENTS, maxEvents);
    this.sendNanos = sendNanos;
  }

  @Override
  public int events() {
    double fit = SLICE_NANOS / nanosPerEvent;
    return (int) Math.max(MIN_EVENTS, Math.min(maxEvents, fit));
  }

  @Override
  public boolean sendDue(long now) {
    if (sent && now - lastSend < sendNanos) {
      return false;
    }
    sent = true;
    lastSend = now;
    return true;
  }

  /**
   * A pass assembled {@code events} in {@code nanos} (its sink flush included: an export's cost is
   * the assembly's too). Passes that assembled nothing teach nothing.
   */
  void passed(int events, long nanos) {
    if (events <= 0) {
      return;
    }
    // half the weight on the newest pass: a cold start is forgotten within a few passes
    nanosPerEvent = (nanosPerEvent + Math.max(1.0, (double) nanos / events)) / 2;
  }
}
