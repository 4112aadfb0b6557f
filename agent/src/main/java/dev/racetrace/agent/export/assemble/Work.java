package dev.racetrace.agent.export.assemble;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.rules.RuleInstance;
import io.opentelemetry.api.trace.SpanContext;

/**
 * A unit of work open on a thread: a dequeued element being processed ({@code process} span) or a
 * task running ({@code run} span). Guard checks made meanwhile are its children and inherit its key.
 */
public final class Work {
  public final boolean task;
  public final Event event;
  final String traceId;
  /** Built when first asked: a work whose span is never built (flight mode with rules) needs none. */
  private String spanId;
  private final SpanFactory spans;
  /**
   * Its parent, resolved when its span is built: the producer's span when the work is in the
   * producer's trace, else the work it runs in when in that one's trace ({@link SpanFactory#parentIn}).
   */
  private final Producer parentProducer;
  private final Work enclosing;
  public final String key;
  public final String op;
  public long causalId;
  public long parentCausalId;
  /** The enqueue or submit it links to, once known. */
  Producer link;
  long queueWaitNs = -1;
  /** A dequeue or task start whose producer (enqueue/submit) has not been seen yet. */
  boolean awaitingProducer;
  long parkedUntilNanos;
  boolean closed;
  /** Its span was emitted (work closed early may still sit among the parked consumers). */
  boolean emitted;
  long end;
  public long endSeq;
  public boolean endInferred;
  int outcome;
  /** The rule-checked operation this work belongs to, or null. */
  public RuleInstance ruleInstance;

  /**
   * @param producer its enqueue or submit, or null when not seen (yet)
   * @param enclosing the work the thread was in when this one started, or null
   */
  Work(boolean task, Event event, String traceId, SpanFactory spans, Producer producer, Work enclosing,
      String key, String op, long causalId, long parentCausalId) {
    this.task = task;
    this.event = event;
    this.traceId = traceId;
    this.spans = spans;
    this.parentProducer = producer != null && producer.traceId.equals(traceId) ? producer : null;
    this.enclosing = parentProducer == null ? enclosing : null;
    this.key = key;
    this.op = op;
    this.causalId = causalId;
    this.parentCausalId = parentCausalId;
  }

  void close(long endTime, long endSeq, boolean inferred) {
    this.closed = true;
    this.end = endTime;
    this.endSeq = endSeq;
    this.endInferred = inferred;
  }

  /** The parent of its span. */
  SpanContext parent() {
    return parentProducer != null ? parentProducer.span() : SpanFactory.parentIn(enclosing, traceId);
  }

  SpanContext context() {
    return Ids.context(traceId, spanId());
  }

  /** The span id of its span. */
  String spanId() {
    if (spanId == null) {
      spanId = spans.spanId(event.seq);
    }
    return spanId;
  }
}
