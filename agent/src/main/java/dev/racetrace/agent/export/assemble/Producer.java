package dev.racetrace.agent.export.assemble;

import io.opentelemetry.api.trace.SpanContext;

/** What a consumer needs to know about its enqueue or submit: seq, time, span, key and op. */
final class Producer {
  final long seq;
  final long time;
  final SpanContext span;
  final String key;
  final String op;
  final long parentCausalId;
  Producer next;
  /** A consumer was matched to it (a submit stays indexed for periodic runs). */
  boolean matched;

  Producer(long seq, long time, SpanContext span, String key, String op, long parentCausalId) {
    this.seq = seq;
    this.time = time;
    this.span = span;
    this.key = key;
    this.op = op;
    this.parentCausalId = parentCausalId;
  }
}
