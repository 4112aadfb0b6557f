package dev.racetrace.agent.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Named counters for everything that can go wrong or be dropped off the hot path. They are logged
 * at shutdown and exported on the {@code racetrace.stats} span. Internal.
 */
public final class Counters {
  private final AtomicLong transformedClasses = new AtomicLong();
  private final AtomicLong transformErrors = new AtomicLong();
  private final AtomicLong rewrittenCallSites = new AtomicLong();
  private final AtomicLong exportedSpans = new AtomicLong();
  private final AtomicLong exportFailures = new AtomicLong();
  private final AtomicLong unmatchedDequeues = new AtomicLong();
  private final AtomicLong exporterErrors = new AtomicLong();
  private final AtomicLong droppedState = new AtomicLong();
  private final AtomicLong outBytes = new AtomicLong();
  private final AtomicLong outDroppedSpans = new AtomicLong();
  private final AtomicLong outRotatedSpans = new AtomicLong();
  private final AtomicLong outDroppedEvents = new AtomicLong();
  private final AtomicLong outRotatedEvents = new AtomicLong();

  public AtomicLong transformedClasses() {
    return transformedClasses;
  }

  public AtomicLong transformErrors() {
    return transformErrors;
  }

  public AtomicLong rewrittenCallSites() {
    return rewrittenCallSites;
  }

  public AtomicLong exportedSpans() {
    return exportedSpans;
  }

  public AtomicLong exportFailures() {
    return exportFailures;
  }

  public AtomicLong unmatchedDequeues() {
    return unmatchedDequeues;
  }

  /**
   * Matching and assembly state dropped because its table was at its racetrace.memory.max cap
   * (a producer, a parked consumer, a thread's open work, a rule key, a name).
   */
  public AtomicLong droppedState() {
    return droppedState;
  }

  /** Bytes the file export wrote (racetrace.out.max bounds them). */
  public AtomicLong outBytes() {
    return outBytes;
  }

  /** Spans the file export did not write: each alone was larger than a part of racetrace.out.max. */
  public AtomicLong outDroppedSpans() {
    return outDroppedSpans;
  }

  /** Spans written, then deleted with the oldest span file part to stay within racetrace.out.max. */
  public AtomicLong outRotatedSpans() {
    return outRotatedSpans;
  }

  /** Events of journal chunks not written: each alone is larger than racetrace.out.max. */
  public AtomicLong outDroppedEvents() {
    return outDroppedEvents;
  }

  /** Events in journal parts deleted to stay within racetrace.out.max. */
  public AtomicLong outRotatedEvents() {
    return outRotatedEvents;
  }

  /** Unexpected failures inside the exporter thread (the thread keeps running). */
  public AtomicLong exporterErrors() {
    return exporterErrors;
  }
}
