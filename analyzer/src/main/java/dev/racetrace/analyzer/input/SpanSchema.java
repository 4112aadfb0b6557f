package dev.racetrace.analyzer.input;

/**
 * The names from {@code docs/span-schema.md} (version 1) that the analyzer reads. The agent keeps
 * its own copy in {@code dev.racetrace.agent.export.SpanSchema}; the agent's SpanSchemaAgreementTest
 * holds both to each other and to the doc.
 */
public final class SpanSchema {
  private SpanSchema() {}

  /** Resource attribute naming the node. */
  public static final String NODE = "service.instance.id";
  /** Resource attribute: the service. */
  public static final String SERVICE = "service.name";
  /** Resource attribute: the host, used with {@link #PID} when the node id is absent. */
  public static final String HOST = "host.name";
  /** Resource attribute: the process id. */
  public static final String PID = "process.pid";
  /** Resource attribute: the configured ordering rules, {@code ;}-separated. */
  public static final String RULES = "racetrace.rules";

  public static final String SEQ = "race.seq";
  public static final String EVENT = "race.event";
  public static final String OUTCOME = "race.outcome";
  public static final String CAUSAL_ID = "race.causal_id";
  public static final String PARENT_CAUSAL_ID = "race.parent_causal_id";
  public static final String KEY = "race.key";
  public static final String OP = "race.op";
  public static final String THREAD_NAME = "thread.name";
  public static final String THREAD_ID = "thread.id";
  public static final String CODE_NAMESPACE = "code.namespace";
  public static final String CODE_FUNCTION = "code.function";
  public static final String CODE_LINENO = "code.lineno";
  /** Prefix of visible-state attributes, {@code race.state.<name>}. */
  public static final String STATE_PREFIX = "race.state.";
  public static final String QUEUE_ID = "race.queue.id";
  public static final String QUEUE_WAIT_NS = "race.queue.wait_ns";
  public static final String BLOCKED_NS = "race.blocked_ns";
  public static final String TIMEOUT_NS = "race.timeout_ns";
  public static final String EXECUTOR_ID = "race.executor.id";
  public static final String GUARD_KIND = "race.guard.kind";
  public static final String GUARD_OBJECT = "race.guard.object";
  public static final String GUARD_VALUE_SEEN = "race.guard.value_seen";
  public static final String GUARD_TIMED_OUT = "race.guard.timed_out";
  public static final String GUARD_TRIVIAL = "race.guard.trivial";
  public static final String GUARD_TIMED_LOOP = "race.guard.timed_loop";
  public static final String GUARD_OBJECT_ID = "race.guard.object_id";
  public static final String END_SEQ = "race.end_seq";
  public static final String END_INFERRED = "race.end_inferred";
  public static final String DROPPED_EVENTS = "race.dropped_events";
  public static final String RECORDED_EVENTS = "race.recorded_events";
  public static final String UNMATCHED_DEQUEUES = "race.unmatched_dequeues";
  public static final String INTERNAL_ERRORS = "race.internal_errors";
  public static final String EXPORT_FAILURES = "race.export_failures";
  public static final String DROPPED_STATE = "race.dropped_state";
  public static final String UNWRITTEN_SPANS = "race.unwritten_spans";
  public static final String ROTATED_SPANS = "race.rotated_spans";
  /** Events deleted with the oldest journal parts to stay within racetrace.out.max (stats span). */
  public static final String ROTATED_EVENTS = "race.rotated_events";

  /** Span name of the per-export-cycle counters span. */
  public static final String STATS_SPAN = "racetrace.stats";

  /** {@code race.outcome} of a wait whose timeout expired. */
  public static final String OUTCOME_TIMED_OUT = "timed_out";
  /** {@code race.outcome} of a call that completed normally. */
  public static final String OUTCOME_OK = "ok";
}
