package dev.racetrace.schema;

/**
 * What an event ({@code race.event}) is to an ordering: whether its span is work, a guard a piece
 * of work passes, a hand-off, or nothing the analysis reads. One role per {@link EventType}.
 */
public enum EventRole {
  /** An element published to a queue: span {@code <queue> enqueue}, PRODUCER. */
  ENQUEUE(null),
  /** A dequeued element being processed: span {@code <queue> process}, CONSUMER; work. */
  PROCESS(null),
  /** A task handed to an executor: span {@code <executor> submit}, PRODUCER. */
  SUBMIT(null),
  /** A submitted task running on a worker: span {@code <executor> run}, CONSUMER; work. */
  RUN(null),
  /** A blocking wait on a guard: span {@code guard.await <object>}. */
  AWAIT("await"),
  /** An operation that opens a guard: span {@code guard.signal <object>}. */
  SIGNAL("signal"),
  /** A non-blocking check of a guard's state: span {@code guard.check <object>}. */
  CHECK("check"),
  /** {@code RaceTrace.mark(op, key)}: an operation at one point, span {@code <op>}; work. */
  MARK(null),
  /** A delay injected by racetrace: span {@code delay.injected}. */
  DELAY(null),
  /** A look at a queue that neither publishes nor consumes work (peek, drain): its span is informational. */
  INSPECT(null),
  /** racetrace's own spans: the counters ({@code racetrace.stats}) and flight dumps. */
  AGENT(null),
  /** Recorded but makes no span of its own (it ends, names or annotates another event's span). */
  NO_SPAN(null);

  private final String guardVerb;

  EventRole(String guardVerb) {
    this.guardVerb = guardVerb;
  }

  /** The verb of a guard span's name ({@code guard.<verb> <object>}), or null for other roles. */
  public String guardVerb() {
    return guardVerb;
  }

  /** Whether spans of this role are guard spans (await, signal, check). */
  public boolean isGuard() {
    return guardVerb != null;
  }

  /** Whether spans of this role are the work of an operation (process, run, mark). */
  public boolean isWork() {
    return this == PROCESS || this == RUN || this == MARK;
  }

  /** The span name prefix of a guard role, {@code guard.<verb> }, or null. */
  public String guardSpanPrefix() {
    return guardVerb == null ? null : "guard." + guardVerb + " ";
  }
}
