package dev.racetrace.agent.export.assemble;

import static dev.racetrace.agent.export.assemble.Pipeline.attr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.agent.export.rules.RuleChecker;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.Outcome;
import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** racetrace.memory.max bounds the assembler's tables whatever the event stream; drops are counted. */
class StateLimitsTest {
  private static final long BUDGET = 256 << 10;

  @Test
  void theCapsTogetherStayWithinTheBudget() {
    for (long budget : new long[] {BUDGET, 4L << 20, 8L << 20, 64L << 20}) {
      StateLimits l = StateLimits.of(budget);
      long bytes = (l.enqueues + l.submits) * StateLimits.PRODUCER_BYTES
          + (long) (l.parked + l.threads) * StateLimits.WORK_BYTES
          + (long) l.ruleKeys * StateLimits.RULE_KEY_BYTES + (long) l.small * StateLimits.SMALL_ENTRY_BYTES
          + (long) l.eventsPerCycle * StateLimits.EVENT_BYTES
          + (long) l.spanBatch * (1 + StateLimits.IN_FLIGHT) * StateLimits.SPAN_BYTES;
      assertThat(bytes).as("%s", l).isLessThanOrEqualTo(Math.max(budget, 2L << 20));
      assertThat(l.enqueues).isGreaterThanOrEqualTo(64);
    }
    assertThat(StateLimits.of(8L << 20).enqueues).isGreaterThan(StateLimits.of(4L << 20).enqueues);
  }

  @Test
  void producersNeverConsumedAreCappedAndCountedNotGrown() {
    Counters counters = new Counters();
    List<SpanData> spans = new ArrayList<>();
    SpanAssembler a = assembler(counters, spans);
    StateLimits l = StateLimits.of(BUDGET);
    int n = 50_000;
    for (int i = 1; i <= n; i++) { // enqueues whose dequeues were all dropped (rings full)
      a.accept(event(EventKind.QUEUE_ENQUEUE, i, 1, 7, i));
    }
    assertThat(a.evictedProducers()).isEqualTo(n - l.enqueues);
    assertThat(counters.droppedState().get()).isEqualTo(n - l.enqueues);
    assertThat(spans).hasSize(n); // every enqueue still exported
  }

  @Test
  void consumersWhoseProducerNeverCameAndManyThreadsAreCappedAndCounted() {
    Counters counters = new Counters();
    List<SpanData> spans = new ArrayList<>();
    SpanAssembler a = assembler(counters, spans);
    StateLimits l = StateLimits.of(BUDGET);
    int threads = l.threads + 100;
    for (int i = 1; i <= threads; i++) { // each on its own thread, each waiting for a producer
      a.accept(event(EventKind.QUEUE_DEQUEUE, i, 1000 + i, 7, i));
    }
    assertThat(counters.droppedState().get()).as("threads and parked consumers past their caps")
        .isEqualTo((long) (threads - l.threads) + Math.max(0, threads - l.parked));
    a.flushAll();
    assertThat(spans.stream().filter(s -> s.getName().endsWith(" process"))).hasSize(threads);
    assertThat(attr(spans.get(0), SpanSchema.END_INFERRED)).isTrue();
  }

  @Test
  void nestingBeyondTheStackCapEndsTheOutermostWork() {
    Counters counters = new Counters();
    List<SpanData> spans = new ArrayList<>();
    SpanAssembler a = assembler(counters, spans);
    int depth = StateLimits.MAX_STACK + 10;
    for (int i = 1; i <= depth; i++) { // tasks run inside tasks on one thread, none ending
      Event e = event(EventKind.TASK_START, i, 1, 9, 0);
      e.slots(0, 100_000 + i, 0, 0); // CAUSAL_ID
      a.accept(e);
    }
    // each of the 10 outermost works left the stack and, waiting for its submit, the parked table
    assertThat(counters.droppedState().get()).isEqualTo(20);
    assertThat(spans.stream().filter(s -> s.getName().endsWith(" run"))).hasSize(10);
  }

  @Test
  void ruleStateIsCappedInOperationsOverAllKeysNotOnlyInKeys() throws Exception {
    AtomicLong dropped = new AtomicLong();
    List<OrderingRule> rules =
        List.of(OrderingRule.parse("a < b per key"));
    RuleChecker checker = new RuleChecker(rules, s -> { }, () -> 1, 1_000_000L, 64, dropped);
    long seq = 1;
    for (int key = 0; key < 200; key++) {
      for (int i = 0; i < 10; i++) { // ten operations per key: 2,000 in all
        Event e = event(EventKind.QUEUE_DEQUEUE, seq++, 1, 7, 0);
        checker.workOpened(new Work(false, e, "t", null, null, null, "key-" + key, "b", e.seq, 0));
        assertThat(checker.operationsKept()).isLessThanOrEqualTo(64);
      }
    }
    assertThat(dropped.get()).as("keys let go").isGreaterThanOrEqualTo(200 - 64 / 10);
  }

  private static SpanAssembler assembler(Counters counters, List<SpanData> spans) {
    AtomicLong clock = new AtomicLong(1);
    return new SpanAssembler(Resource.getDefault(), InstrumentationScopeInfo.create("test"),
        new Ids("node-test", 60_000), new Naming(OpNames.none()), new ThreadDirectory(), counters,
        spans::add, clock::get, Collections.emptyList(), 1_000_000L, StateLimits.of(BUDGET));
  }

  private static Event event(int kind, long seq, long threadId, int objId, int elemId) {
    Event e = new Event();
    e.kind = kind;
    e.outcome = Outcome.OK;
    e.seq = seq;
    e.time = seq * 10;
    e.threadId = threadId;
    e.objId = objId;
    e.elemId = elemId;
    return e;
  }
}
