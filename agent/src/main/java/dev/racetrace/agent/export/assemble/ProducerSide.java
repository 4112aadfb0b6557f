package dev.racetrace.agent.export.assemble;

import dev.racetrace.agent.export.drain.Event;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanKind;
import java.util.Collections;

/**
 * Where an enqueue or submit belongs: its key and op (its own, else inherited from the work the
 * thread is in), the work it is made from, and its trace and span ids.
 */
final class ProducerSide {
  final Work ctx;
  final String key;
  final String op;
  final long parentCausal;
  final String trace;
  private final long seq;
  /** Built when first asked: in flight mode with rules no producer span is built. */
  private String spanId;
  private final SpanFactory spans;

  ProducerSide(ThreadWork t, Event e, Naming naming, SpanFactory spans) {
    this.spans = spans;
    ctx = t.top();
    String k = Naming.key(e.key);
    key = k == null && ctx != null ? ctx.key : k;
    String o = naming.op(e.aux);
    op = o == null && ctx != null ? ctx.op : o;
    parentCausal = ctx != null ? ctx.causalId : 0;
    trace = spans.causalTrace(key, e.time, SpanFactory.traceOf(ctx), e.seq);
    seq = e.seq;
  }

  /** The span id of the producer span. */
  String spanId() {
    if (spanId == null) {
      spanId = spans.spanId(seq);
    }
    return spanId;
  }

  /** What the consumer of this enqueue or submit learns about it. */
  Producer producer(Event e) {
    return new Producer(e.seq, e.time, trace, spans, key, op, parentCausal);
  }

  /** The producer span: its own causal id, its work, a child of the work it was made in. */
  void emit(String name, AttributesBuilder a, Event e, long end) {
    a.put(SpanSchema.CAUSAL_ID, e.seq);
    SpanFactory.putWork(a, key, op, parentCausal);
    spans.emit(name, SpanKind.PRODUCER, trace, spanId(), SpanFactory.parentIn(ctx, trace), e.time, end, a,
        Collections.emptyList(), e.outcome);
  }
}
