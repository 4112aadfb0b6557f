package dev.racetrace.agent.export.assemble;

import static dev.racetrace.agent.export.assemble.Pipeline.attr;
import static dev.racetrace.agent.export.assemble.Pipeline.seq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.hook.ExecutorHooks;
import dev.racetrace.core.hook.GuardHooks;
import dev.racetrace.core.hook.LatchHooks;
import dev.racetrace.core.hook.LockHooks;
import dev.racetrace.core.hook.QueueHooks;
import dev.racetrace.core.site.CallSites;
import dev.racetrace.core.task.TaskRuns;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class SpanAssemblerTest {
  private static final int PUT = CallSites.register("com.acme.Producer", "send", 10, "BlockingQueue.put", "Node.workQueue");
  private static final int TAKE = CallSites.register("com.acme.Consumer", "loop", 20, "BlockingQueue.take", "Node.workQueue");
  private static final int POLL = CallSites.register("com.acme.Consumer", "poll", 21, "Queue.poll", "Node.workQueue");
  private static final int SUBMIT = CallSites.register("com.acme.Consumer", "loop", 22, "ExecutorService.submit", "Node.workers");
  private static final int AWAIT = CallSites.register("com.acme.Task", "run", 30, "CountDownLatch.await", "Node.startupLatch");
  private static final int COUNT_DOWN = CallSites.register("com.acme.Boot", "run", 40, "CountDownLatch.countDown", "Node.startupLatch");
  private static final int LOCK = CallSites.register("com.acme.Cache", "awaitWarm", 50, "Lock.lock", "Cache.lock");
  private static final int AWAIT_NANOS = CallSites.register("com.acme.Cache", "awaitWarm", 52, "Condition.awaitNanos", "Cache.warmed");
  private static final int UNLOCK = CallSites.register("com.acme.Cache", "awaitWarm", 55, "Lock.unlock", "Cache.lock");
  private static final int CHECK = CallSites.register("com.acme.Cache", "awaitWarm", 55, "Condition.check", "Cache.warmed");
  private static final int MADE = CallSites.register("com.acme.Registry", "latchFor", 60, "CountDownLatch.new",
      "CountDownLatch@Registry.latchFor:60");
  private static final int AWAIT_PARAMETER = CallSites.register("com.acme.Registry", "waitFor", 61,
      "CountDownLatch.await", null);
  private static final int COUNT_DOWN_LOCAL = CallSites.register("com.acme.Registry", "open", 62,
      "CountDownLatch.countDown", "Registry.open:l");
  private static final int AWAIT_FIELD = CallSites.register("com.acme.Registry", "awaitAll", 63,
      "CountDownLatch.await", "Registry.all");
  private static final int MONITOR_WAIT = CallSites.register("com.acme.Cache", "awaitWarm", 70, "Object.wait",
      "Cache.monitor");
  private static final int MONITOR_CHECK = CallSites.register("com.acme.Cache", "awaitWarm", 72, "Object.check",
      "Cache.monitor");

  @Test
  void enqueueAndDequeueOfOneElementAreLinkedWithOneCausalId() throws Exception {
    Pipeline p = new Pipeline();
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    Object element = new Object();
    QueueHooks.put(q, element, PUT);
    Object taken = QueueHooks.take(q, TAKE);
    QueueHooks.poll(q, POLL); // empty poll on the same thread ends the processing of `taken`
    List<SpanData> spans = p.step();

    assertThat(taken).isSameAs(element);
    SpanData enqueue = p.named("Node.workQueue enqueue").get(0);
    SpanData process = p.named("Node.workQueue process").get(0);
    assertThat(enqueue.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(seq(enqueue)).isLessThan(seq(process));
    assertThat(attr(process, SpanSchema.CAUSAL_ID)).isEqualTo(seq(enqueue));
    assertThat(attr(enqueue, SpanSchema.CAUSAL_ID)).isEqualTo(seq(enqueue));
    assertThat(process.getLinks()).hasSize(1);
    assertThat(process.getLinks().get(0).getSpanContext()).isEqualTo(enqueue.getSpanContext());
    assertThat(process.getParentSpanContext()).isEqualTo(enqueue.getSpanContext());
    assertThat(attr(process, SpanSchema.QUEUE_WAIT_NS)).isGreaterThanOrEqualTo(0L);
    assertThat(attr(process, SpanSchema.END_SEQ)).isGreaterThan(seq(process));
    assertThat(attr(enqueue, SpanSchema.CODE_LINENO)).isEqualTo(10L);
    assertThat(attr(enqueue, SpanSchema.CODE_NAMESPACE)).isEqualTo("com.acme.Producer");
    assertThat(attr(enqueue, SpanSchema.QUEUE_DEPTH)).isEqualTo(1L);
    assertThat(attr(process, SpanSchema.THREAD_NAME)).isEqualTo(Thread.currentThread().getName());
    assertThat(spans).noneMatch(s -> s.getName().endsWith(" poll")); // an immediate empty poll is not a span
  }

  @Test
  void theSameElementEnqueuedTwiceMatchesInOrder() throws Exception {
    Pipeline p = new Pipeline();
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    Object element = "same";
    QueueHooks.put(q, element, PUT);
    QueueHooks.put(q, element, PUT);
    QueueHooks.take(q, TAKE);
    QueueHooks.take(q, TAKE);
    p.finish();

    List<SpanData> enqueues = p.withEvent("queue.enqueue");
    List<SpanData> processes = p.withEvent("queue.dequeue");
    assertThat(processes).hasSize(2);
    assertThat(attr(processes.get(0), SpanSchema.CAUSAL_ID)).isEqualTo(seq(enqueues.get(0)));
    assertThat(attr(processes.get(1), SpanSchema.CAUSAL_ID)).isEqualTo(seq(enqueues.get(1)));
  }

  @Test
  void aDequeueSeenBeforeItsEnqueueIsMatchedWhenTheEnqueueArrives() throws Exception {
    Pipeline p = new Pipeline();
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    Object element = new Object();
    // The producer takes its seq, then is slow to publish its record: simulate by enqueueing
    // from another thread that records only after the consumer's record was drained.
    q.add(element); // not recorded
    Object got = QueueHooks.take(q, TAKE);
    p.step();
    assertThat(p.named("Node.workQueue process")).isEmpty(); // parked, waiting for its producer

    // now a recorded enqueue of the same element with a smaller seq cannot exist any more, so
    // after the park time the process span is exported unmatched
    p.advanceClockNanos(SpanAssembler.PARK_NANOS + 1);
    QueueHooks.poll(q, POLL);
    p.step();
    assertThat(got).isSameAs(element);
    SpanData process = p.named("Node.workQueue process").get(0);
    assertThat(process.getLinks()).isEmpty();
    assertThat(p.counters.unmatchedDequeues().get()).isEqualTo(1);
  }

  @Test
  void taskRunIsLinkedToItsSubmitAndInheritsTheWorkItWasSubmittedFrom() throws Exception {
    Pipeline p = new Pipeline();
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    // the worker runs the application's own task object through the run hook, as the
    // instrumented JDK worker or an enabled class's own executor does
    Thread[] worker = new Thread[1];
    Executor pool = command -> {
      worker[0] = new Thread(() -> TaskRuns.run(command), "worker-1");
      worker[0].start();
    };
    QueueHooks.put(q, "job", PUT);
    QueueHooks.take(q, TAKE);
    ExecutorHooks.execute(pool, () -> { }, SUBMIT);
    worker[0].join(5_000);
    QueueHooks.poll(q, POLL);
    p.finish();

    SpanData process = p.named("Node.workQueue process").get(0);
    SpanData submit = p.named("Node.workers submit").get(0);
    SpanData run = p.named("Node.workers run").get(0);
    assertThat(attr(submit, SpanSchema.TASK_WRAPPED)).isTrue();
    assertThat(submit.getParentSpanContext()).isEqualTo(process.getSpanContext());
    assertThat(attr(submit, SpanSchema.PARENT_CAUSAL_ID)).isEqualTo(attr(process, SpanSchema.CAUSAL_ID));
    assertThat(attr(run, SpanSchema.CAUSAL_ID)).isEqualTo(seq(submit));
    assertThat(attr(run, SpanSchema.PARENT_CAUSAL_ID)).isEqualTo(attr(process, SpanSchema.CAUSAL_ID));
    assertThat(run.getLinks().get(0).getSpanContext()).isEqualTo(submit.getSpanContext());
    assertThat(attr(run, SpanSchema.QUEUE_WAIT_NS)).isGreaterThanOrEqualTo(0L);
    assertThat(attr(run, SpanSchema.END_SEQ)).isGreaterThan(seq(run));
    assertThat(attr(run, SpanSchema.THREAD_NAME)).isEqualTo("worker-1");
    assertThat(run.getTraceId()).isEqualTo(process.getTraceId());
  }

  @Test
  void latchAwaitInsideWorkIsItsChildAndSaysWhetherItWasTrivial() throws Exception {
    Pipeline p = new Pipeline();
    CountDownLatch latch = new CountDownLatch(1);
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    LatchHooks.countDown(latch, COUNT_DOWN);
    QueueHooks.put(q, "op", PUT);
    QueueHooks.take(q, TAKE);
    LatchHooks.await(latch, AWAIT);
    p.finish();

    SpanData process = p.named("Node.workQueue process").get(0);
    SpanData await = p.named("guard.await Node.startupLatch").get(0);
    SpanData signal = p.named("guard.signal Node.startupLatch").get(0);
    assertThat(await.getParentSpanContext()).isEqualTo(process.getSpanContext());
    assertThat(attr(await, SpanSchema.GUARD_TRIVIAL)).isTrue();
    assertThat(attr(await, SpanSchema.GUARD_COUNT_BEFORE)).isZero();
    assertThat(attr(await, SpanSchema.GUARD_OPEN_FOR_NS)).isGreaterThanOrEqualTo(0L);
    assertThat(attr(await, SpanSchema.CAUSAL_ID)).isEqualTo(attr(process, SpanSchema.CAUSAL_ID));
    assertThat(attr(signal, SpanSchema.GUARD_COUNT_BEFORE)).isEqualTo(1L);
    assertThat(attr(signal, SpanSchema.GUARD_COUNT_AFTER)).isZero();
    assertThat(attr(process, SpanSchema.END_INFERRED)).isTrue(); // no later dequeue ended it
  }

  @Test
  void theUnlockEndingAConditionLoopRecordsItsPredicateCheckUnderTheLock() throws Exception {
    Pipeline p = new Pipeline();
    ReentrantLock lock = new ReentrantLock();
    Condition warmed = lock.newCondition();
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    QueueHooks.put(q, "op", PUT);
    QueueHooks.take(q, TAKE);
    LockHooks.lock(lock, LOCK);
    long left = LockHooks.awaitNanos(warmed, 1_000, AWAIT_NANOS); // nobody signals: times out
    LockHooks.unlockAfterTimedWait(lock, UNLOCK, CHECK);
    p.finish();

    assertThat(left).isLessThanOrEqualTo(0L);
    assertThat(lock.isHeldByCurrentThread()).isFalse();
    SpanData process = p.named("Node.workQueue process").get(0);
    SpanData await = p.named("guard.await Cache.warmed").get(0);
    SpanData check = p.named("guard.check Cache.warmed").get(0);
    SpanData release = p.named("guard.signal Cache.lock").get(0);
    assertThat(attr(check, SpanSchema.EVENT)).isEqualTo("condition.check");
    assertThat(attr(check, SpanSchema.GUARD_TIMED_LOOP)).isTrue();
    assertThat(attr(check, SpanSchema.GUARD_TIMED_OUT)).as("the loop ended on an expired wait").isTrue();
    assertThat(check.getParentSpanContext()).isEqualTo(process.getSpanContext());
    assertThat(seq(await)).isLessThan(seq(check));
    assertThat(seq(check)).as("checked while the lock was held").isLessThan(seq(release));
    assertThat(attr(check, SpanSchema.GUARD_OBJECT_ID)).as("the site names it; no object").isNull();
    assertThat(attr(await, SpanSchema.GUARD_OBJECT_ID))
        .isEqualTo(Integer.toHexString(System.identityHashCode(warmed)));
    assertThat(attr(release, SpanSchema.GUARD_OBJECT_ID))
        .isEqualTo(Integer.toHexString(System.identityHashCode(lock)));
  }

  @Test
  void aCheckedUnlockOfALockNotHeldThrowsAsTheOriginalAndRecordsNoCheck() throws Exception {
    Pipeline p = new Pipeline();
    ReentrantLock lock = new ReentrantLock();
    Throwable thrown = null;
    try {
      LockHooks.unlockAfterWait(lock, UNLOCK, CHECK);
    } catch (IllegalMonitorStateException e) {
      thrown = e;
    }
    p.finish();

    assertThat(thrown).isInstanceOf(IllegalMonitorStateException.class);
    assertThat(p.named("guard.check Cache.warmed")).isEmpty();
    assertThat(p.named("guard.signal Cache.lock")).singleElement()
        .satisfies(s -> assertThat(attr(s, SpanSchema.OUTCOME)).isEqualTo("exception"));
  }

  @Test
  void queueDepthIsOmittedWhereItIsNotFreeToRead() throws Exception {
    Pipeline p = new Pipeline();
    Queue<Object> q = new java.util.concurrent.ConcurrentLinkedQueue<>();
    QueueHooks.offer(q, "x", PUT);
    p.step();
    SpanData enqueue = p.named("Node.workQueue enqueue").get(0);
    assertThat(attr(enqueue, SpanSchema.QUEUE_DEPTH)).isNull();
  }

  @Test
  void aGuardReachedThroughAParameterIsNamedByItsAllocationSiteAtEverySite() throws Exception {
    Pipeline p = new Pipeline();
    CountDownLatch made = new CountDownLatch(1);
    GuardHooks.allocated(made, MADE);
    LatchHooks.countDown(made, COUNT_DOWN_LOCAL); // a local's name does not replace it
    LatchHooks.await(made, AWAIT_PARAMETER); // nor does a site that cannot name it
    LatchHooks.await(made, AWAIT_FIELD); // nor a field it was later read from
    CountDownLatch notRemembered = new CountDownLatch(0); // made outside the enabled packages
    LatchHooks.await(notRemembered, AWAIT_PARAMETER);
    p.finish();

    assertThat(p.named("guard.signal CountDownLatch@Registry.latchFor:60")).hasSize(1);
    assertThat(p.named("guard.await CountDownLatch@Registry.latchFor:60")).hasSize(2)
        .allSatisfy(s -> assertThat(attr(s, SpanSchema.GUARD_OBJECT_ID))
            .isEqualTo(Integer.toHexString(System.identityHashCode(made))));
    assertThat(p.named("guard.await CountDownLatch@" + Integer.toHexString(System.identityHashCode(notRemembered))))
        .as("the identity-hash fallback").hasSize(1);
    assertThat(p.withEvent("object.new")).as("no span of its own").isEmpty();
  }

  @Test
  void theMonitorExitEndingAWaitLoopRecordsItsPredicateCheckUnderTheMonitor() throws Exception {
    Pipeline p = new Pipeline();
    Object monitor = new Object();
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    QueueHooks.put(q, "op", PUT);
    QueueHooks.take(q, TAKE);
    synchronized (monitor) {
      LockHooks.wait(monitor, 1L, MONITOR_WAIT); // nobody notifies: a full-length wait
      LockHooks.monitorTimedCheck(monitor, MONITOR_CHECK); // right before the monitorexit
    }
    p.finish();

    SpanData process = p.named("Node.workQueue process").get(0);
    SpanData await = p.named("guard.await Cache.monitor").get(0);
    SpanData check = p.named("guard.check Cache.monitor").get(0);
    assertThat(attr(check, SpanSchema.EVENT)).isEqualTo("condition.check");
    assertThat(attr(check, SpanSchema.GUARD_KIND)).isEqualTo("monitor");
    assertThat(attr(check, SpanSchema.GUARD_TIMED_LOOP)).isTrue();
    assertThat(attr(check, SpanSchema.GUARD_TIMED_OUT)).as("the loop ended on an expired wait").isTrue();
    assertThat(check.getParentSpanContext()).isEqualTo(process.getSpanContext());
    assertThat(seq(await)).isLessThan(seq(check));
    assertThat(attr(check, SpanSchema.GUARD_OBJECT_ID)).as("the monitor's identity, as on its waits")
        .isNotNull().isEqualTo(attr(await, SpanSchema.GUARD_OBJECT_ID));
  }
}
