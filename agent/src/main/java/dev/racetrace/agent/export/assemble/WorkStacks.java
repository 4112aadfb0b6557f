package dev.racetrace.agent.export.assemble;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.rules.RuleChecker;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.schema.SchemaNames;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.LinkData;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The work open on each thread ({@link ThreadWork#stack}): opens it, ends it (a dequeued element's
 * processing at the thread's next dequeue, a task run at its end, everything at the thread's end
 * or at shutdown with an inferred end) and emits its {@code process} or {@code run} span once it
 * is closed and matched to its producer. Exporter thread only.
 */
final class WorkStacks {
  private final SpanFactory spans;
  private final Naming naming;
  private final Counters counters;
  private final LongSupplier clock;
  private final RuleChecker rules;

  WorkStacks(SpanFactory spans, Naming naming, Counters counters, LongSupplier clock, RuleChecker rules) {
    this.spans = spans;
    this.naming = naming;
    this.counters = counters;
    this.clock = clock;
    this.rules = rules;
  }

  /** Opens work on the thread; past {@link StateLimits#MAX_STACK} the outermost ends early (inferred). */
  void push(ThreadWork t, Work w) {
    t.stack.addLast(w);
    if (t.stack.size() > StateLimits.MAX_STACK) {
      Work outer = t.stack.pollFirst();
      counters.droppedState().incrementAndGet();
      outer.close(Math.max(t.lastEventTime, outer.event.time), 0, true);
      outer.awaitingProducer = false;
      emitWork(outer);
    }
  }

  /** Ends the dequeued elements being processed on this thread (not the tasks around them). */
  void closeProcessing(ThreadWork t, long endTime, long endSeq) {
    while (!t.stack.isEmpty() && !t.top().task) {
      Work w = t.stack.pollLast();
      w.close(endTime, endSeq, false);
      finish(w);
    }
  }

  /**
   * A task run ended: it and the work opened inside it end here (the inner tasks that did not
   * end with an inferred end). Nothing happens when the run's start was not recorded.
   */
  void endRun(ThreadWork t, long causalId, long endTime, long endSeq, int outcome) {
    Work run = null;
    for (Iterator<Work> it = t.stack.descendingIterator(); it.hasNext(); ) {
      Work w = it.next();
      if (w.task && w.causalId == causalId) {
        run = w;
        break;
      }
    }
    if (run == null) {
      return; // its start was not recorded (dropped, or recording began mid-task)
    }
    while (true) {
      Work w = t.stack.pollLast();
      boolean isRun = w == run;
      w.close(endTime, endSeq, !isRun && w.task);
      if (isRun) {
        w.outcome = outcome;
      }
      finish(w);
      if (isRun) {
        return;
      }
    }
  }

  /** Ends the thread's open work at its last event: the processing only, or the tasks as well. */
  void closeInferred(ThreadWork t, boolean includingTasks) {
    while (!t.stack.isEmpty() && (includingTasks || !t.top().task)) {
      Work w = t.stack.pollLast();
      w.close(Math.max(t.lastEventTime, w.event.time), 0, true);
      w.awaitingProducer = false;
      emitWork(w);
    }
  }

  private void finish(Work w) {
    if (w.awaitingProducer && clock.getAsLong() < w.parkedUntilNanos) {
      return; // emitted when its producer arrives or the park expires
    }
    emitWork(w);
  }

  /** Emits the work's span once; a rule check may hold it. */
  void emitWork(Work w) {
    if (w.emitted) {
      return;
    }
    w.emitted = true;
    Event e = w.event;
    Object outer = spans.appContext(e.appContext); // the application's span when the work started
    try {
      emitWorkSpan(w, e);
    } finally {
      spans.appContext(outer);
    }
  }

  private void emitWorkSpan(Work w, Event e) {
    if (spans.checkOnly() && w.ruleInstance == null) {
      return; // no rule follows this work: its span would be let go unchecked
    }
    AttributesBuilder a = spans.common(e);
    String name;
    SpanKind kind;
    List<LinkData> links = Collections.emptyList();
    if (w.link != null) {
      links = Collections.singletonList(LinkData.create(w.link.span(),
          Attributes.of(SpanSchema.LINK, w.task ? SchemaNames.LINK_SUBMIT : SchemaNames.LINK_ENQUEUE)));
    }
    if (w.task) {
      String executor = naming.object(e.objId, e.site, "Executor");
      name = executor + SchemaNames.RUN_SUFFIX;
      kind = SpanKind.CONSUMER;
      a.put(SpanSchema.EXECUTOR_ID, executor);
    } else {
      String queue = naming.object(e.objId, e.site, "Queue");
      name = queue + SchemaNames.PROCESS_SUFFIX;
      kind = SpanKind.CONSUMER;
      QueueSpans.queueAttributes(a, queue, e);
    }
    a.put(SpanSchema.CAUSAL_ID, w.causalId);
    SpanFactory.putWork(a, w.key, w.op, w.parentCausalId);
    if (w.queueWaitNs >= 0) {
      a.put(SpanSchema.QUEUE_WAIT_NS, w.queueWaitNs);
    }
    if (w.endInferred) {
      a.put(SpanSchema.END_INFERRED, true);
    } else {
      a.put(SpanSchema.END_SEQ, w.endSeq);
    }
    int outcome = w.task ? w.outcome : e.outcome;
    RaceSpan span = spans.build(name, kind, w.traceId, w.spanId(), w.parent(), e.time, w.end, a, links, outcome);
    if (!rules.workClosed(w, span)) {
      spans.export(span);
    }
  }
}
