package dev.racetrace.agent.export.assemble;

import static dev.racetrace.agent.export.assemble.Pipeline.attr;
import static dev.racetrace.agent.export.assemble.Pipeline.seq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.config.ConfigException;
import dev.racetrace.agent.config.MemberRef;
import dev.racetrace.agent.fixtures.FixtureOps;
import dev.racetrace.agent.fixtures.Fixtures;
import dev.racetrace.core.Keys;
import dev.racetrace.core.hook.GuardHooks;
import dev.racetrace.core.hook.LatchHooks;
import dev.racetrace.core.hook.LockHooks;
import dev.racetrace.core.hook.QueueHooks;
import dev.racetrace.core.site.CallSites;
import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Guards, keys, ops, state and rules as they appear in spans. */
class GuardSpansTest {
  private static final int PUT = CallSites.register("com.acme.Feed", "send", 10, "BlockingQueue.put", "Node.workQueue");
  private static final int TAKE = CallSites.register("com.acme.Worker", "loop", 20, "BlockingQueue.take", "Node.workQueue");
  private static final int FLAG = CallSites.register("com.acme.Worker", "loop", 21, "flag.read", "Node.ready");
  private static final int GATE = CallSites.register("com.acme.Gate", "canProcess", -1, "guard.method", "Gate.canProcess");
  private static final int TIMED = CallSites.register("com.acme.Worker", "loop", 22, "CountDownLatch.await", "Node.metadataArrived");
  private static final int SIGNAL = CallSites.register("com.acme.Worker", "load", 30, "CountDownLatch.countDown", "Node.keyGate");
  private static final int AWAIT = CallSites.register("com.acme.Worker", "derive", 31, "CountDownLatch.await", "Node.keyGate");
  private static final int LOCK = CallSites.register("com.acme.Worker", "derive", 32, "Lock.lock", "Node.lock");
  private static final int UNLOCK = CallSites.register("com.acme.Worker", "load", 33, "Lock.unlock", "Node.lock");
  private static final int CHECKED_UNLOCK = CallSites.register("com.acme.Worker", "derive", 34, "Lock.unlock", "Node.lock");
  private static final int CHECK = CallSites.register("com.acme.Worker", "derive", 34, "Condition.check", "Node.loaded");

  private static final OpNames OPS = FixtureOps.opNames();
  private static AtomicLong entities;

  @BeforeAll
  static void keysAndState() {
    entities = FixtureOps.installKeysAndEntityCount();
  }

  private static List<OrderingRule> rule(String text) throws ConfigException {
    return List.of(OrderingRule.parse(text));
  }

  @Test
  void queueSpansCarryTheElementsKeyAndConfiguredOpName() throws Exception {
    Pipeline p = new Pipeline(OPS);
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    QueueHooks.put(q, new Fixtures.LoadMetadata("order-17"), PUT);
    QueueHooks.take(q, TAKE);
    p.finish();
    SpanData enqueue = p.withEvent("queue.enqueue").get(0);
    SpanData process = p.named("Node.workQueue process").get(0);
    assertThat(attr(enqueue, SpanSchema.KEY)).isEqualTo("order-17");
    assertThat(attr(enqueue, SpanSchema.OP)).isEqualTo("load-metadata");
    assertThat(attr(process, SpanSchema.KEY)).isEqualTo("order-17");
    assertThat(attr(process, SpanSchema.OP)).isEqualTo("load-metadata");
    assertThat(process.getTraceId()).as("one key, one trace").isEqualTo(enqueue.getTraceId());
  }

  @Test
  void aPrivateKeyFieldIsReadAndUnconfiguredClassesKeepTheirSimpleName() throws Exception {
    Pipeline p = new Pipeline(OPS);
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    QueueHooks.put(q, new Fixtures.Task("tenant-3"), PUT);
    p.step();
    SpanData enqueue = p.withEvent("queue.enqueue").get(0);
    assertThat(attr(enqueue, SpanSchema.KEY)).isEqualTo("tenant-3");
    assertThat(attr(enqueue, SpanSchema.OP)).isEqualTo("Task");
  }

  @Test
  void aThrowingKeyExtractorIsDisabledAndTheCallStillWorks() throws Exception {
    Keys.install(FixtureOps.keys(FixtureOps.TASK_ENTITY_ID, new MemberRef(Fixtures.Broken.class.getName(), "key")));
    Pipeline p = new Pipeline(OPS);
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    Fixtures.Broken broken = new Fixtures.Broken();
    QueueHooks.put(q, broken, PUT);
    assertThat(QueueHooks.take(q, TAKE)).isSameAs(broken);
    p.finish();
    assertThat(attr(p.withEvent("queue.enqueue").get(0), SpanSchema.KEY)).isNull();
  }

  @Test
  void aReadinessFlagReadInsideWorkRecordsTheValueTheKeyAndTheStateSeen() throws Exception {
    Pipeline p = new Pipeline(OPS);
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    QueueHooks.put(q, new Fixtures.Derive("order-9"), PUT);
    entities.set(0);
    QueueHooks.take(q, TAKE);
    boolean seen = GuardHooks.flagRead(true, FLAG);
    p.finish();
    assertThat(seen).isTrue();
    SpanData flag = p.named("guard.check Node.ready").get(0);
    SpanData process = p.named("Node.workQueue process").get(0);
    assertThat(attr(flag, SpanSchema.GUARD_KIND)).isEqualTo("flag");
    assertThat(attr(flag, SpanSchema.GUARD_VALUE_SEEN)).isEqualTo("true");
    assertThat(attr(flag, SpanSchema.KEY)).isEqualTo("order-9");
    assertThat(attr(flag, AttributeKey.longKey("race.state.metadata.entities"))).isZero();
    assertThat(flag.getParentSpanContext()).isEqualTo(process.getSpanContext());
    assertThat(attr(process, AttributeKey.longKey("race.state.metadata.entities"))).isZero();
  }

  @Test
  void aGuardMethodRecordsItsDecisionTheArgumentsKeyAndItsDuration() throws Exception {
    Pipeline p = new Pipeline(OPS);
    long start = System.nanoTime();
    GuardHooks.guardMethodExit(new Object[] {"order-5"}, Boolean.FALSE, start, GATE, null);
    p.finish();
    SpanData gate = p.named("guard.check Gate.canProcess").get(0);
    assertThat(attr(gate, SpanSchema.GUARD_KIND)).isEqualTo("method");
    assertThat(attr(gate, SpanSchema.GUARD_VALUE_SEEN)).isEqualTo("false");
    assertThat(attr(gate, SpanSchema.KEY)).isEqualTo("order-5");
    assertThat(gate.getEndEpochNanos()).isGreaterThanOrEqualTo(gate.getStartEpochNanos());
  }

  @Test
  void aTimedWaitThatExpiredAndTheCodeWentOnIsFlagged() throws Exception {
    Pipeline p = new Pipeline(OPS);
    CountDownLatch never = new CountDownLatch(1);
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    assertThat(LatchHooks.await(never, 1, TimeUnit.MILLISECONDS, TIMED)).isFalse();
    QueueHooks.offer(q, "next", PUT); // the thread went on
    p.step();
    SpanData wait = p.named("guard.await Node.metadataArrived").get(0);
    assertThat(attr(wait, SpanSchema.GUARD_TIMED_OUT)).isTrue();
    assertThat(attr(wait, SpanSchema.GUARD_WENT_ON)).isTrue();
    assertThat(attr(wait, SpanSchema.TIMEOUT_NS)).isEqualTo(1_000_000L);
  }

  @Test
  void aTimedWaitRetriedOnTheSameGuardIsNotFlaggedAsGoingOn() throws Exception {
    Pipeline p = new Pipeline(OPS);
    CountDownLatch latch = new CountDownLatch(1);
    assertThat(LatchHooks.await(latch, 1, TimeUnit.MILLISECONDS, TIMED)).isFalse();
    latch.countDown();
    assertThat(LatchHooks.await(latch, 1, TimeUnit.MILLISECONDS, TIMED)).isTrue();
    p.finish();
    List<SpanData> waits = p.withEvent("latch.await");
    assertThat(attr(waits.get(0), SpanSchema.GUARD_WENT_ON)).isFalse();
    assertThat(attr(waits.get(1), SpanSchema.GUARD_TIMED_OUT)).isFalse();
  }

  @Test
  void aRuleViolationIsReportedOnTheLateOperationWithTheKeyAndSeqs() throws Exception {
    Pipeline p = new Pipeline(OPS, rule("load-metadata < derive per key"));
    BlockingQueue<Object> loads = new LinkedBlockingQueue<>();
    BlockingQueue<Object> derives = new LinkedBlockingQueue<>();
    // load-metadata for order-1 is enqueued first, but derive for order-1 is dequeued and passes
    // the ready flag while the load still waits in its queue; order-2 runs in rule order.
    QueueHooks.put(loads, new Fixtures.LoadMetadata("order-1"), PUT);
    QueueHooks.put(derives, new Fixtures.Derive("order-1"), PUT);
    QueueHooks.put(loads, new Fixtures.LoadMetadata("order-2"), PUT);
    QueueHooks.put(derives, new Fixtures.Derive("order-2"), PUT);
    for (BlockingQueue<Object> q : List.of(derives, loads, loads, derives)) {
      QueueHooks.take(q, TAKE);
      GuardHooks.flagRead(true, FLAG);
    }
    p.finish();
    p.settle();

    List<SpanData> violated = p.spans.stream()
        .filter(s -> Boolean.TRUE.equals(attr(s, SpanSchema.RULE_VIOLATED))).collect(java.util.stream.Collectors.toList());
    assertThat(violated).hasSize(1);
    SpanData late = violated.get(0);
    assertThat(attr(late, SpanSchema.KEY)).isEqualTo("order-1");
    assertThat(attr(late, SpanSchema.OP)).isEqualTo("derive");
    EventData event = late.getEvents().get(0);
    assertThat(event.getName()).isEqualTo("race.rule.violation");
    SpanData flag = p.spans.stream().filter(s -> s.getName().equals("guard.check Node.ready")
        && late.getSpanContext().equals(s.getParentSpanContext())).findFirst().orElseThrow();
    assertThat(event.getAttributes().get(SpanSchema.RULE_PROCEED_SEQ)).isEqualTo(seq(flag));
    assertThat(event.getAttributes().get(SpanSchema.RULE)).isEqualTo("load-metadata < derive per key");
    SpanData lateLoad = p.spans.stream().filter(s -> "load-metadata".equals(attr(s, SpanSchema.OP))
        && "order-1".equals(attr(s, SpanSchema.KEY)) && "queue.enqueue".equals(attr(s, SpanSchema.EVENT)))
        .findFirst().orElseThrow();
    assertThat(event.getAttributes().get(SpanSchema.RULE_PREDECESSOR_ENQUEUE_SEQ)).isEqualTo(seq(lateLoad));
    assertThat(event.getAttributes().get(SpanSchema.RULE_GUARDS)).isEqualTo("flag Node.ready saw true");
    assertThat(p.spans).filteredOn(s -> "order-2".equals(attr(s, SpanSchema.KEY)))
        .noneMatch(s -> Boolean.TRUE.equals(attr(s, SpanSchema.RULE_VIOLATED)));
  }

  @Test
  void aWaitOnAGuardTheEarlierOperationOpenedOrdersThemEvenBeforeItEnds() throws Exception {
    Pipeline p = new Pipeline(OPS, rule("load-metadata < derive per key"));
    BlockingQueue<Object> loads = new LinkedBlockingQueue<>();
    BlockingQueue<Object> derives = new LinkedBlockingQueue<>();
    CountDownLatch gate = new CountDownLatch(1);
    QueueHooks.put(loads, new Fixtures.LoadMetadata("order-3"), PUT);
    QueueHooks.put(derives, new Fixtures.Derive("order-3"), PUT);
    QueueHooks.take(loads, TAKE);          // load-metadata starts on this thread ...
    LatchHooks.countDown(gate, SIGNAL);    // ... and opens the per-key gate
    Thread other = new Thread(() -> {
      try {
        QueueHooks.take(derives, TAKE);    // derive, on another thread, waits for the gate
        LatchHooks.await(gate, AWAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    other.start();
    other.join();                          // derive proceeded while load-metadata still runs
    QueueHooks.poll(loads, TAKE);          // load-metadata ends only now
    p.finish();
    p.settle();
    assertThat(p.named("Node.workQueue process")).hasSize(2);
    assertThat(p.spans).noneMatch(s -> Boolean.TRUE.equals(attr(s, SpanSchema.RULE_VIOLATED)));
  }

  /**
   * derive checks its predicate under the lock load-metadata released (no wait needed), while
   * load-metadata still runs: in order through unlock -> lock, even before load-metadata ends.
   */
  @Test
  void aConditionCheckUnderTheLockTheEarlierOperationReleasedOrdersThem() throws Exception {
    Pipeline p = new Pipeline(OPS, rule("load-metadata < derive per key"));
    BlockingQueue<Object> loads = new LinkedBlockingQueue<>();
    BlockingQueue<Object> derives = new LinkedBlockingQueue<>();
    ReentrantLock lock = new ReentrantLock();
    QueueHooks.put(loads, new Fixtures.LoadMetadata("order-5"), PUT);
    QueueHooks.put(derives, new Fixtures.Derive("order-5"), PUT);
    QueueHooks.take(loads, TAKE);          // load-metadata starts on this thread ...
    LockHooks.lock(lock, LOCK);
    LockHooks.unlock(lock, UNLOCK);        // ... and publishes under the lock
    Thread other = new Thread(() -> {
      try {
        QueueHooks.take(derives, TAKE);    // derive, on another thread, checks under the lock
        LockHooks.lock(lock, LOCK);
        LockHooks.unlockAfterTimedWait(lock, CHECKED_UNLOCK, CHECK);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    other.start();
    other.join();
    QueueHooks.poll(loads, TAKE);          // load-metadata ends only now
    p.finish();
    p.settle();
    assertThat(p.named("guard.check Node.loaded")).singleElement().satisfies(c -> {
      assertThat(attr(c, SpanSchema.EVENT)).isEqualTo("condition.check");
      assertThat(attr(c, SpanSchema.GUARD_TIMED_OUT)).as("no wait was needed").isFalse();
    });
    assertThat(p.spans).noneMatch(s -> Boolean.TRUE.equals(attr(s, SpanSchema.RULE_VIOLATED)));
  }

  @Test
  void withoutTheGuardTheSameInterleavingIsAViolation() throws Exception {
    Pipeline p = new Pipeline(OPS, rule("load-metadata < derive per key"));
    BlockingQueue<Object> loads = new LinkedBlockingQueue<>();
    BlockingQueue<Object> derives = new LinkedBlockingQueue<>();
    QueueHooks.put(loads, new Fixtures.LoadMetadata("order-4"), PUT);
    QueueHooks.put(derives, new Fixtures.Derive("order-4"), PUT);
    QueueHooks.take(loads, TAKE);
    Thread other = new Thread(() -> {
      try {
        QueueHooks.take(derives, TAKE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    other.start();
    other.join();
    QueueHooks.poll(loads, TAKE);
    p.finish();
    p.settle();
    assertThat(p.spans).filteredOn(s -> Boolean.TRUE.equals(attr(s, SpanSchema.RULE_VIOLATED)))
        .singleElement().satisfies(s -> assertThat(attr(s, SpanSchema.OP)).isEqualTo("derive"));
  }

  @Test
  void aPredecessorInitiatedAfterTheOperationDoesNotCount() throws Exception {
    // As in the analyzer: derive enqueued (initiated) before load-metadata on the same key is
    // not a rule break on this node (the key's data may come from elsewhere and be updated
    // later); a node that differs from the others is found by comparing nodes.
    Pipeline p = new Pipeline(OPS, rule("load-metadata < derive per key"));
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    QueueHooks.put(q, new Fixtures.Derive("order-5"), PUT);
    QueueHooks.put(q, new Fixtures.LoadMetadata("order-5"), PUT);
    for (int i = 0; i < 2; i++) {
      QueueHooks.take(q, TAKE);
      GuardHooks.flagRead(true, FLAG);
    }
    QueueHooks.poll(q, TAKE);
    p.finish();
    p.settle();
    assertThat(p.named("Node.workQueue process")).hasSize(2);
    assertThat(p.spans).noneMatch(s -> Boolean.TRUE.equals(attr(s, SpanSchema.RULE_VIOLATED)));
  }

  @Test
  void everyEarlierStepIsCheckedNotOnlyTheNeighbour() throws Exception {
    // a < b < c: c proceeds after b ended but while a, initiated before c, still waits.
    Pipeline p = new Pipeline(OPS, rule("load-metadata < other < derive per key"));
    BlockingQueue<Object> loads = new LinkedBlockingQueue<>();
    BlockingQueue<Object> derives = new LinkedBlockingQueue<>();
    QueueHooks.put(loads, new Fixtures.LoadMetadata("order-6"), PUT);
    QueueHooks.put(derives, new Fixtures.Derive("order-6"), PUT);
    QueueHooks.take(derives, TAKE);
    GuardHooks.flagRead(true, FLAG);
    QueueHooks.take(loads, TAKE);
    QueueHooks.poll(loads, TAKE);
    p.finish();
    p.settle();
    assertThat(p.spans).filteredOn(s -> Boolean.TRUE.equals(attr(s, SpanSchema.RULE_VIOLATED)))
        .singleElement().satisfies(s -> assertThat(s.getEvents().get(0).getAttributes()
            .get(SpanSchema.RULE_EXPECTED_BEFORE)).isEqualTo("load-metadata"));
  }

  @Test
  void noViolationWhenTheOrderHolds() throws Exception {
    Pipeline p = new Pipeline(OPS, rule("load-metadata < derive per key"));
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    for (int k = 0; k < 20; k++) {
      QueueHooks.put(q, new Fixtures.LoadMetadata("order-" + k), PUT);
      QueueHooks.put(q, new Fixtures.Derive("order-" + k), PUT);
    }
    for (int i = 0; i < 40; i++) {
      QueueHooks.take(q, TAKE);
      GuardHooks.flagRead(true, FLAG);
    }
    QueueHooks.poll(q, TAKE);
    p.step();
    p.settle();
    assertThat(p.named("Node.workQueue process")).hasSize(40);
    assertThat(p.spans).noneMatch(s -> Boolean.TRUE.equals(attr(s, SpanSchema.RULE_VIOLATED)));
  }
}
