package dev.racetrace.analyzer.input;

import dev.racetrace.schema.EventType;
import dev.racetrace.schema.SchemaNames;

/**
 * What a racetrace span means to the analysis, derived from the {@link EventType} table's role of
 * its {@code race.event} (or, for spans without one, from its name).
 */
public enum SpanRole {
  /** {@code <queue> enqueue}: an element was published to a queue. */
  ENQUEUE,
  /** {@code <queue> process}: a dequeued element being processed; work. */
  PROCESS,
  /** {@code <executor> submit}: a task handed to an executor. */
  SUBMIT,
  /** {@code <executor> run}: a submitted task running on a worker; work. */
  RUN,
  /** {@code RaceTrace.mark(op, key)}: an operation at one point; work of zero length. */
  MARK,
  /** {@code guard.await}: a blocking wait (latch, condition, semaphore, lock, sleep, ...). */
  GUARD_WAIT,
  /** {@code guard.check}: a non-blocking check (flag read, guard method, latch count). */
  GUARD_CHECK,
  /** {@code guard.signal}: an operation that opens a guard (countDown, signal, release, ...). */
  GUARD_SIGNAL,
  /** {@code delay.injected}: time added by racetrace's delay injection. */
  DELAY,
  /** {@code racetrace.stats}: the agent's counters. */
  STATS,
  /** Anything the analysis does not use (peek, drain, an expired poll, foreign spans). */
  IGNORED;

  /** Whether spans of this role are the work of an operation (process, run, mark). */
  public boolean isWork() {
    return this == PROCESS || this == RUN || this == MARK;
  }

  /** Whether spans of this role are guards an operation passes before it proceeds. */
  public boolean isGuard() {
    return this == GUARD_WAIT || this == GUARD_CHECK;
  }

  /**
   * The role of a span from its {@code race.event} attribute's {@link EventType#role()} (a dequeue
   * that returned nothing and a rejected submit are ignored), or from its name when the attribute
   * is absent (older exports, foreign spans).
   *
   * @param event the {@code race.event} value, may be null
   * @param name the span name
   * @param outcome the {@code race.outcome} value, may be null
   * @return the role; {@link #IGNORED} for spans the analysis does not use
   */
  public static SpanRole of(String event, String name, String outcome) {
    if (event != null) {
      EventType type = EventType.ofName(event);
      if (type == null) {
        return IGNORED;
      }
      switch (type.role()) {
        case ENQUEUE:
          return ENQUEUE;
        case PROCESS:
          return name.endsWith(SchemaNames.POLL_SUFFIX) || SchemaNames.OUTCOME_EMPTY.equals(outcome)
              || SchemaNames.OUTCOME_TIMED_OUT.equals(outcome) ? IGNORED : PROCESS;
        case SUBMIT:
          return SchemaNames.OUTCOME_REJECTED.equals(outcome) ? IGNORED : SUBMIT;
        case RUN:
          return RUN;
        case AWAIT:
          return GUARD_WAIT;
        case SIGNAL:
          return GUARD_SIGNAL;
        case CHECK:
          return GUARD_CHECK;
        case MARK:
          return MARK;
        case DELAY:
          return DELAY;
        default:
          return type == EventType.STATS ? STATS : IGNORED;
      }
    }
    if (name.equals(SchemaNames.STATS_SPAN)) {
      return STATS;
    }
    if (name.startsWith(SchemaNames.GUARD_AWAIT_PREFIX)) {
      return GUARD_WAIT;
    }
    if (name.startsWith(SchemaNames.GUARD_CHECK_PREFIX)) {
      return GUARD_CHECK;
    }
    if (name.startsWith(SchemaNames.GUARD_SIGNAL_PREFIX)) {
      return GUARD_SIGNAL;
    }
    if (name.equals(SchemaNames.DELAY_SPAN)) {
      return DELAY;
    }
    if (name.endsWith(SchemaNames.ENQUEUE_SUFFIX)) {
      return ENQUEUE;
    }
    if (name.endsWith(SchemaNames.PROCESS_SUFFIX)) {
      return PROCESS;
    }
    if (name.endsWith(SchemaNames.SUBMIT_SUFFIX)) {
      return SUBMIT;
    }
    if (name.endsWith(SchemaNames.RUN_SUFFIX)) {
      return RUN;
    }
    return IGNORED;
  }
}
