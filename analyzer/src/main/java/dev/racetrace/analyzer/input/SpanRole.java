package dev.racetrace.analyzer.input;

/** What a racetrace span means to the analysis, derived from {@code race.event} (or the name). */
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
   * The role of a span from its {@code race.event} attribute, or from its name when the attribute
   * is absent (older exports, foreign spans).
   *
   * @param event the {@code race.event} value, may be null
   * @param name the span name
   * @param outcome the {@code race.outcome} value, may be null
   * @return the role; {@link #IGNORED} for spans the analysis does not use
   */
  public static SpanRole of(String event, String name, String outcome) {
    if (event != null) {
      switch (event) {
        case "queue.enqueue":
          return ENQUEUE;
        case "queue.dequeue":
          return name.endsWith(" poll") || "empty".equals(outcome)
              || SpanSchema.OUTCOME_TIMED_OUT.equals(outcome) ? IGNORED : PROCESS;
        case "task.submit":
          return "rejected".equals(outcome) ? IGNORED : SUBMIT;
        case "task.start":
          return RUN;
        case "latch.await": case "semaphore.acquire": case "barrier.await": case "phaser.await":
        case "condition.await": case "lock.acquire": case "monitor.wait": case "future.get":
        case "thread.sleep":
          return GUARD_WAIT;
        case "latch.count_down": case "semaphore.release": case "phaser.arrive":
        case "condition.signal": case "lock.release": case "monitor.notify":
          return GUARD_SIGNAL;
        case "latch.get_count": case "flag.read": case "guard.method": case "condition.check":
          return GUARD_CHECK;
        case "mark":
          return MARK;
        case "stats":
          return STATS;
        case "delay.injected":
          return DELAY;
        default:
          return IGNORED;
      }
    }
    if (name.equals(SpanSchema.STATS_SPAN)) {
      return STATS;
    }
    if (name.startsWith("guard.await ")) {
      return GUARD_WAIT;
    }
    if (name.startsWith("guard.check ")) {
      return GUARD_CHECK;
    }
    if (name.startsWith("guard.signal ")) {
      return GUARD_SIGNAL;
    }
    if (name.equals("delay.injected")) {
      return DELAY;
    }
    if (name.endsWith(" enqueue")) {
      return ENQUEUE;
    }
    if (name.endsWith(" process")) {
      return PROCESS;
    }
    if (name.endsWith(" submit")) {
      return SUBMIT;
    }
    if (name.endsWith(" run")) {
      return RUN;
    }
    return IGNORED;
  }
}
