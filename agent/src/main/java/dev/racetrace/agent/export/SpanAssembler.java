package dev.racetrace.agent.export;

import dev.racetrace.agent.internal.BoundedMap;
import static dev.racetrace.core.EventKind.BARRIER_AWAIT;
import static dev.racetrace.core.EventKind.CONDITION_CHECK;
import static dev.racetrace.core.EventKind.FLAG_READ;
import static dev.racetrace.core.EventKind.FUTURE_GET;
import static dev.racetrace.core.EventKind.GUARD_METHOD;
import static dev.racetrace.core.EventKind.LATCH_AWAIT;
import static dev.racetrace.core.EventKind.LATCH_COUNT_DOWN;
import static dev.racetrace.core.EventKind.LATCH_GET_COUNT;
import static dev.racetrace.core.EventKind.LOCK_ACQUIRE;
import static dev.racetrace.core.EventKind.MARK;
import static dev.racetrace.core.EventKind.PHASER_ARRIVE;
import static dev.racetrace.core.EventKind.PHASER_AWAIT;
import static dev.racetrace.core.EventKind.QUEUE_DEQUEUE;
import static dev.racetrace.core.EventKind.QUEUE_DEQUEUE_BEGIN;
import static dev.racetrace.core.EventKind.QUEUE_DRAIN;
import static dev.racetrace.core.EventKind.QUEUE_ENQUEUE;
import static dev.racetrace.core.EventKind.QUEUE_PEEK;
import static dev.racetrace.core.EventKind.SEMAPHORE_ACQUIRE;
import static dev.racetrace.core.EventKind.SEMAPHORE_RELEASE;
import static dev.racetrace.core.EventKind.SLEEP;
import static dev.racetrace.core.EventKind.TASK_END;
import static dev.racetrace.core.EventKind.TASK_START;
import static dev.racetrace.core.EventKind.TASK_SUBMIT;

import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.site.CallSite;
import dev.racetrace.schema.EventType;
import dev.racetrace.schema.OrderingRule;
import dev.racetrace.schema.SchemaNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Turns the event stream (per thread in program order) into spans: matches each dequeue to its
 * enqueue and each task run to its submit, keeps per thread the work in progress so guard checks
 * become its children and inherit its key, and ends a dequeued element's processing when the
 * consumer thread enters its next dequeue. Exporter thread only.
 */
final class SpanAssembler {
  /** How long a consumer whose producer was not seen yet waits for it (exporter time). */
  static final long PARK_NANOS = 2_000_000_000L;
  /** A thread silent this long has its open processing closed with an inferred end. */
  static final long SILENT_NANOS = 30_000_000_000L;

  private static final SpanContext NO_PARENT = SpanContext.getInvalid();

  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  private final Ids ids;
  private final Naming naming;
  private final ThreadDirectory threadNames;
  private final Counters counters;
  private final Consumer<SpanData> sink;
  private final LongSupplier clock;
  private final RuleChecker rules;
  private static final Attributes APP_LINK = Attributes.of(SpanSchema.LINK, SchemaNames.LINK_APP);
  private Function<Object, SpanContext> appSpans;
  /** The application span context of the event being turned into spans (racetrace.otel.link). */
  private Object buildAppContext;
  /** Reused for every span's attributes (a fresh one if a span is built while another is). */
  private final SpanAttributes.Builder attributeBuilder = SpanAttributes.reusableBuilder();
  @SuppressWarnings("unchecked")
  private AttributeKey<Long>[] stateKeys = new AttributeKey[0];

  /** Per-table caps from racetrace.memory.max: past them state is dropped and counted, never grown. */
  private final StateLimits limits;
  /** Least recently active thread first, so the one dropped at the cap is the quietest. */
  private final LinkedHashMap<Long, ThreadWork> threads = new LinkedHashMap<>(64, 0.75f, true);
  private final ProducerIndex enqueues;
  private final ProducerIndex submits;
  /** Oldest first (insertion order), so the cap drops the consumer parked longest. */
  private final LinkedHashMap<Long, List<Work>> parkedDequeues = new LinkedHashMap<>();
  private final LinkedHashMap<Long, List<Work>> parkedRuns = new LinkedHashMap<>();
  private int parkedCount;
  private final Map<Integer, Long> latchOpenedAt;
  private long emptyPolls;

  /** Open work of one thread, innermost last. */
  private static final class ThreadWork {
    final ArrayDeque<Work> stack = new ArrayDeque<>();
    long lastEventTime;
    long lastSeenNanos;
    /** A timed wait that expired, held until the thread's next event says whether it went on. */
    RaceSpan expiredWait;
    int expiredWaitObject;

    Work top() {
      return stack.peekLast();
    }
  }

  SpanAssembler(Resource resource, InstrumentationScopeInfo scope, Ids ids, Naming naming,
      ThreadDirectory threadNames, Counters counters, Consumer<SpanData> sink, LongSupplier clock) {
    this(resource, scope, ids, naming, threadNames, counters, sink, clock, Collections.emptyList(), 0);
  }

  SpanAssembler(Resource resource, InstrumentationScopeInfo scope, Ids ids, Naming naming,
      ThreadDirectory threadNames, Counters counters, Consumer<SpanData> sink, LongSupplier clock,
      List<OrderingRule> orderingRules, long ruleSettleNanos) {
    this(resource, scope, ids, naming, threadNames, counters, sink, clock, orderingRules, ruleSettleNanos,
        StateLimits.of(8 << 20));
  }

  SpanAssembler(Resource resource, InstrumentationScopeInfo scope, Ids ids, Naming naming,
      ThreadDirectory threadNames, Counters counters, Consumer<SpanData> sink, LongSupplier clock,
      List<OrderingRule> orderingRules, long ruleSettleNanos, StateLimits limits) {
    this.limits = limits;
    this.enqueues = new ProducerIndex(limits.enqueues, true, counters.droppedState());
    this.submits = new ProducerIndex(limits.submits, false, counters.droppedState());
    int latches = limits.small;
    // an old latch's open time only refines guard.open_for_ns: the least recently used goes
    this.latchOpenedAt = BoundedMap.lru(latches);
    this.resource = resource;
    this.scope = scope;
    this.ids = ids;
    this.naming = naming;
    this.threadNames = threadNames;
    this.counters = counters;
    this.sink = sink;
    this.clock = clock;
    this.rules = new RuleChecker(orderingRules, sink::accept, clock, ruleSettleNanos, limits.ruleKeys,
        counters.droppedState());
  }

  /** The online rule checker (for its violation count and trigger). */
  RuleChecker rules() {
    return rules;
  }

  /** Consumes one event. Events of one thread must arrive in that thread's order. */
  void accept(Event e) {
    attributeBuilder.release(); // no span is being built between events, even after a failure
    if (e.kind == EventKind.OBJECT_NEW) {
      naming.allocated(e.objId, e.site); // no span and not the thread's work: it only names the object
      return;
    }
    buildAppContext = e.appContext;
    ThreadWork t = thread(e.threadId);
    t.lastEventTime = Math.max(t.lastEventTime, e.time);
    t.lastSeenNanos = clock.getAsLong();
    if (t.expiredWait != null) {
      boolean retried = "await".equals(guardVerb(e.kind)) && guardKind(e.kind) != null
          && e.objId == t.expiredWaitObject && e.objId != 0;
      releaseExpiredWait(t, !retried);
    }
    switch (e.kind) {
      case QUEUE_ENQUEUE:
        onEnqueue(t, e);
        break;
      case QUEUE_DEQUEUE_BEGIN:
        closeProcessing(t, e.time, e.seq);
        break;
      case QUEUE_DEQUEUE:
        onDequeue(t, e);
        break;
      case QUEUE_PEEK:
        onQueueEvent(t, e, SchemaNames.PEEK_SUFFIX, SpanKind.INTERNAL, e.time);
        break;
      case QUEUE_DRAIN:
        closeProcessing(t, e.entryTime(), e.seq);
        onQueueEvent(t, e, SchemaNames.DRAIN_SUFFIX, SpanKind.CONSUMER, e.entryTime());
        break;
      case TASK_SUBMIT:
        onSubmit(t, e);
        break;
      case TASK_START:
        onStart(t, e);
        break;
      case TASK_END:
        onEnd(t, e);
        break;
      case MARK:
        onMark(t, e);
        break;
      case EventKind.DELAY:
        onDelay(t, e);
        break;
      default:
        if (guardKind(e.kind) != null) {
          onGuard(t, e);
        }
    }
  }

  // ------------------------------------------------------------------ queues

  /**
   * Where an enqueue or submit belongs: its key and op (its own, else inherited from the work the
   * thread is in), the work it is made from, and its trace and span ids.
   */
  private final class ProducerSide {
    final Work ctx;
    final String key;
    final String op;
    final long parentCausal;
    final String trace;
    final String spanId;

    ProducerSide(ThreadWork t, Event e) {
      ctx = t.top();
      String k = Naming.key(e.key);
      key = k == null && ctx != null ? ctx.key : k;
      String o = naming.op(e.aux);
      op = o == null && ctx != null ? ctx.op : o;
      parentCausal = ctx != null ? ctx.causalId : 0;
      trace = key != null ? ids.keyTrace(key, e.time) : ctx != null ? ctx.traceId : ids.chainTrace(e.seq);
      spanId = ids.spanId(e.seq, 0);
    }

    Producer producer(Event e) {
      return new Producer(e.seq, e.time, Ids.context(trace, spanId), key, op, parentCausal);
    }

    void emit(String name, AttributesBuilder a, Event e, long end) {
      a.put(SpanSchema.CAUSAL_ID, e.seq);
      putWork(a, key, op, parentCausal);
      SpanAssembler.this.emit(name, SpanKind.PRODUCER, trace, spanId, parentIn(ctx, trace), e.time, end, a,
          Collections.emptyList(), e.outcome);
    }
  }

  private void onEnqueue(ThreadWork t, Event e) {
    ProducerSide side = new ProducerSide(t, e);
    String queue = naming.object(e.objId, e.site, "Queue");
    AttributesBuilder a = common(e);
    queueAttributes(a, queue, e);
    side.emit(queue + SchemaNames.ENQUEUE_SUFFIX, a, e, e.time + Math.max(0, e.b));

    if (e.outcome == Outcome.OK) {
      rules.enqueued(side.key, side.op, e.seq);
      Producer p = side.producer(e);
      long qk = ProducerIndex.queueKey(e.objId, e.elemId);
      Work parked = unpark(parkedDequeues, qk, e.seq);
      if (parked != null) {
        bind(parked, p, parked.event.time - p.time);
      } else {
        enqueues.add(qk, p);
      }
    }
  }

  private void onDequeue(ThreadWork t, Event e) {
    if (e.small == 0) {
      closeProcessing(t, e.entryTime(), e.seq);
    }
    if (e.elemId == 0 || e.outcome != Outcome.OK) {
      if (e.outcome == Outcome.TIMED_OUT) {
        onQueueEvent(t, e, SchemaNames.POLL_SUFFIX, SpanKind.CONSUMER, e.entryTime());
      } else {
        emptyPolls++;
      }
      return;
    }
    long qk = ProducerIndex.queueKey(e.objId, e.elemId);
    Producer p = enqueues.match(qk, e.seq);
    Work ctx = t.top();
    String key = Naming.key(e.key);
    if (key == null && p != null) {
      key = p.key;
    }
    String op = naming.op(e.aux);
    if (op == null && p != null) {
      op = p.op;
    }
    String trace = key != null ? ids.keyTrace(key, e.time)
        : p != null ? p.span.getTraceId() : ctx != null ? ctx.traceId : ids.chainTrace(e.seq);
    SpanContext parent = p != null && p.span.getTraceId().equals(trace) ? p.span : parentIn(ctx, trace);
    Work w = new Work(false, e, trace, ids.spanId(e.seq, 0), parent, key, op,
        p != null ? p.seq : e.seq, p != null ? p.parentCausalId : 0);
    if (p != null) {
      w.link = p.span;
      w.queueWaitNs = e.time - p.time;
    } else {
      park(parkedDequeues, qk, w);
    }
    push(t, w);
    rules.workOpened(w);
  }

  private void onQueueEvent(ThreadWork t, Event e, String suffix, SpanKind kind, long start) {
    Work ctx = t.top();
    String queue = naming.object(e.objId, e.site, "Queue");
    String trace = ctx != null ? ctx.traceId : ids.threadTrace(e.threadId, e.time);
    AttributesBuilder a = common(e);
    queueAttributes(a, queue, e);
    if (e.kind == QUEUE_DRAIN) {
      a.put(SpanSchema.QUEUE_DRAINED, e.a);
    }
    if (e.outcome == Outcome.TIMED_OUT) {
      a.put(SpanSchema.GUARD_TIMED_OUT, true);
    }
    inheritWork(a, ctx);
    emit(queue + suffix, kind, trace, ids.spanId(e.seq, 0), parentIn(ctx, trace), start, e.time, a,
        Collections.emptyList(), e.outcome);
  }

  private static void queueAttributes(AttributesBuilder a, String queue, Event e) {
    a.put(SpanSchema.QUEUE_ID, queue);
    if (e.kind != QUEUE_DRAIN && e.a >= 0) {
      a.put(SpanSchema.QUEUE_DEPTH, e.a);
    }
    if (e.kind != QUEUE_PEEK && e.kind != QUEUE_DRAIN) {
      if (e.b > 0) {
        a.put(SpanSchema.BLOCKED_NS, e.b);
      }
      if (e.c >= 0) {
        a.put(SpanSchema.TIMEOUT_NS, e.c);
      }
    }
  }

  // ------------------------------------------------------------------ executors

  private void onSubmit(ThreadWork t, Event e) {
    ProducerSide side = new ProducerSide(t, e);
    String executor = naming.object(e.objId, e.site, "Executor");
    AttributesBuilder a = common(e);
    a.put(SpanSchema.EXECUTOR_ID, executor);
    a.put(SpanSchema.TASK_WRAPPED, e.small == 1);
    if (e.a >= 0) {
      a.put(SpanSchema.QUEUE_DEPTH, e.a);
    }
    side.emit(executor + SchemaNames.SUBMIT_SUFFIX, a, e, e.time);

    rules.submitted(side.ctx, side.key, side.op, e.small == 1 && e.outcome == Outcome.OK, e.seq);
    if (e.small == 1 && e.outcome == Outcome.OK) {
      Producer p = side.producer(e);
      List<Work> waiting = parkedRuns.remove(e.seq);
      if (waiting != null) {
        parkedCount -= waiting.size();
        for (Work w : waiting) {
          bind(w, p, w.queueWaitNs);
        }
      }
      submits.add(e.seq, p);
    }
  }

  private void onStart(ThreadWork t, Event e) {
    long causal = e.a;
    Producer p = submits.match(causal, e.seq);
    Work ctx = t.top();
    String key = Naming.key(e.key);
    if (key == null && p != null) {
      key = p.key;
    }
    String op = p != null && p.op != null ? p.op : naming.op(e.aux);
    String trace = key != null ? ids.keyTrace(key, e.time)
        : p != null ? p.span.getTraceId() : ids.chainTrace(causal);
    SpanContext parent = p != null && p.span.getTraceId().equals(trace) ? p.span : parentIn(ctx, trace);
    Work w = new Work(true, e, trace, ids.spanId(e.seq, 0), parent, key, op, causal,
        p != null ? p.parentCausalId : 0);
    w.queueWaitNs = e.b;
    if (p != null) {
      w.link = p.span;
    } else {
      park(parkedRuns, causal, w);
    }
    push(t, w);
    rules.workOpened(w);
  }

  private void onEnd(ThreadWork t, Event e) {
    Work run = null;
    for (Iterator<Work> it = t.stack.descendingIterator(); it.hasNext(); ) {
      Work w = it.next();
      if (w.task && w.causalId == e.a) {
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
      w.close(e.time, e.seq, !isRun && w.task);
      if (isRun) {
        w.outcome = e.outcome;
      }
      finish(w);
      if (isRun) {
        return;
      }
    }
  }

  // ------------------------------------------------------------------ guards and marks

  private void onGuard(ThreadWork t, Event e) {
    Work ctx = t.top();
    // a monitor's wait loop check (small=1) is the monitor's, a Condition loop's the condition's
    String kind = e.kind == CONDITION_CHECK && e.small == 1 ? "monitor" : guardKind(e.kind);
    String verb = guardVerb(e.kind);
    String object = e.kind == SLEEP ? "Thread.sleep" : naming.object(e.objId, e.site, capitalize(kind));
    String key = e.kind == GUARD_METHOD ? Naming.key(e.key) : null;
    if (key == null && ctx != null) {
      key = ctx.key;
    }
    String trace = key != null && (ctx == null || !key.equals(ctx.key)) ? ids.keyTrace(key, e.time)
        : ctx != null ? ctx.traceId : ids.threadTrace(e.threadId, e.time);
    long start = "await".equals(verb) || e.kind == GUARD_METHOD ? e.entryTime() : e.time;

    AttributesBuilder a = common(e);
    a.put(SpanSchema.GUARD_KIND, kind);
    a.put(SpanSchema.GUARD_OBJECT, object);
    if (e.objId != 0 && e.kind != SLEEP) {
      a.put(SpanSchema.GUARD_OBJECT_ID, Integer.toHexString(e.objId));
    }
    inheritWork(a, ctx);
    if (key != null) {
      a.put(SpanSchema.KEY, key);
    }
    guardAttributes(a, e);
    RaceSpan span = build("guard." + verb + " " + object, SpanKind.INTERNAL, trace, ids.spanId(e.seq, 0),
        parentIn(ctx, trace), start, e.time, a, Collections.emptyList(), e.outcome);
    if ("signal".equals(verb)) {
      rules.signalled(ctx, e.objId, e.seq);
    } else if (e.kind == LOCK_ACQUIRE) {
      if (e.outcome == Outcome.OK) {
        rules.acquired(ctx, e.objId, e.seq);
      }
    } else if (e.kind != SLEEP) {
      // a sleep waits for nothing: never the point where an operation proceeds
      int edge = "await".equals(verb) && e.outcome == Outcome.OK ? e.objId : 0;
      rules.guardPassed(ctx, e.seq, edge, describe(kind, object, span));
    }
    if ("await".equals(verb) && e.outcome == Outcome.TIMED_OUT && e.kind != SLEEP) {
      t.expiredWait = span;
      t.expiredWaitObject = e.objId;
    } else {
      sink.accept(span);
    }
  }

  private void releaseExpiredWait(ThreadWork t, boolean wentOn) {
    sink.accept(t.expiredWait.withAttributes(Attributes.of(SpanSchema.GUARD_WENT_ON, wentOn)));
    t.expiredWait = null;
  }

  /** One line about a guard for rule violations, e.g. {@code latch Node.startupLatch (trivial)}. */
  private static String describe(String kind, String object, RaceSpan span) {
    Attributes a = span.getAttributes();
    StringBuilder sb = new StringBuilder(kind).append(' ').append(object);
    if (Boolean.TRUE.equals(a.get(SpanSchema.GUARD_TRIVIAL))) {
      sb.append(" (trivial: already open)");
    }
    if (Boolean.TRUE.equals(a.get(SpanSchema.GUARD_TIMED_OUT))) {
      sb.append(" (timed out)");
    }
    String seen = a.get(SpanSchema.GUARD_VALUE_SEEN);
    if (seen != null) {
      sb.append(" saw ").append(seen);
    }
    return sb.toString();
  }

  private void guardAttributes(AttributesBuilder a, Event e) {
    boolean waits = "await".equals(guardVerb(e.kind));
    if (waits) {
      if (e.b > 0) {
        a.put(SpanSchema.BLOCKED_NS, e.b);
      }
      if (e.c >= 0) {
        a.put(SpanSchema.TIMEOUT_NS, e.c);
      }
      if (e.c >= 0 || e.kind == SLEEP) {
        a.put(SpanSchema.GUARD_TIMED_OUT, e.outcome == Outcome.TIMED_OUT);
      }
    }
    switch (e.kind) {
      case LATCH_AWAIT:
        a.put(SpanSchema.GUARD_COUNT_BEFORE, e.a);
        a.put(SpanSchema.GUARD_TRIVIAL, e.a == 0);
        if (e.a == 0) {
          Long opened = latchOpenedAt.get(e.objId);
          if (opened != null) {
            a.put(SpanSchema.GUARD_OPEN_FOR_NS, Math.max(0, e.entryTime() - opened));
          }
        }
        break;
      case LATCH_COUNT_DOWN:
        a.put(SpanSchema.GUARD_COUNT_BEFORE, e.a);
        a.put(SpanSchema.GUARD_COUNT_AFTER, e.b);
        if (e.a > 0 && e.b == 0) {
          latchOpenedAt.put(e.objId, e.time);
        }
        break;
      case LATCH_GET_COUNT:
        a.put(SpanSchema.GUARD_VALUE_SEEN, Long.toString(e.a));
        break;
      case SEMAPHORE_ACQUIRE:
        a.put(SpanSchema.GUARD_COUNT_BEFORE, e.a);
        break;
      case SEMAPHORE_RELEASE:
        a.put(SpanSchema.GUARD_COUNT_AFTER, e.a);
        break;
      case BARRIER_AWAIT:
      case PHASER_AWAIT:
      case PHASER_ARRIVE:
        a.put(SpanSchema.GUARD_VALUE_SEEN, Long.toString(e.a));
        break;
      case FUTURE_GET:
        a.put(SpanSchema.GUARD_TRIVIAL, e.a == 1);
        break;
      case CONDITION_CHECK:
        a.put(SpanSchema.GUARD_TIMED_LOOP, e.c == 1);
        a.put(SpanSchema.GUARD_TIMED_OUT, e.outcome == Outcome.TIMED_OUT);
        break;
      case FLAG_READ:
        a.put(SpanSchema.GUARD_VALUE_SEEN, e.small == 1 ? Boolean.toString(e.a != 0) : Long.toString(e.a));
        break;
      case GUARD_METHOD:
        a.put(SpanSchema.GUARD_VALUE_SEEN, e.aux == null ? "null" : Naming.key(e.aux));
        if (e.b > 0) {
          a.put(SpanSchema.BLOCKED_NS, e.b);
        }
        break;
      default:
        break;
    }
  }

  private void onMark(ThreadWork t, Event e) {
    Work ctx = t.top();
    String key = Naming.key(e.key);
    if (key == null && ctx != null) {
      key = ctx.key;
    }
    String op = e.aux instanceof String ? (String) e.aux : "mark";
    String trace = key != null ? ids.keyTrace(key, e.time)
        : ctx != null ? ctx.traceId : ids.threadTrace(e.threadId, e.time);
    AttributesBuilder a = common(e);
    a.put(SpanSchema.CAUSAL_ID, ctx != null ? ctx.causalId : e.seq);
    if (key != null) {
      a.put(SpanSchema.KEY, key);
    }
    a.put(SpanSchema.OP, op);
    emit(op, SpanKind.INTERNAL, trace, ids.spanId(e.seq, 0), parentIn(ctx, trace), e.time, e.time, a,
        Collections.emptyList(), e.outcome);
  }

  private void onDelay(ThreadWork t, Event e) {
    Work ctx = t.top();
    String key = Naming.key(e.key);
    if (key == null && ctx != null) {
      key = ctx.key;
    }
    String trace = key != null && (ctx == null || !key.equals(ctx.key)) ? ids.keyTrace(key, e.time)
        : ctx != null ? ctx.traceId : ids.threadTrace(e.threadId, e.time);
    AttributesBuilder a = common(e);
    inheritWork(a, ctx);
    if (key != null) {
      a.put(SpanSchema.KEY, key);
    }
    a.put(SpanSchema.DELAY_RULE, String.valueOf(e.aux));
    a.put(SpanSchema.DELAY_PLANNED_NS, e.a);
    a.put(SpanSchema.DELAY_WAITED_NS, e.b);
    a.put(SpanSchema.DELAY_OCCURRENCE, e.c);
    emit(SchemaNames.DELAY_SPAN, SpanKind.INTERNAL, trace, ids.spanId(e.seq, 0), parentIn(ctx, trace),
        e.time - Math.max(0, e.b), e.time, a, Collections.emptyList(), e.outcome);
  }

  // ------------------------------------------------------------------ work lifecycle

  /** Ends the dequeued elements being processed on this thread (not the tasks around them). */
  private void closeProcessing(ThreadWork t, long endTime, long endSeq) {
    while (!t.stack.isEmpty() && !t.top().task) {
      Work w = t.stack.pollLast();
      w.close(endTime, endSeq, false);
      finish(w);
    }
  }

  private void finish(Work w) {
    if (w.awaitingProducer && clock.getAsLong() < w.parkedUntilNanos) {
      return; // emitted when its producer arrives or the park expires
    }
    emitWork(w);
  }

  /** The thread's open work; past the thread cap the least recently active thread's work is closed. */
  private ThreadWork thread(long threadId) {
    ThreadWork t = threads.get(threadId);
    if (t == null) {
      if (threads.size() >= limits.threads) {
        Iterator<Map.Entry<Long, ThreadWork>> eldest = threads.entrySet().iterator();
        ThreadWork gone = eldest.next().getValue();
        eldest.remove();
        counters.droppedState().incrementAndGet();
        if (gone.expiredWait != null) {
          releaseExpiredWait(gone, true);
        }
        closeInferred(gone, true);
      }
      t = new ThreadWork();
      threads.put(threadId, t);
    }
    return t;
  }

  /** Opens work on the thread; past {@link StateLimits#MAX_STACK} the outermost ends early (inferred). */
  private void push(ThreadWork t, Work w) {
    t.stack.addLast(w);
    if (t.stack.size() > StateLimits.MAX_STACK) {
      Work outer = t.stack.pollFirst();
      counters.droppedState().incrementAndGet();
      outer.close(Math.max(t.lastEventTime, outer.event.time), 0, true);
      outer.awaitingProducer = false;
      emitWork(outer);
    }
  }

  private void park(Map<Long, List<Work>> parked, long key, Work w) {
    if (parkedCount >= limits.parked) {
      dropOldestParked();
    }
    parkedCount++;
    w.awaitingProducer = true;
    w.parkedUntilNanos = clock.getAsLong() + PARK_NANOS;
    parked.computeIfAbsent(key, k -> new ArrayList<>(1)).add(w);
  }

  /** At the cap: the consumer parked longest is emitted without its producer, and counted. */
  private void dropOldestParked() {
    LinkedHashMap<Long, List<Work>> from = parkedDequeues.isEmpty() ? parkedRuns : parkedDequeues;
    Iterator<List<Work>> it = from.values().iterator();
    if (!it.hasNext()) {
      return;
    }
    List<Work> list = it.next();
    Work w = list.remove(0);
    if (list.isEmpty()) {
      it.remove();
    }
    parkedCount--;
    counters.droppedState().incrementAndGet();
    counters.unmatchedDequeues().incrementAndGet();
    w.awaitingProducer = false;
    if (w.closed) {
      emitWork(w);
    }
  }

  /** Removes and returns the earliest parked consumer under this key newer than the producer. */
  private Work unpark(Map<Long, List<Work>> parked, long key, long producerSeq) {
    List<Work> list = parked.get(key);
    if (list == null) {
      return null;
    }
    Work best = null;
    for (Work w : list) {
      if (w.event.seq > producerSeq && (best == null || w.event.seq < best.event.seq)) {
        best = w;
      }
    }
    if (best != null) {
      parkedCount--;
      list.remove(best);
      if (list.isEmpty()) {
        parked.remove(key);
      }
    }
    return best;
  }

  private void bind(Work w, Producer p, long queueWaitNs) {
    w.awaitingProducer = false;
    w.link = p.span;
    w.causalId = w.task ? w.causalId : p.seq;
    w.parentCausalId = p.parentCausalId;
    w.queueWaitNs = queueWaitNs;
    rules.workBound(w);
    if (w.closed) {
      emitWork(w);
    }
  }

  /** Emits parked consumers whose producer never came, and closes work of silent threads. */
  void expire() {
    long now = clock.getAsLong();
    expireParked(parkedDequeues, now);
    expireParked(parkedRuns, now);
    rules.expire();
    for (ThreadWork t : threads.values()) {
      if (!t.stack.isEmpty() && now - t.lastSeenNanos > SILENT_NANOS && !t.top().task) {
        closeInferred(t, false);
      }
    }
  }

  private void expireParked(Map<Long, List<Work>> parked, long now) {
    for (Iterator<List<Work>> it = parked.values().iterator(); it.hasNext(); ) {
      List<Work> list = it.next();
      for (Iterator<Work> wi = list.iterator(); wi.hasNext(); ) {
        Work w = wi.next();
        if (now >= w.parkedUntilNanos) {
          wi.remove();
          parkedCount--;
          w.awaitingProducer = false;
          counters.unmatchedDequeues().incrementAndGet();
          if (w.closed) {
            emitWork(w);
          }
        }
      }
      if (list.isEmpty()) {
        it.remove();
      }
    }
  }

  /** A thread ended: whatever it had open ends at its last event. */
  void threadEnded(long threadId) {
    ThreadWork t = threads.remove(threadId);
    if (t != null) {
      if (t.expiredWait != null) {
        releaseExpiredWait(t, true);
      }
      closeInferred(t, true);
    }
    threadNames.forget(threadId);
  }

  /** Shutdown: close everything and emit every parked span. */
  void flushAll() {
    for (ThreadWork t : threads.values()) {
      if (t.expiredWait != null) {
        sink.accept(t.expiredWait);
        t.expiredWait = null;
      }
      closeInferred(t, true);
    }
    threads.clear();
    long far = Long.MAX_VALUE;
    expireParked(parkedDequeues, far);
    expireParked(parkedRuns, far);
    rules.flushAll();
  }

  private void closeInferred(ThreadWork t, boolean includingTasks) {
    while (!t.stack.isEmpty() && (includingTasks || !t.top().task)) {
      Work w = t.stack.pollLast();
      w.close(Math.max(t.lastEventTime, w.event.time), 0, true);
      w.awaitingProducer = false;
      emitWork(w);
    }
  }

  private void emitWork(Work w) {
    if (w.emitted) {
      return;
    }
    w.emitted = true;
    Event e = w.event;
    Object outer = buildAppContext;
    buildAppContext = e.appContext; // the application's span when the work started
    try {
      emitWorkSpan(w, e);
    } finally {
      buildAppContext = outer;
    }
  }

  private void emitWorkSpan(Work w, Event e) {
    AttributesBuilder a = common(e);
    String name;
    SpanKind kind;
    List<LinkData> links = Collections.emptyList();
    if (w.link != null) {
      links = Collections.singletonList(LinkData.create(w.link,
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
      queueAttributes(a, queue, e);
    }
    a.put(SpanSchema.CAUSAL_ID, w.causalId);
    putWork(a, w.key, w.op, w.parentCausalId);
    if (w.queueWaitNs >= 0) {
      a.put(SpanSchema.QUEUE_WAIT_NS, w.queueWaitNs);
    }
    if (w.endInferred) {
      a.put(SpanSchema.END_INFERRED, true);
    } else {
      a.put(SpanSchema.END_SEQ, w.endSeq);
    }
    int outcome = w.task ? w.outcome : e.outcome;
    RaceSpan span = build(name, kind, w.traceId, w.spanId, w.parent, e.time, w.end, a, links, outcome);
    if (!rules.workClosed(w, span)) {
      sink.accept(span);
    }
  }

  // ------------------------------------------------------------------ span building

  private AttributesBuilder common(Event e) {
    AttributesBuilder a = attributeBuilder.acquire();
    a.put(SpanSchema.SEQ, e.seq);
    a.put(SpanSchema.EVENT, EventKind.name(e.kind));
    if (e.outcome != Outcome.OK) {
      a.put(SpanSchema.OUTCOME, Outcome.name(e.outcome)); // absent means ok: every byte is encoded per span
    }
    a.put(SpanSchema.THREAD_ID, e.threadId);
    a.put(SpanSchema.THREAD_NAME, e.threadName != null ? e.threadName : threadNames.nameOf(e.threadId));
    CallSite site = naming.symbols().site(e.site);
    if (e.site > 0) {
      a.put(SpanSchema.CODE_NAMESPACE, site.className());
      a.put(SpanSchema.CODE_FUNCTION, site.methodName());
      if (site.line() > 0) {
        a.put(SpanSchema.CODE_LINENO, (long) site.line());
      }
    }
    for (int i = 0; i < e.stateCount; i++) {
      String name = naming.symbols().probeName((int) e.state[i * 2]);
      if (name != null) {
        a.put(stateKey((int) e.state[i * 2], name), e.state[i * 2 + 1]);
      }
    }
    return a;
  }

  /** {@code race.state.<name>}, one key object per probe (probe indexes never change name). */
  private AttributeKey<Long> stateKey(int index, String name) {
    if (index >= stateKeys.length) {
      stateKeys = java.util.Arrays.copyOf(stateKeys, index + 1);
    }
    AttributeKey<Long> key = stateKeys[index];
    if (key == null) {
      key = AttributeKey.longKey(SpanSchema.STATE_PREFIX + name);
      stateKeys[index] = key;
    }
    return key;
  }

  private static void putWork(AttributesBuilder a, String key, String op, long parentCausal) {
    if (key != null) {
      a.put(SpanSchema.KEY, key);
    }
    if (op != null) {
      a.put(SpanSchema.OP, op);
    }
    if (parentCausal > 0) {
      a.put(SpanSchema.PARENT_CAUSAL_ID, parentCausal);
    }
  }

  private static void inheritWork(AttributesBuilder a, Work ctx) {
    if (ctx == null) {
      return;
    }
    a.put(SpanSchema.CAUSAL_ID, ctx.causalId);
    if (ctx.key != null) {
      a.put(SpanSchema.KEY, ctx.key);
    }
    if (ctx.op != null) {
      a.put(SpanSchema.OP, ctx.op);
    }
  }

  private static SpanContext parentIn(Work ctx, String trace) {
    return ctx != null && ctx.traceId.equals(trace) ? ctx.context() : NO_PARENT;
  }

  private void emit(String name, SpanKind kind, String traceId, String spanId, SpanContext parent,
      long start, long end, AttributesBuilder attributes, List<LinkData> links, int outcome) {
    sink.accept(build(name, kind, traceId, spanId, parent, start, end, attributes, links, outcome));
  }

  private RaceSpan build(String name, SpanKind kind, String traceId, String spanId, SpanContext parent,
      long start, long end, AttributesBuilder attributes, List<LinkData> links, int outcome) {
    StatusData status = outcome == Outcome.EXCEPTION || outcome == Outcome.INTERRUPTED
        ? StatusData.create(StatusCode.ERROR, Outcome.name(outcome))
        : StatusData.unset();
    return new RaceSpan(name, kind, Ids.context(traceId, spanId), parent, status, start, end,
        attributes.build(), withAppLink(links), null, resource, scope);
  }

  /** Turns the application's span contexts into links (racetrace.otel.link); null: off. */
  void linkAppSpans(Function<Object, SpanContext> converter) {
    this.appSpans = converter;
  }

  /** {@code links} plus one to the application's span current at the event, if there was one. */
  private List<LinkData> withAppLink(List<LinkData> links) {
    if (appSpans == null || buildAppContext == null) {
      return links;
    }
    SpanContext app = appSpans.apply(buildAppContext);
    if (app == null) {
      return links;
    }
    List<LinkData> all = new ArrayList<>(links.size() + 1);
    all.addAll(links);
    all.add(LinkData.create(app, APP_LINK));
    return all;
  }

  /** Dequeues that found nothing (no span exported for them). */
  long emptyPolls() {
    return emptyPolls;
  }

  /** Producers evicted before their consumer was seen. */
  long evictedProducers() {
    return enqueues.evicted() + submits.evicted();
  }

  /** {@code race.guard.kind} of a record kind (the {@link EventType} table), or null for no guard. */
  static String guardKind(int kind) {
    EventType type = EventType.ofKind(kind);
    return type == null ? null : type.guardKind();
  }

  /** The verb of a guard kind's span name: signal, check, else await. */
  static String guardVerb(int kind) {
    EventType type = EventType.ofKind(kind);
    return type != null && type.role().isGuard() ? type.role().guardVerb() : "await";
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
