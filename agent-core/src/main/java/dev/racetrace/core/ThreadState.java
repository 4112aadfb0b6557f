package dev.racetrace.core;

import dev.racetrace.core.buffer.EventRing;

/**
 * Per-thread recorder state, found through one ThreadLocal lookup: the ring this thread writes to
 * a re-entrancy flag so that state probes calling instrumented code are not recorded again, and
 * the operation in progress.
 */
public final class ThreadState {
  final EventRing ring;
  final long threadId;
  /** True while this thread runs a state probe or key extractor; plain: only this thread touches it. */
  boolean inCallout;
  /**
   * The object of the queue or executor operation in progress on this thread (outermost first:
   * {@link Recorder#enterOp}), or null. Nested calls on it are that operation's implementation.
   * Plain: only this thread touches it.
   */
  Object opTarget;
  /**
   * Whether this thread's last Condition wait timed out, until the predicate check that ends its
   * loop reads it (LockHooks). Plain: only this thread touches it.
   */
  boolean conditionTimedOut;
  /** The application's current span context last recorded for this thread (racetrace.otel.link). */
  Object appContext;

  /**
   * The run a {@code TaskRuns} run hook has just begun: its causal id, with {@link #PERIODIC_RUN}
   * set for a periodic task. Set by the hook's begin and read back by the same hook at once, before
   * the task runs (a task that runs another task inline overwrites it only after that). Plain.
   */
  private long beganRun;

  /** Flag in {@link #beganRun}: the task runs repeatedly (its link is kept). */
  public static final long PERIODIC_RUN = 1L << 62;

  /** Notes the run just begun (see {@link #beganRun}); only the thread itself calls it. */
  public void beganRun(long causalAndFlags) {
    beganRun = causalAndFlags;
  }

  /** The run just begun on this thread (see {@link #beganRun}). */
  public long beganRun() {
    return beganRun;
  }

  ThreadState(EventRing ring, long threadId) {
    this.ring = ring;
    this.threadId = threadId;
  }
}
