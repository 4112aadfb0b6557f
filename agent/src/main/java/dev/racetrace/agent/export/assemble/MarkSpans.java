package dev.racetrace.agent.export.assemble;

import static dev.racetrace.schema.RecordField.OCCURRENCE;
import static dev.racetrace.schema.RecordField.PLANNED_NS;
import static dev.racetrace.schema.RecordField.WAITED_NS;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.schema.SchemaNames;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanKind;
import java.util.Collections;

/**
 * Spans of the application's marks ({@code RaceTrace.mark(op, key)}: an operation at one point)
 * and of the delays racetrace injected ({@code delay.injected}). Exporter thread only.
 */
final class MarkSpans {
  private final SpanFactory spans;

  MarkSpans(SpanFactory spans) {
    this.spans = spans;
  }

  void onMark(ThreadWork t, Event e) {
    Work ctx = t.top();
    String key = Naming.key(e.key);
    if (key == null && ctx != null) {
      key = ctx.key;
    }
    String op = e.aux instanceof String ? (String) e.aux : "mark";
    String trace = spans.threadTrace(key, e.time, SpanFactory.traceOf(ctx), e.threadId);
    AttributesBuilder a = spans.common(e);
    a.put(SpanSchema.CAUSAL_ID, ctx != null ? ctx.causalId : e.seq);
    if (key != null) {
      a.put(SpanSchema.KEY, key);
    }
    a.put(SpanSchema.OP, op);
    spans.emit(op, SpanKind.INTERNAL, trace, spans.spanId(e.seq), SpanFactory.parentIn(ctx, trace), e.time, e.time,
        a, Collections.emptyList(), e.outcome);
  }

  void onDelay(ThreadWork t, Event e) {
    Work ctx = t.top();
    String key = Naming.key(e.key);
    if (key == null && ctx != null) {
      key = ctx.key;
    }
    String trace = spans.threadTrace(SpanFactory.ownKey(key, ctx), e.time, SpanFactory.traceOf(ctx), e.threadId);
    AttributesBuilder a = spans.common(e);
    SpanFactory.inheritWork(a, ctx);
    if (key != null) {
      a.put(SpanSchema.KEY, key);
    }
    a.put(SpanSchema.DELAY_RULE, String.valueOf(e.aux));
    a.put(SpanSchema.DELAY_PLANNED_NS, e.get(PLANNED_NS));
    a.put(SpanSchema.DELAY_WAITED_NS, e.get(WAITED_NS));
    a.put(SpanSchema.DELAY_OCCURRENCE, e.get(OCCURRENCE));
    spans.emit(SchemaNames.DELAY_SPAN, SpanKind.INTERNAL, trace, spans.spanId(e.seq), SpanFactory.parentIn(ctx, trace),
        e.time - Math.max(0, e.get(WAITED_NS)), e.time, a, Collections.emptyList(), e.outcome);
  }
}
