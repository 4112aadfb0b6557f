package dev.racetrace.core;

import dev.racetrace.core.buffer.EventRing;

/**
 * Per-thread recorder state, found through one ThreadLocal lookup: the ring this thread writes to
 * and a re-entrancy flag so that state probes calling instrumented code are not recorded again.
 */
public final class ThreadState {
  final EventRing ring;
  final long threadId;
  /** True while this thread runs a state probe or key extractor; plain: only this thread touches it. */
  boolean inCallout;
  /**
   * Depth of type-level instrumented methods (an application queue's offer, ...) on this thread's
   * stack. Only the outermost records; what it does inside is its implementation.
   */
  int typeDepth;
  /**
   * Whether this thread's last Condition wait timed out, until the predicate check that ends its
   * loop reads it (LockHooks). Plain: only this thread touches it.
   */
  boolean conditionTimedOut;
  /** The application's current span context last recorded for this thread (racetrace.otel.link). */
  Object appContext;

  ThreadState(EventRing ring, long threadId) {
    this.ring = ring;
    this.threadId = threadId;
  }
}
