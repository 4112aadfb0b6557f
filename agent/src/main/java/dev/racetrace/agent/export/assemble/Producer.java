package dev.racetrace.agent.export.assemble;

import io.opentelemetry.api.trace.SpanContext;

/**
 * What a consumer needs to know about its enqueue or submit: seq, time, trace, key and op, and its
 * span's context, built when first asked (a consumer whose span is never built, as in flight mode
 * with rules, needs none).
 */
final class Producer {
  final long seq;
  final long time;
  final String traceId;
  private final SpanFactory spans;
  private SpanContext span;
  final String key;
  final String op;
  final long parentCausalId;
  Producer next;
  /** A consumer was matched to it (a submit stays indexed for periodic runs). */
  boolean matched;

  Producer(long seq, long time, String traceId, SpanFactory spans, String key, String op, long parentCausalId) {
    this.seq = seq;
    this.time = time;
    this.traceId = traceId;
    this.spans = spans;
    this.key = key;
    this.op = op;
    this.parentCausalId = parentCausalId;
  }

  /** The context of the producer span. */
  SpanContext span() {
    if (span == null) {
      span = Ids.context(traceId, spans.spanId(seq)); // the producer span's id, as ProducerSide's
    }
    return span;
  }
}
