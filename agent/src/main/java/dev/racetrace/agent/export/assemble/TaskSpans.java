package dev.racetrace.agent.export.assemble;

import static dev.racetrace.schema.RecordField.CAUSAL_ID;
import static dev.racetrace.schema.RecordField.DEPTH;
import static dev.racetrace.schema.RecordField.QUEUE_WAIT_NS;
import static dev.racetrace.schema.RecordField.RUN_LINKED;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.rules.RuleChecker;
import dev.racetrace.core.Outcome;
import dev.racetrace.schema.SchemaNames;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * Spans of executor events: the {@code submit} producer span, and the {@code run} work a task
 * start opens (matched to its submit by {@link CausalMatcher}) until the task's end. Exporter
 * thread only.
 */
final class TaskSpans {
  private final SpanFactory spans;
  private final Naming naming;
  private final CausalMatcher matcher;
  private final WorkStacks work;
  private final RuleChecker rules;

  TaskSpans(SpanFactory spans, Naming naming, CausalMatcher matcher, WorkStacks work, RuleChecker rules) {
    this.spans = spans;
    this.naming = naming;
    this.matcher = matcher;
    this.work = work;
    this.rules = rules;
  }

  void onSubmit(ThreadWork t, Event e) {
    ProducerSide side = new ProducerSide(t, e, naming, spans);
    boolean wrapped = e.is(RUN_LINKED);
    if (!spans.checkOnly()) { // a submit span is never a rule's: only its matching is needed then
      String executor = naming.object(e.objId, e.site, "Executor");
      AttributesBuilder a = spans.common(e);
      a.put(SpanSchema.EXECUTOR_ID, executor);
      a.put(SpanSchema.TASK_WRAPPED, wrapped);
      long depth = e.get(DEPTH);
      if (depth >= 0) {
        a.put(SpanSchema.QUEUE_DEPTH, depth);
      }
      side.emit(executor + SchemaNames.SUBMIT_SUFFIX, a, e, e.time);
    }

    // only a wrapped task's runs are recorded with the submit's seq as their causal id
    boolean runsFollow = wrapped && e.outcome == Outcome.OK;
    rules.submitted(side.ctx, side.key, side.op, runsFollow, e.seq);
    if (runsFollow) {
      matcher.submitted(side.producer(e));
    }
  }

  void onStart(ThreadWork t, Event e) {
    long causal = e.get(CAUSAL_ID);
    Producer p = matcher.submitOf(causal, e.seq);
    Work ctx = t.top();
    String key = Naming.key(e.key);
    if (key == null && p != null) {
      key = p.key;
    }
    String op = p != null && p.op != null ? p.op : naming.op(e.aux);
    // a run roots its own chain when its submit is unknown, never the trace of the work around it
    String trace = spans.causalTrace(key, e.time, p != null ? p.traceId : null, causal);
    Work w = new Work(true, e, trace, spans, p, ctx, key, op, causal,
        p != null ? p.parentCausalId : 0);
    w.queueWaitNs = e.get(QUEUE_WAIT_NS);
    if (p != null) {
      w.link = p;
    } else {
      matcher.parkRun(causal, w);
    }
    work.push(t, w);
    rules.workOpened(w);
  }

  void onEnd(ThreadWork t, Event e) {
    work.endRun(t, e.get(CAUSAL_ID), e.time, e.seq, e.outcome);
  }
}
