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

  /** Unexpected failures inside the exporter thread (the thread keeps running). */
  public AtomicLong exporterErrors() {
    return exporterErrors;
  }
}
