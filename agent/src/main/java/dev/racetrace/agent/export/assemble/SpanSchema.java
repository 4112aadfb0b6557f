package dev.racetrace.agent.export.assemble;

import dev.racetrace.schema.SchemaNames;
import io.opentelemetry.api.common.AttributeKey;

/**
 * The OpenTelemetry attribute keys of racetrace's span schema (docs/span-schema.md), each built
 * from the shared name in {@link SchemaNames} (module {@code schema}), which the analyzer reads
 * by. Every exported key comes from here; SpanSchemaAgreementTest checks that each is a name of
 * the shared schema.
 */
public final class SpanSchema {
  private SpanSchema() {}

  public static final String VERSION = SchemaNames.VERSION;
  public static final String SCOPE = SchemaNames.SCOPE;

  public static final AttributeKey<Long> SEQ = AttributeKey.longKey(SchemaNames.SEQ);
  public static final AttributeKey<String> EVENT = AttributeKey.stringKey(SchemaNames.EVENT);
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey(SchemaNames.OUTCOME);
  public static final AttributeKey<Long> CAUSAL_ID = AttributeKey.longKey(SchemaNames.CAUSAL_ID);
  public static final AttributeKey<Long> PARENT_CAUSAL_ID = AttributeKey.longKey(SchemaNames.PARENT_CAUSAL_ID);
  public static final AttributeKey<String> KEY = AttributeKey.stringKey(SchemaNames.KEY);
  public static final AttributeKey<String> OP = AttributeKey.stringKey(SchemaNames.OP);
  public static final AttributeKey<String> QUEUE_ID = AttributeKey.stringKey(SchemaNames.QUEUE_ID);
  public static final AttributeKey<Long> QUEUE_DEPTH = AttributeKey.longKey(SchemaNames.QUEUE_DEPTH);
  public static final AttributeKey<Long> QUEUE_DRAINED = AttributeKey.longKey(SchemaNames.QUEUE_DRAINED);
  public static final AttributeKey<Long> QUEUE_WAIT_NS = AttributeKey.longKey(SchemaNames.QUEUE_WAIT_NS);
  public static final AttributeKey<Long> BLOCKED_NS = AttributeKey.longKey(SchemaNames.BLOCKED_NS);
  public static final AttributeKey<Long> TIMEOUT_NS = AttributeKey.longKey(SchemaNames.TIMEOUT_NS);
  public static final AttributeKey<String> EXECUTOR_ID = AttributeKey.stringKey(SchemaNames.EXECUTOR_ID);
  public static final AttributeKey<Boolean> TASK_WRAPPED = AttributeKey.booleanKey(SchemaNames.TASK_WRAPPED);
  public static final AttributeKey<String> GUARD_KIND = AttributeKey.stringKey(SchemaNames.GUARD_KIND);
  public static final AttributeKey<String> GUARD_OBJECT = AttributeKey.stringKey(SchemaNames.GUARD_OBJECT);
  /** Identity of the guard object on its node (hex): two objects may share a name, never an id. */
  public static final AttributeKey<String> GUARD_OBJECT_ID = AttributeKey.stringKey(SchemaNames.GUARD_OBJECT_ID);
  public static final AttributeKey<Long> GUARD_COUNT_BEFORE = AttributeKey.longKey(SchemaNames.GUARD_COUNT_BEFORE);
  public static final AttributeKey<Long> GUARD_COUNT_AFTER = AttributeKey.longKey(SchemaNames.GUARD_COUNT_AFTER);
  public static final AttributeKey<String> GUARD_VALUE_SEEN = AttributeKey.stringKey(SchemaNames.GUARD_VALUE_SEEN);
  public static final AttributeKey<Boolean> GUARD_TIMED_OUT = AttributeKey.booleanKey(SchemaNames.GUARD_TIMED_OUT);
  /** On {@code condition.check}: the wait loop it ends gives up at a timeout (it would go on without a signal). */
  public static final AttributeKey<Boolean> GUARD_TIMED_LOOP = AttributeKey.booleanKey(SchemaNames.GUARD_TIMED_LOOP);
  public static final AttributeKey<Boolean> GUARD_TRIVIAL = AttributeKey.booleanKey(SchemaNames.GUARD_TRIVIAL);
  public static final AttributeKey<Long> GUARD_OPEN_FOR_NS = AttributeKey.longKey(SchemaNames.GUARD_OPEN_FOR_NS);
  public static final AttributeKey<Boolean> GUARD_WENT_ON = AttributeKey.booleanKey(SchemaNames.GUARD_WENT_ON);
  public static final AttributeKey<Boolean> RULE_VIOLATED = AttributeKey.booleanKey(SchemaNames.RULE_VIOLATED);
  public static final String RULE_VIOLATION_EVENT = SchemaNames.RULE_VIOLATION_EVENT;
  public static final AttributeKey<String> RULE = AttributeKey.stringKey(SchemaNames.RULE);
  public static final AttributeKey<String> RULE_EXPECTED_BEFORE = AttributeKey.stringKey(SchemaNames.RULE_EXPECTED_BEFORE);
  public static final AttributeKey<Long> RULE_PROCEED_SEQ = AttributeKey.longKey(SchemaNames.RULE_PROCEED_SEQ);
  public static final AttributeKey<Long> RULE_PREDECESSOR_END_SEQ = AttributeKey.longKey(SchemaNames.RULE_PREDECESSOR_END_SEQ);
  public static final AttributeKey<Long> RULE_PREDECESSOR_ENQUEUE_SEQ = AttributeKey.longKey(SchemaNames.RULE_PREDECESSOR_ENQUEUE_SEQ);
  public static final AttributeKey<String> RULE_GUARDS = AttributeKey.stringKey(SchemaNames.RULE_GUARDS);
  public static final AttributeKey<String> DELAY_RULE = AttributeKey.stringKey(SchemaNames.DELAY_RULE);
  public static final AttributeKey<Long> DELAY_PLANNED_NS = AttributeKey.longKey(SchemaNames.DELAY_PLANNED_NS);
  public static final AttributeKey<Long> DELAY_WAITED_NS = AttributeKey.longKey(SchemaNames.DELAY_WAITED_NS);
  public static final AttributeKey<Long> DELAY_OCCURRENCE = AttributeKey.longKey(SchemaNames.DELAY_OCCURRENCE);
  public static final AttributeKey<Long> END_SEQ = AttributeKey.longKey(SchemaNames.END_SEQ);
  public static final AttributeKey<Boolean> END_INFERRED = AttributeKey.booleanKey(SchemaNames.END_INFERRED);
  public static final AttributeKey<String> LINK = AttributeKey.stringKey(SchemaNames.LINK);
  public static final String STATE_PREFIX = SchemaNames.STATE_PREFIX;

  public static final AttributeKey<Long> DROPPED_EVENTS = AttributeKey.longKey(SchemaNames.DROPPED_EVENTS);
  public static final AttributeKey<Long> RECORDED_EVENTS = AttributeKey.longKey(SchemaNames.RECORDED_EVENTS);
  public static final AttributeKey<Long> UNMATCHED_DEQUEUES = AttributeKey.longKey(SchemaNames.UNMATCHED_DEQUEUES);
  public static final AttributeKey<Long> INTERNAL_ERRORS = AttributeKey.longKey(SchemaNames.INTERNAL_ERRORS);
  /** Submit-to-run links lost from the fixed task table (overwritten before the task ran). */
  public static final AttributeKey<Long> LOST_TASK_LINKS = AttributeKey.longKey(SchemaNames.LOST_TASK_LINKS);
  public static final AttributeKey<Long> EXPORT_FAILURES = AttributeKey.longKey(SchemaNames.EXPORT_FAILURES);
  /** Matching and assembly entries dropped at their racetrace.memory.max caps. */
  public static final AttributeKey<Long> DROPPED_STATE = AttributeKey.longKey(SchemaNames.DROPPED_STATE);
  /** Spans the file export did not write: each alone larger than a part of racetrace.out.max. */
  public static final AttributeKey<Long> UNWRITTEN_SPANS = AttributeKey.longKey(SchemaNames.UNWRITTEN_SPANS);
  /** Spans deleted with the oldest span file parts to stay within racetrace.out.max. */
  public static final AttributeKey<Long> ROTATED_SPANS = AttributeKey.longKey(SchemaNames.ROTATED_SPANS);
  /** Events deleted with the oldest journal parts to stay within racetrace.out.max. */
  public static final AttributeKey<Long> ROTATED_EVENTS = AttributeKey.longKey(SchemaNames.ROTATED_EVENTS);

  public static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey(SchemaNames.THREAD_NAME);
  public static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey(SchemaNames.THREAD_ID);
  public static final AttributeKey<String> CODE_NAMESPACE = AttributeKey.stringKey(SchemaNames.CODE_NAMESPACE);
  public static final AttributeKey<String> CODE_FUNCTION = AttributeKey.stringKey(SchemaNames.CODE_FUNCTION);
  public static final AttributeKey<Long> CODE_LINENO = AttributeKey.longKey(SchemaNames.CODE_LINENO);

  public static final AttributeKey<String> RACETRACE_VERSION = AttributeKey.stringKey(SchemaNames.RACETRACE_VERSION);
  public static final AttributeKey<String> SCHEMA_VERSION = AttributeKey.stringKey(SchemaNames.SCHEMA_VERSION);
  public static final AttributeKey<String> RULES = AttributeKey.stringKey(SchemaNames.RULES);
  public static final AttributeKey<String> INCLUDE = AttributeKey.stringKey(SchemaNames.INCLUDE);

  public static final String STATS_SPAN = SchemaNames.STATS_SPAN;

  /** The span that precedes each flight dump (racetrace.mode=flight), and its attributes. */
  public static final String FLIGHT_DUMP_SPAN = SchemaNames.FLIGHT_DUMP_SPAN;
  public static final AttributeKey<String> FLIGHT_REASON = AttributeKey.stringKey(SchemaNames.FLIGHT_REASON);
  public static final AttributeKey<Long> FLIGHT_SPANS = AttributeKey.longKey(SchemaNames.FLIGHT_SPANS);
  public static final AttributeKey<Long> FLIGHT_OVERWRITTEN = AttributeKey.longKey(SchemaNames.FLIGHT_OVERWRITTEN);
  public static final AttributeKey<Long> FLIGHT_SUPPRESSED = AttributeKey.longKey(SchemaNames.FLIGHT_SUPPRESSED);
  /** A dump of the journal's flight ring: the events it holds. */
  public static final AttributeKey<Long> FLIGHT_EVENTS = AttributeKey.longKey(SchemaNames.FLIGHT_EVENTS);
  /** A dump of the journal's flight ring: events dropped (maxsize, maxage) since the previous dump. */
  public static final AttributeKey<Long> FLIGHT_DROPPED_EVENTS = AttributeKey.longKey(SchemaNames.FLIGHT_DROPPED_EVENTS);
}
