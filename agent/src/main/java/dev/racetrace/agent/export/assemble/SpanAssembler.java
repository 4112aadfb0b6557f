package dev.racetrace.agent.export.assemble;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.agent.export.rules.RuleChecker;
import dev.racetrace.agent.internal.BoundedMap;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.EventKind;
import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Turns the event stream (per thread in program order) into spans. This class only dispatches
 * each event by kind and keeps the per-thread state; the work is done by:
 *
 * <ul>
 *   <li>{@link QueueSpans} and {@link TaskSpans}: producer spans (enqueue, submit) and the work
 *       consumers open (process, run);
 *   <li>{@link CausalMatcher}: each dequeue to its enqueue and each task run to its submit,
 *       parking a consumer whose producer was not seen yet;
 *   <li>{@link WorkStacks}: the work open on each thread, ended by the thread's next dequeue, the
 *       task's end, or an inferred end, and its span;
 *   <li>{@link GuardSpans} with {@link GuardAttributes} and {@link LatchState}: guard checks as
 *       children of the work they run in, inheriting its key;
 *   <li>{@link MarkSpans}: marks and injected delays;
 *   <li>{@link SpanFactory}: common attributes, the one trace-id choice, app links, span building;
 *   <li>{@link RuleChecker}: the online ordering rules, told of work and guards as they pass.
 * </ul>
 *
 * Exporter thread only.
 */
public final class SpanAssembler {
  /** How long a consumer whose producer was not seen yet waits for it (exporter time). */
  static final long PARK_NANOS = CausalMatcher.PARK_NANOS;
  /** A thread silent this long has its open processing closed with an inferred end. */
  static final long SILENT_NANOS = 30_000_000_000L;

  private final ThreadDirectory threadNames;
  private final Counters counters;
  private final LongSupplier clock;
  private final RuleChecker rules;
  private final SpanFactory spans;
  private final CausalMatcher matcher;
  private final WorkStacks work;
  private final QueueSpans queues;
  private final TaskSpans tasks;
  private final GuardSpans guards;
  private final MarkSpans marks;

  /** Per-table caps from racetrace.memory.max: past them state is dropped and counted, never grown. */
  private final StateLimits limits;
  /**
   * Least recently active thread first, so the one dropped at the cap is the quietest: its work is
   * closed as inferred and the drop counted.
   */
  private final BoundedMap<Long, ThreadWork> threads;

  SpanAssembler(Resource resource, InstrumentationScopeInfo scope, Ids ids, Naming naming,
      ThreadDirectory threadNames, Counters counters, Consumer<SpanData> sink, LongSupplier clock) {
    this(resource, scope, ids, naming, threadNames, counters, sink, clock, Collections.emptyList(), 0);
  }

  public SpanAssembler(Resource resource, InstrumentationScopeInfo scope, Ids ids, Naming naming,
      ThreadDirectory threadNames, Counters counters, Consumer<SpanData> sink, LongSupplier clock,
      List<OrderingRule> orderingRules, long ruleSettleNanos) {
    this(resource, scope, ids, naming, threadNames, counters, sink, clock, orderingRules, ruleSettleNanos,
        StateLimits.of(8 << 20));
  }

  SpanAssembler(Resource resource, InstrumentationScopeInfo scope, Ids ids, Naming naming,
      ThreadDirectory threadNames, Counters counters, Consumer<SpanData> sink, LongSupplier clock,
      List<OrderingRule> orderingRules, long ruleSettleNanos, StateLimits limits) {
    this(resource, scope, ids, naming, threadNames, counters, sink, clock, orderingRules, ruleSettleNanos,
        limits, false);
  }

  /**
   * @param checkOnly spans only for the rule check (flight mode on the journal): none is built but
   *     those the rule checker holds ({@link SpanFactory#checkOnly()})
   */
  public SpanAssembler(Resource resource, InstrumentationScopeInfo scope, Ids ids, Naming naming,
      ThreadDirectory threadNames, Counters counters, Consumer<SpanData> sink, LongSupplier clock,
      List<OrderingRule> orderingRules, long ruleSettleNanos, StateLimits limits, boolean checkOnly) {
    this.limits = limits;
    this.threadNames = threadNames;
    this.counters = counters;
    this.clock = clock;
    this.rules = new RuleChecker(orderingRules, sink::accept, clock, ruleSettleNanos, limits.ruleKeys,
        counters.droppedState());
    this.spans = new SpanFactory(resource, scope, ids, naming, threadNames, sink, checkOnly);
    this.work = new WorkStacks(spans, naming, counters, clock, rules);
    this.matcher = new CausalMatcher(limits, counters, clock, rules, work::emitWork);
    this.queues = new QueueSpans(spans, naming, matcher, work, rules);
    this.tasks = new TaskSpans(spans, naming, matcher, work, rules);
    this.guards = new GuardSpans(spans, naming, new GuardAttributes(new LatchState(limits.small)), rules);
    this.marks = new MarkSpans(spans);
    this.threads = BoundedMap.lru(limits.threads, (id, gone) -> {
      counters.droppedState().incrementAndGet();
      guards.threadEnded(gone);
      work.closeInferred(gone, true);
    });
  }

  /** The online rule checker (for its violation count and trigger). */
  RuleChecker rules() {
    return rules;
  }

  /** Consumes one event. Events of one thread must arrive in that thread's order. */
  public void accept(Event e) {
    spans.beginEvent();
    if (e.kind == EventKind.OBJECT_NEW) {
      spans.naming().allocated(e.objId, e.site); // no span and not the thread's work: it only names the object
      return;
    }
    spans.appContext(e.appContext);
    ThreadWork t = thread(e.threadId);
    t.lastEventTime = Math.max(t.lastEventTime, e.time);
    t.lastSeenNanos = clock.getAsLong();
    guards.beforeNextEvent(t, e);
    switch (e.kind) {
      case EventKind.QUEUE_ENQUEUE:
        queues.onEnqueue(t, e);
        break;
      case EventKind.QUEUE_DEQUEUE_BEGIN:
        queues.onDequeueBegin(t, e);
        break;
      case EventKind.QUEUE_DEQUEUE:
        queues.onDequeue(t, e);
        break;
      case EventKind.QUEUE_PEEK:
        queues.onPeek(t, e);
        break;
      case EventKind.QUEUE_DRAIN:
        queues.onDrain(t, e);
        break;
      case EventKind.TASK_SUBMIT:
        tasks.onSubmit(t, e);
        break;
      case EventKind.TASK_START:
        tasks.onStart(t, e);
        break;
      case EventKind.TASK_END:
        tasks.onEnd(t, e);
        break;
      case EventKind.MARK:
        marks.onMark(t, e);
        break;
      case EventKind.DELAY:
        marks.onDelay(t, e);
        break;
      default:
        if (GuardSpans.guardKind(e.kind) != null) {
          guards.onGuard(t, e);
        }
    }
  }

  /** The thread's open work; past the thread cap the least recently active thread's work is closed. */
  private ThreadWork thread(long threadId) {
    ThreadWork t = threads.get(threadId);
    if (t == null) {
      t = new ThreadWork();
      threads.put(threadId, t);
    }
    return t;
  }

  /** Emits parked consumers whose producer never came, and closes work of silent threads. */
  public void expire() {
    long now = clock.getAsLong();
    matcher.expire(now);
    rules.expire();
    for (ThreadWork t : threads.values()) {
      if (!t.stack.isEmpty() && now - t.lastSeenNanos > SILENT_NANOS && !t.top().task) {
        work.closeInferred(t, false);
      }
    }
  }

  /** A thread ended: whatever it had open ends at its last event. */
  public void threadEnded(long threadId) {
    ThreadWork t = threads.remove(threadId);
    if (t != null) {
      guards.threadEnded(t);
      work.closeInferred(t, true);
    }
    threadNames.forget(threadId);
  }

  /** Shutdown: close everything and emit every parked span. */
  public void flushAll() {
    for (ThreadWork t : threads.values()) {
      guards.flush(t);
      work.closeInferred(t, true);
    }
    threads.clear();
    matcher.expire(Long.MAX_VALUE);
    rules.flushAll();
  }

  /** Turns the application's span contexts into links (racetrace.otel.link); null: off. */
  public void linkAppSpans(Function<Object, SpanContext> converter) {
    spans.linkAppSpans(converter);
  }

  /** Dequeues that found nothing (no span exported for them). */
  long emptyPolls() {
    return queues.emptyPolls();
  }

  /** Producers evicted before their consumer was seen. */
  long evictedProducers() {
    return matcher.evictedProducers();
  }
}
