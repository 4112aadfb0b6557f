package dev.racetrace.schema;

/**
 * Every name of racetrace's span schema, version {@value #VERSION} ({@code docs/span-schema.md}):
 * resource and span attribute keys, span names and their parts, {@code race.outcome} and
 * {@code race.link} values. The agent builds its OpenTelemetry attribute keys from these, the
 * analyzer reads spans by them, and {@code SpanSchemaDocTest} holds the doc to them. The event
 * names ({@code race.event}) with their roles are in {@link EventType}.
 *
 * <p>All constants are compile-time constants, so they can be {@code case} labels.
 */
public final class SchemaNames {
  private SchemaNames() {}

  /** The schema version, exported as {@link #SCHEMA_VERSION}. */
  public static final String VERSION = "1";
  /** Instrumentation scope name of every racetrace span. */
  public static final String SCOPE = "dev.racetrace";

  // ------------------------------------------------------------------ resource

  /** Resource attribute: the service. */
  public static final String SERVICE = "service.name";
  /** Resource attribute naming the node. */
  public static final String NODE = "service.instance.id";
  /** Resource attribute: the host, used with {@link #PID} when the node id is absent. */
  public static final String HOST = "host.name";
  /** Resource attribute: the process id. */
  public static final String PID = "process.pid";
  /** Resource attribute: the runtime's name. */
  public static final String RUNTIME_NAME = "process.runtime.name";
  /** Resource attribute: the runtime's version. */
  public static final String RUNTIME_VERSION = "process.runtime.version";
  /** Resource attribute: the agent's version. */
  public static final String RACETRACE_VERSION = "racetrace.version";
  /** Resource attribute: the schema version, {@value #VERSION}. */
  public static final String SCHEMA_VERSION = "racetrace.schema.version";
  /** Resource attribute: the configured ordering rules, {@code ;}-separated. */
  public static final String RULES = "racetrace.rules";
  /** Resource attribute: the enabled packages. */
  public static final String INCLUDE = "racetrace.include";

  // ------------------------------------------------------------------ every event span

  /** Global sequence of the event on its node. */
  public static final String SEQ = "race.seq";
  /** Fine-grained event kind, an {@link EventType#eventName()}. */
  public static final String EVENT = "race.event";
  /** How the call ended, an {@code OUTCOME_*} value; absent means {@link #OUTCOME_OK}. */
  public static final String OUTCOME = "race.outcome";
  /** Seq of the causal root (the enqueue or submit), or of the work the span happened in. */
  public static final String CAUSAL_ID = "race.causal_id";
  /** The causal id of the work the producing thread was in. */
  public static final String PARENT_CAUSAL_ID = "race.parent_causal_id";
  /** Entity key. */
  public static final String KEY = "race.key";
  /** Operation name. */
  public static final String OP = "race.op";
  /** Recording thread's name. */
  public static final String THREAD_NAME = "thread.name";
  /** Recording thread's id. */
  public static final String THREAD_ID = "thread.id";
  /** Call site: class. */
  public static final String CODE_NAMESPACE = "code.namespace";
  /** Call site: method. */
  public static final String CODE_FUNCTION = "code.function";
  /** Call site: line. */
  public static final String CODE_LINENO = "code.lineno";
  /** Prefix of visible-state attributes, {@code race.state.<name>}. */
  public static final String STATE_PREFIX = "race.state.";

  // ------------------------------------------------------------------ kind-specific

  /** Queue name. */
  public static final String QUEUE_ID = "race.queue.id";
  /** Queue depth after the operation. */
  public static final String QUEUE_DEPTH = "race.queue.depth";
  /** Elements {@code drainTo} moved. */
  public static final String QUEUE_DRAINED = "race.queue.drained";
  /** Time from enqueue/submit to dequeue/start. */
  public static final String QUEUE_WAIT_NS = "race.queue.wait_ns";
  /** Time spent inside a blocking call. */
  public static final String BLOCKED_NS = "race.blocked_ns";
  /** The timeout passed to a timed call. */
  public static final String TIMEOUT_NS = "race.timeout_ns";
  /** Executor name. */
  public static final String EXECUTOR_ID = "race.executor.id";
  /** On submit: whether the task's run will be linked to this submit. */
  public static final String TASK_WRAPPED = "race.task.wrapped";
  /** Guard kind, an {@link EventType#guardKind()} (or {@code monitor} for a monitor loop's check). */
  public static final String GUARD_KIND = "race.guard.kind";
  /** Guard name. */
  public static final String GUARD_OBJECT = "race.guard.object";
  /** Identity of the guard object on its node (hex): two objects may share a name, never an id. */
  public static final String GUARD_OBJECT_ID = "race.guard.object_id";
  /** Latch count / available permits at entry. */
  public static final String GUARD_COUNT_BEFORE = "race.guard.count_before";
  /** Latch count / permits after. */
  public static final String GUARD_COUNT_AFTER = "race.guard.count_after";
  /** The value a check saw. */
  public static final String GUARD_VALUE_SEEN = "race.guard.value_seen";
  /** A timed wait expired without the awaited effect. */
  public static final String GUARD_TIMED_OUT = "race.guard.timed_out";
  /** On {@code condition.check}: the wait loop it ends gives up at a timeout. */
  public static final String GUARD_TIMED_LOOP = "race.guard.timed_loop";
  /** On a latch await: the latch was already open. */
  public static final String GUARD_TRIVIAL = "race.guard.trivial";
  /** For a trivially passing latch: how long it had been open. */
  public static final String GUARD_OPEN_FOR_NS = "race.guard.open_for_ns";
  /** On an expired timed wait: the thread went on instead of waiting again. */
  public static final String GUARD_WENT_ON = "race.guard.went_on";
  /** Seq at which the work (process, run) ended. */
  public static final String END_SEQ = "race.end_seq";
  /** The end of the work was not observed. */
  public static final String END_INFERRED = "race.end_inferred";
  /** Why a span links another: {@link #LINK_ENQUEUE}, {@link #LINK_SUBMIT}, {@link #LINK_APP}. */
  public static final String LINK = "race.link";

  // ------------------------------------------------------------------ rules and delays

  /** On process/run: this operation broke an ordering rule. */
  public static final String RULE_VIOLATED = "race.rule.violated";
  /** Name of the span event that describes a rule violation. */
  public static final String RULE_VIOLATION_EVENT = "race.rule.violation";
  /** The rule broken. */
  public static final String RULE = "race.rule";
  /** The operation that should have come first. */
  public static final String RULE_EXPECTED_BEFORE = "race.rule.expected_before";
  /** Seq at which the violating operation proceeded. */
  public static final String RULE_PROCEED_SEQ = "race.rule.proceed_seq";
  /** Seq at which the predecessor ended (when later). */
  public static final String RULE_PREDECESSOR_END_SEQ = "race.rule.predecessor_end_seq";
  /** Seq at which the predecessor was initiated. */
  public static final String RULE_PREDECESSOR_ENQUEUE_SEQ = "race.rule.predecessor_enqueue_seq";
  /** The guards the violating operation passed. */
  public static final String RULE_GUARDS = "race.rule.guards";
  /** The delay rule. */
  public static final String DELAY_RULE = "race.delay.rule";
  /** The delay drawn. */
  public static final String DELAY_PLANNED_NS = "race.delay.planned_ns";
  /** The time actually waited. */
  public static final String DELAY_WAITED_NS = "race.delay.waited_ns";
  /** Which occurrence of the delay rule it was. */
  public static final String DELAY_OCCURRENCE = "race.delay.occurrence";

  // ------------------------------------------------------------------ flight dump span

  /** Why a flight dump happened. */
  public static final String FLIGHT_REASON = "race.flight.reason";
  /** How many spans follow the dump span. */
  public static final String FLIGHT_SPANS = "race.flight.spans";
  /** How many older spans were overwritten. */
  public static final String FLIGHT_OVERWRITTEN = "race.flight.overwritten";
  /** Expired timed waits since the last dump that triggered none. */
  public static final String FLIGHT_SUPPRESSED = "race.flight.suppressed";
  /** On a dump of the journal's flight ring: the events the dump holds. */
  public static final String FLIGHT_EVENTS = "race.flight.events";
  /** On a dump of the journal's flight ring: events dropped (maxsize, maxage) since the previous dump. */
  public static final String FLIGHT_DROPPED_EVENTS = "race.flight.dropped_events";

  // ------------------------------------------------------------------ stats span

  /** Events dropped because a ring was full (cumulative). */
  public static final String DROPPED_EVENTS = "race.dropped_events";
  /** Events exported (cumulative). */
  public static final String RECORDED_EVENTS = "race.recorded_events";
  /** Dequeues whose enqueue was never seen. */
  public static final String UNMATCHED_DEQUEUES = "race.unmatched_dequeues";
  /** Failures inside racetrace swallowed to protect the application. */
  public static final String INTERNAL_ERRORS = "race.internal_errors";
  /** Submit-to-run links lost from the fixed task table (overwritten before the task ran). */
  public static final String LOST_TASK_LINKS = "race.lost_task_links";
  /** Export batches the backend refused or that timed out. */
  public static final String EXPORT_FAILURES = "race.export_failures";
  /** Matching and assembly entries dropped at their racetrace.memory.max caps. */
  public static final String DROPPED_STATE = "race.dropped_state";
  /** Spans the file export did not write: each alone larger than a part of racetrace.out.max. */
  public static final String UNWRITTEN_SPANS = "race.unwritten_spans";
  /** Spans deleted with the oldest span file parts to stay within racetrace.out.max. */
  public static final String ROTATED_SPANS = "race.rotated_spans";
  /** Events deleted with the oldest journal parts to stay within racetrace.out.max. */
  public static final String ROTATED_EVENTS = "race.rotated_events";

  // ------------------------------------------------------------------ span names

  /** Name of the per-export-cycle counters span. */
  public static final String STATS_SPAN = "racetrace.stats";
  /** Name of the span that precedes each flight-recorder dump. */
  public static final String FLIGHT_DUMP_SPAN = "racetrace.flight.dump";
  /** Name of the span of an injected delay. */
  public static final String DELAY_SPAN = "delay.injected";
  /** {@code <queue> enqueue}. */
  public static final String ENQUEUE_SUFFIX = " enqueue";
  /** {@code <queue> process}: a dequeued element being processed. */
  public static final String PROCESS_SUFFIX = " process";
  /** {@code <queue> poll}: a timed poll that expired empty. */
  public static final String POLL_SUFFIX = " poll";
  /** {@code <queue> peek}. */
  public static final String PEEK_SUFFIX = " peek";
  /** {@code <queue> drain}. */
  public static final String DRAIN_SUFFIX = " drain";
  /** {@code <executor> submit}. */
  public static final String SUBMIT_SUFFIX = " submit";
  /** {@code <executor> run}. */
  public static final String RUN_SUFFIX = " run";
  /** {@code guard.await <object>}: a blocking wait. */
  public static final String GUARD_AWAIT_PREFIX = "guard.await ";
  /** {@code guard.signal <object>}: an operation that opens a guard. */
  public static final String GUARD_SIGNAL_PREFIX = "guard.signal ";
  /** {@code guard.check <object>}: a non-blocking check. */
  public static final String GUARD_CHECK_PREFIX = "guard.check ";

  // ------------------------------------------------------------------ values

  /** {@code race.outcome}: returned normally (never exported: absent means ok). */
  public static final String OUTCOME_OK = "ok";
  /** {@code race.outcome}: a timed wait expired without the awaited effect. */
  public static final String OUTCOME_TIMED_OUT = "timed_out";
  /** {@code race.outcome}: threw InterruptedException. */
  public static final String OUTCOME_INTERRUPTED = "interrupted";
  /** {@code race.outcome}: threw another exception. */
  public static final String OUTCOME_EXCEPTION = "exception";
  /** {@code race.outcome}: a non-blocking attempt refused (offer false, tryLock false). */
  public static final String OUTCOME_REJECTED = "rejected";
  /** {@code race.outcome}: a non-blocking dequeue found nothing. */
  public static final String OUTCOME_EMPTY = "empty";

  /** {@code race.link} of a process span's link to its enqueue. */
  public static final String LINK_ENQUEUE = "enqueue";
  /** {@code race.link} of a run span's link to its submit. */
  public static final String LINK_SUBMIT = "submit";
  /** {@code race.link} of a link to the application's own span. */
  public static final String LINK_APP = "app";
}
