package dev.racetrace.agent.export.assemble;

import static dev.racetrace.core.EventKind.QUEUE_DRAIN;
import static dev.racetrace.schema.RecordField.BLOCKED_NS;
import static dev.racetrace.schema.RecordField.DEPTH;
import static dev.racetrace.schema.RecordField.DRAINED;
import static dev.racetrace.schema.RecordField.FROM_DRAIN;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.rules.RuleChecker;
import dev.racetrace.core.Outcome;
import dev.racetrace.schema.SchemaNames;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanKind;
import java.util.Collections;

/**
 * Spans of queue events: the {@code enqueue} producer span, the {@code process} work a dequeue
 * opens (matched to its enqueue by {@link CausalMatcher}), and the informational {@code peek},
 * {@code drain} and timed-out {@code poll}. Exporter thread only.
 */
final class QueueSpans {
  private final SpanFactory spans;
  private final Naming naming;
  private final CausalMatcher matcher;
  private final WorkStacks work;
  private final RuleChecker rules;
  private long emptyPolls;

  QueueSpans(SpanFactory spans, Naming naming, CausalMatcher matcher, WorkStacks work, RuleChecker rules) {
    this.spans = spans;
    this.naming = naming;
    this.matcher = matcher;
    this.work = work;
    this.rules = rules;
  }

  void onEnqueue(ThreadWork t, Event e) {
    ProducerSide side = new ProducerSide(t, e, naming, spans);
    if (!spans.checkOnly()) { // an enqueue span is never a rule's: only its matching is needed then
      String queue = naming.object(e.objId, e.site, "Queue");
      AttributesBuilder a = spans.common(e);
      queueAttributes(a, queue, e);
      side.emit(queue + SchemaNames.ENQUEUE_SUFFIX, a, e, e.time + Math.max(0, e.get(BLOCKED_NS)));
    }

    if (e.outcome == Outcome.OK) {
      rules.enqueued(side.key, side.op, e.seq);
      matcher.enqueued(e.objId, e.elemId, side.producer(e));
    }
  }

  void onDequeue(ThreadWork t, Event e) {
    if (!e.is(FROM_DRAIN)) { // the drain closed it
      work.closeProcessing(t, e.entryTime(), e.seq);
    }
    if (e.elemId == 0 || e.outcome != Outcome.OK) {
      if (e.outcome == Outcome.TIMED_OUT) {
        onQueueEvent(t, e, SchemaNames.POLL_SUFFIX, SpanKind.CONSUMER, e.entryTime());
      } else {
        emptyPolls++;
      }
      return;
    }
    Producer p = matcher.enqueueOf(e.objId, e.elemId, e.seq);
    Work ctx = t.top();
    String key = Naming.key(e.key);
    if (key == null && p != null) {
      key = p.key;
    }
    String op = naming.op(e.aux);
    if (op == null && p != null) {
      op = p.op;
    }
    String trace = spans.causalTrace(key, e.time, p != null ? p.traceId : SpanFactory.traceOf(ctx), e.seq);
    Work w = new Work(false, e, trace, spans, p, ctx, key, op,
        p != null ? p.seq : e.seq, p != null ? p.parentCausalId : 0);
    if (p != null) {
      w.link = p;
      w.queueWaitNs = e.time - p.time;
    } else {
      matcher.parkDequeue(e.objId, e.elemId, w);
    }
    work.push(t, w);
    rules.workOpened(w);
  }

  /** A dequeue-begin ends the processing of the element the thread took before. */
  void onDequeueBegin(ThreadWork t, Event e) {
    work.closeProcessing(t, e.time, e.seq);
  }

  void onPeek(ThreadWork t, Event e) {
    onQueueEvent(t, e, SchemaNames.PEEK_SUFFIX, SpanKind.INTERNAL, e.time);
  }

  /** A drain ends the processing before it, as a dequeue does, and is a span of its own. */
  void onDrain(ThreadWork t, Event e) {
    work.closeProcessing(t, e.entryTime(), e.seq);
    onQueueEvent(t, e, SchemaNames.DRAIN_SUFFIX, SpanKind.CONSUMER, e.entryTime());
  }

  private void onQueueEvent(ThreadWork t, Event e, String suffix, SpanKind kind, long start) {
    if (spans.checkOnly()) {
      return; // a span of its own, never a rule's
    }
    Work ctx = t.top();
    String queue = naming.object(e.objId, e.site, "Queue");
    String trace = spans.threadTrace(null, e.time, SpanFactory.traceOf(ctx), e.threadId);
    AttributesBuilder a = spans.common(e);
    queueAttributes(a, queue, e);
    if (e.kind == QUEUE_DRAIN) {
      a.put(SpanSchema.QUEUE_DRAINED, e.get(DRAINED));
    }
    if (e.outcome == Outcome.TIMED_OUT) {
      a.put(SpanSchema.GUARD_TIMED_OUT, true);
    }
    SpanFactory.inheritWork(a, ctx);
    spans.emit(queue + suffix, kind, trace, spans.spanId(e.seq), SpanFactory.parentIn(ctx, trace), start, e.time, a,
        Collections.emptyList(), e.outcome);
  }

  /** The queue, its depth, and for calls that can block the time blocked and the timeout. */
  static void queueAttributes(AttributesBuilder a, String queue, Event e) {
    a.put(SpanSchema.QUEUE_ID, queue);
    long depth = e.get(DEPTH);
    if (depth >= 0) {
      a.put(SpanSchema.QUEUE_DEPTH, depth);
    }
    GuardAttributes.putBlocking(a, e);
  }

  /** Dequeues that found nothing (no span exported for them). */
  long emptyPolls() {
    return emptyPolls;
  }
}
