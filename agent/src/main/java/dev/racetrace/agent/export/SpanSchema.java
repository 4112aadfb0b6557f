package dev.racetrace.agent.export;

import io.opentelemetry.api.common.AttributeKey;

/**
 * Span names and attribute keys of racetrace's span schema, version 1 (docs/span-schema.md).
 * Every exported name comes from here.
 */
public final class SpanSchema {
  private SpanSchema() {}

  public static final String VERSION = "1";
  public static final String SCOPE = "dev.racetrace";

  public static final AttributeKey<Long> SEQ = AttributeKey.longKey("race.seq");
  public static final AttributeKey<String> EVENT = AttributeKey.stringKey("race.event");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("race.outcome");
  public static final AttributeKey<Long> CAUSAL_ID = AttributeKey.longKey("race.causal_id");
  public static final AttributeKey<Long> PARENT_CAUSAL_ID = AttributeKey.longKey("race.parent_causal_id");
  public static final AttributeKey<String> KEY = AttributeKey.stringKey("race.key");
  public static final AttributeKey<String> OP = AttributeKey.stringKey("race.op");
  public static final AttributeKey<String> QUEUE_ID = AttributeKey.stringKey("race.queue.id");
  public static final AttributeKey<Long> QUEUE_DEPTH = AttributeKey.longKey("race.queue.depth");
  public static final AttributeKey<Long> QUEUE_DRAINED = AttributeKey.longKey("race.queue.drained");
  public static final AttributeKey<Long> QUEUE_WAIT_NS = AttributeKey.longKey("race.queue.wait_ns");
  public static final AttributeKey<Long> BLOCKED_NS = AttributeKey.longKey("race.blocked_ns");
  public static final AttributeKey<Long> TIMEOUT_NS = AttributeKey.longKey("race.timeout_ns");
  public static final AttributeKey<String> EXECUTOR_ID = AttributeKey.stringKey("race.executor.id");
  public static final AttributeKey<Boolean> TASK_WRAPPED = AttributeKey.booleanKey("race.task.wrapped");
  public static final AttributeKey<String> GUARD_KIND = AttributeKey.stringKey("race.guard.kind");
  public static final AttributeKey<String> GUARD_OBJECT = AttributeKey.stringKey("race.guard.object");
  /** Identity of the guard object on its node (hex): two objects may share a name, never an id. */
  public static final AttributeKey<String> GUARD_OBJECT_ID = AttributeKey.stringKey("race.guard.object_id");
  public static final AttributeKey<Long> GUARD_COUNT_BEFORE = AttributeKey.longKey("race.guard.count_before");
  public static final AttributeKey<Long> GUARD_COUNT_AFTER = AttributeKey.longKey("race.guard.count_after");
  public static final AttributeKey<String> GUARD_VALUE_SEEN = AttributeKey.stringKey("race.guard.value_seen");
  public static final AttributeKey<Boolean> GUARD_TIMED_OUT = AttributeKey.booleanKey("race.guard.timed_out");
  /** On {@code condition.check}: the wait loop it ends gives up at a timeout (it would go on without a signal). */
  public static final AttributeKey<Boolean> GUARD_TIMED_LOOP = AttributeKey.booleanKey("race.guard.timed_loop");
  public static final AttributeKey<Boolean> GUARD_TRIVIAL = AttributeKey.booleanKey("race.guard.trivial");
  public static final AttributeKey<Long> GUARD_OPEN_FOR_NS = AttributeKey.longKey("race.guard.open_for_ns");
  public static final AttributeKey<Boolean> GUARD_WENT_ON = AttributeKey.booleanKey("race.guard.went_on");
  public static final AttributeKey<Boolean> RULE_VIOLATED = AttributeKey.booleanKey("race.rule.violated");
  public static final String RULE_VIOLATION_EVENT = "race.rule.violation";
  public static final AttributeKey<String> RULE = AttributeKey.stringKey("race.rule");
  public static final AttributeKey<String> RULE_EXPECTED_BEFORE = AttributeKey.stringKey("race.rule.expected_before");
  public static final AttributeKey<Long> RULE_PROCEED_SEQ = AttributeKey.longKey("race.rule.proceed_seq");
  public static final AttributeKey<Long> RULE_PREDECESSOR_END_SEQ = AttributeKey.longKey("race.rule.predecessor_end_seq");
  public static final AttributeKey<Long> RULE_PREDECESSOR_ENQUEUE_SEQ = AttributeKey.longKey("race.rule.predecessor_enqueue_seq");
  public static final AttributeKey<String> RULE_GUARDS = AttributeKey.stringKey("race.rule.guards");
  public static final AttributeKey<String> DELAY_RULE = AttributeKey.stringKey("race.delay.rule");
  public static final AttributeKey<Long> DELAY_PLANNED_NS = AttributeKey.longKey("race.delay.planned_ns");
  public static final AttributeKey<Long> DELAY_WAITED_NS = AttributeKey.longKey("race.delay.waited_ns");
  public static final AttributeKey<Long> DELAY_OCCURRENCE = AttributeKey.longKey("race.delay.occurrence");
  public static final AttributeKey<Long> END_SEQ = AttributeKey.longKey("race.end_seq");
  public static final AttributeKey<Boolean> END_INFERRED = AttributeKey.booleanKey("race.end_inferred");
  public static final AttributeKey<String> LINK = AttributeKey.stringKey("race.link");
  public static final String STATE_PREFIX = "race.state.";

  public static final AttributeKey<Long> DROPPED_EVENTS = AttributeKey.longKey("race.dropped_events");
  public static final AttributeKey<Long> RECORDED_EVENTS = AttributeKey.longKey("race.recorded_events");
  public static final AttributeKey<Long> UNMATCHED_DEQUEUES = AttributeKey.longKey("race.unmatched_dequeues");
  public static final AttributeKey<Long> INTERNAL_ERRORS = AttributeKey.longKey("race.internal_errors");
  /** Submit-to-run links lost from the fixed task table (overwritten before the task ran). */
  public static final AttributeKey<Long> LOST_TASK_LINKS = AttributeKey.longKey("race.lost_task_links");
  public static final AttributeKey<Long> EXPORT_FAILURES = AttributeKey.longKey("race.export_failures");
  /** Matching and assembly entries dropped at their racetrace.memory.max caps. */
  public static final AttributeKey<Long> DROPPED_STATE = AttributeKey.longKey("race.dropped_state");
  /** Spans the file export did not write: each alone larger than a part of racetrace.out.max. */
  public static final AttributeKey<Long> UNWRITTEN_SPANS = AttributeKey.longKey("race.unwritten_spans");
  /** Spans deleted with the oldest span file parts to stay within racetrace.out.max. */
  public static final AttributeKey<Long> ROTATED_SPANS = AttributeKey.longKey("race.rotated_spans");
  /** Events deleted with the oldest journal parts to stay within racetrace.out.max. */
  public static final AttributeKey<Long> ROTATED_EVENTS = AttributeKey.longKey("race.rotated_events");

  public static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
  public static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");
  public static final AttributeKey<String> CODE_NAMESPACE = AttributeKey.stringKey("code.namespace");
  public static final AttributeKey<String> CODE_FUNCTION = AttributeKey.stringKey("code.function");
  public static final AttributeKey<Long> CODE_LINENO = AttributeKey.longKey("code.lineno");

  public static final AttributeKey<String> RACETRACE_VERSION = AttributeKey.stringKey("racetrace.version");
  public static final AttributeKey<String> SCHEMA_VERSION = AttributeKey.stringKey("racetrace.schema.version");
  public static final AttributeKey<String> RULES = AttributeKey.stringKey("racetrace.rules");
  public static final AttributeKey<String> INCLUDE = AttributeKey.stringKey("racetrace.include");

  public static final String STATS_SPAN = "racetrace.stats";
}
