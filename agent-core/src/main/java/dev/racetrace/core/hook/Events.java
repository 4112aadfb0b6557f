package dev.racetrace.core.hook;

import static dev.racetrace.core.EventKind.BARRIER_AWAIT;
import static dev.racetrace.core.EventKind.CONDITION_AWAIT;
import static dev.racetrace.core.EventKind.CONDITION_CHECK;
import static dev.racetrace.core.EventKind.CONDITION_SIGNAL;
import static dev.racetrace.core.EventKind.DELAY;
import static dev.racetrace.core.EventKind.FLAG_READ;
import static dev.racetrace.core.EventKind.FUTURE_GET;
import static dev.racetrace.core.EventKind.GUARD_METHOD;
import static dev.racetrace.core.EventKind.LATCH_AWAIT;
import static dev.racetrace.core.EventKind.LATCH_COUNT_DOWN;
import static dev.racetrace.core.EventKind.LATCH_GET_COUNT;
import static dev.racetrace.core.EventKind.LOCK_ACQUIRE;
import static dev.racetrace.core.EventKind.LOCK_RELEASE;
import static dev.racetrace.core.EventKind.MARK;
import static dev.racetrace.core.EventKind.MONITOR_NOTIFY;
import static dev.racetrace.core.EventKind.MONITOR_WAIT;
import static dev.racetrace.core.EventKind.OBJECT_NEW;
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

import dev.racetrace.core.Clock;
import dev.racetrace.core.Keys;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.ThreadState;

/**
 * The writer side of the record contract: one method per event kind, named after it, whose
 * parameters name what goes into the record's slots {@code a}, {@code b}, {@code c} and
 * {@code small}. Which field each slot holds for a kind is schema's {@code EventType} table (the
 * reader side reads it by name); {@code EventWritersTest} writes through every method here and
 * reads the record back by field name, so a writer and the table cannot drift apart. This is the
 * one place that calls {@link Recorder}'s positional {@code record}: call-site hooks, type advice,
 * task runs, delays and the marking API all write through it.
 *
 * <p>Every method takes the calling thread's state ({@code ts}, never null) and writes at most one
 * event (a dequeue's or a check's state probe values go behind it); none allocates. A wait's
 * writer is called when the wait returned, with the {@code System.nanoTime()} taken on entry: it
 * takes the seq and the time of the return itself. Other writers take the seq and time the hook
 * took around the application's call (a publishing call's seq before it, see
 * {@link Recorder#publishingSeq(ThreadState)}).
 *
 * <p>Values a kind does not carry are written as its readers' "absent" values, as before this class
 * existed, so records stay byte-identical.
 */
public final class Events {
  private Events() {}

  // ---------------------------------------------------------------- queues

  /**
   * An enqueue returned or threw: ends the publishing mark of {@code seq}, then records the queue's
   * depth after the call, the time blocked and the timeout. The element's key and class are taken
   * after the call, by reference.
   */
  public static void queueEnqueue(ThreadState ts, int site, Object queue, Object element, long seq, long time,
      long blockedNs, long timeoutNs, int outcome) {
    Recorder.publishingReturned(ts, seq); // before the queue's size and the key are read
    Recorder.record(ts, QUEUE_ENQUEUE, outcome, 0, site, queue, element, Depth.of(queue), blockedNs, timeoutNs,
        seq, time, Keys.of(element), element == null ? null : element.getClass());
  }

  /**
   * The entry of a blocking dequeue ({@code take}, timed {@code poll}): its seq orders the wait
   * before whatever the thread does with the element. @return the entry {@code System.nanoTime()}
   */
  public static long queueDequeueBegin(ThreadState ts, int site, Object queue, long timeoutNs) {
    long seq = Recorder.nextSeq();
    long t0 = System.nanoTime();
    Recorder.record(ts, QUEUE_DEQUEUE_BEGIN, Outcome.OK, 0, site, queue, null, Depth.of(queue), 0, timeoutNs,
        seq, Clock.fromNanoTime(t0), null, null);
    return t0;
  }

  /**
   * A dequeue returned or threw. With an element it is work starting: the state probes are recorded
   * behind it. @return the element's key (null when none), for the delay at work start
   *
   * @param fromDrain true for each element a {@code drainTo} moved
   */
  public static Object queueDequeue(ThreadState ts, int site, Object queue, Object element, long seq, long time,
      long blockedNs, long timeoutNs, int outcome, boolean fromDrain) {
    int small = fromDrain ? 1 : 0;
    if (element == null) {
      Recorder.record(ts, QUEUE_DEQUEUE, outcome, small, site, queue, null, Depth.of(queue), blockedNs,
          timeoutNs, seq, time, null, null);
      return null;
    }
    Object key = Keys.of(element);
    Recorder.recordWithState(ts, QUEUE_DEQUEUE, outcome, small, site, queue, element, Depth.of(queue),
        blockedNs, timeoutNs, seq, time, key, element.getClass());
    return key;
  }

  /** A peek returned: the element seen (null: the queue was empty). */
  public static void queuePeek(ThreadState ts, int site, Object queue, Object element) {
    Recorder.record(ts, QUEUE_PEEK, element == null ? Outcome.EMPTY : Outcome.OK, 0, site, queue, element,
        Depth.of(queue), 0, -1, Recorder.nextSeq(), Clock.now(), Keys.of(element),
        element == null ? null : element.getClass());
  }

  /**
   * A {@code drainTo} returned or threw.
   *
   * @param drained elements moved (0 when it threw)
   * @param max its bound, -1 for an unbounded drainTo
   */
  public static void queueDrain(ThreadState ts, int site, Object queue, long drained, long max, int outcome,
      long seq, long time) {
    Recorder.record(ts, QUEUE_DRAIN, outcome, 0, site, queue, null, drained, max, -1, seq, time, null, null);
  }

  // ---------------------------------------------------------------- tasks

  /**
   * A task submit returned or threw: ends the publishing mark of {@code seq}, then records it with
   * the task's subject (a lambda's captured keyed value, else the task) for its key and op.
   *
   * @param linked whether the task's run will be recorded with {@code seq} as its causal id
   * @param depth the executor's queue depth after the submit, -1 when unknown
   * @param scheduleDelayNs a scheduled submit's delay, -1 when not scheduled
   */
  public static void taskSubmit(ThreadState ts, int site, Object executor, Object subject, boolean linked,
      long depth, long scheduleDelayNs, int outcome, long seq, long time) {
    Recorder.publishingReturned(ts, seq);
    Recorder.record(ts, TASK_SUBMIT, outcome, linked && outcome == Outcome.OK ? 1 : 0, site, executor, null,
        depth, scheduleDelayNs, -1, seq, time, Keys.of(subject), subject == null ? null : subject.getClass());
  }

  /**
   * A linked task starts running (work starting: state probes recorded behind it).
   *
   * @param executorId the executor's identity hash (racetrace keeps no reference to it)
   * @param subject the task's subject, never null
   * @param key {@code Keys.of(subject)}, already read for the delay at work start
   * @param causalId the submit's seq this run continues
   * @param queueWaitNs nanoseconds between the submit (or a periodic task's last run) and this start
   */
  public static void taskStart(ThreadState ts, int site, int executorId, Object subject, Object key,
      long causalId, long queueWaitNs, long seq, long time) {
    Recorder.recordWithStateFor(ts, TASK_START, Outcome.OK, 0, site, executorId, null, causalId, queueWaitNs,
        -1, seq, time, key, subject.getClass());
  }

  /** A linked task's run ended ({@code outcome}: how). */
  public static void taskEnd(ThreadState ts, long causalId, int outcome, long seq, long time) {
    Recorder.record(ts, TASK_END, outcome, 0, 0, null, null, causalId, -1, -1, seq, time, null, null);
  }

  // ---------------------------------------------------------------- waits (called when the wait returned)

  /** {@code CountDownLatch.await} returned or threw. */
  public static void latchAwait(ThreadState ts, int site, Object latch, long countAtEntry, long t0,
      long timeoutNs, int outcome) {
    waited(ts, LATCH_AWAIT, site, latch, countAtEntry, t0, timeoutNs, 0, outcome);
  }

  /** A semaphore acquire (or tryAcquire) returned or threw. */
  public static void semaphoreAcquire(ThreadState ts, int site, Object semaphore, long permitsAtEntry,
      int permits, long t0, long timeoutNs, int outcome) {
    waited(ts, SEMAPHORE_ACQUIRE, site, semaphore, permitsAtEntry, t0, timeoutNs, permits, outcome);
  }

  /** {@code CyclicBarrier.await} returned (its arrival index) or threw (index -1). */
  public static void barrierAwait(ThreadState ts, int site, Object barrier, long arrivalIndex, long t0,
      long timeoutNs, int outcome) {
    waited(ts, BARRIER_AWAIT, site, barrier, arrivalIndex, t0, timeoutNs, 0, outcome);
  }

  /** A phaser wait returned (the phase it returned) or threw (phase -1). */
  public static void phaserAwait(ThreadState ts, int site, Object phaser, long phase, long t0, long timeoutNs,
      int outcome) {
    waited(ts, PHASER_AWAIT, site, phaser, phase, t0, timeoutNs, 0, outcome);
  }

  /** A {@code Condition} wait returned or threw. */
  public static void conditionAwait(ThreadState ts, int site, Object condition, long t0, long timeoutNs,
      int outcome) {
    waited(ts, CONDITION_AWAIT, site, condition, -1, t0, timeoutNs, 0, outcome);
  }

  /** {@code Object.wait} returned or threw. */
  public static void monitorWait(ThreadState ts, int site, Object monitor, long t0, long timeoutNs, int outcome) {
    waited(ts, MONITOR_WAIT, site, monitor, -1, t0, timeoutNs, 0, outcome);
  }

  /**
   * A future's {@code get} (or an executor's invokeAll/invokeAny, the executor standing for the
   * futures) returned or threw.
   *
   * @param doneAtEntry 1 when the future was already done at entry, else 0
   */
  public static void futureGet(ThreadState ts, int site, Object future, long doneAtEntry, long t0,
      long timeoutNs, int outcome) {
    waited(ts, FUTURE_GET, site, future, doneAtEntry, t0, timeoutNs, 0, outcome);
  }

  /** {@code Thread.sleep} returned or threw. @param requestedNs the time asked */
  public static void sleep(ThreadState ts, int site, long t0, long requestedNs, int outcome) {
    waited(ts, SLEEP, site, null, 0, t0, requestedNs, 0, outcome);
  }

  /** A lock acquire (lock, lockInterruptibly, tryLock) returned or threw. No state probes. */
  public static void lockAcquire(ThreadState ts, int site, Object lock, long t0, long timeoutNs, int outcome) {
    long t1 = System.nanoTime();
    Recorder.record(ts, LOCK_ACQUIRE, outcome, 0, site, lock, null, 0, t1 - t0, timeoutNs, Recorder.nextSeq(),
        Clock.fromNanoTime(t1), null, null);
  }

  /**
   * A lock wrapper's lock method returned (e.g. Jetty's {@code AutoLock.lock()}): the acquire, the
   * wrapper standing for its lock; the wait happened inside the wrapper and is not measured.
   */
  public static void lockAcquireUnmeasured(ThreadState ts, int site, Object wrapper) {
    Recorder.record(ts, LOCK_ACQUIRE, Outcome.OK, 0, site, wrapper, null, 0, 0, -1, Recorder.nextSeq(),
        Clock.now(), null, null);
  }

  private static void waited(ThreadState ts, int kind, int site, Object guard, long a, long t0, long timeoutNs,
      int small, int outcome) {
    long t1 = System.nanoTime();
    Recorder.recordWithState(ts, kind, outcome, small, site, guard, null, a, t1 - t0, timeoutNs,
        Recorder.nextSeq(), Clock.fromNanoTime(t1), null, null);
  }

  // ---------------------------------------------------------------- signals

  /** {@code CountDownLatch.countDown} returned. */
  public static void latchCountDown(ThreadState ts, int site, Object latch, long countBefore, long countAfter,
      long seq, long time) {
    Recorder.record(ts, LATCH_COUNT_DOWN, Outcome.OK, 0, site, latch, null, countBefore, countAfter, -1, seq,
        time, null, null);
  }

  /** A semaphore release returned or threw. */
  public static void semaphoreRelease(ThreadState ts, int site, Object semaphore, long permitsAfter,
      int permits, int outcome, long seq, long time) {
    Recorder.record(ts, SEMAPHORE_RELEASE, outcome, permits, site, semaphore, null, permitsAfter, 0, -1, seq,
        time, null, null);
  }

  /** A phaser arrival returned (the phase it returned). */
  public static void phaserArrive(ThreadState ts, int site, Object phaser, long phase, boolean deregistered,
      long seq, long time) {
    Recorder.record(ts, PHASER_ARRIVE, Outcome.OK, deregistered ? 1 : 0, site, phaser, null, phase, 0, -1, seq,
        time, null, null);
  }

  /** {@code signal} ({@code all} false) or {@code signalAll} returned or threw. */
  public static void conditionSignal(ThreadState ts, int site, Object condition, boolean all, int outcome,
      long seq, long time) {
    Recorder.record(ts, CONDITION_SIGNAL, outcome, all ? 1 : 0, site, condition, null, 0, 0, -1, seq, time,
        null, null);
  }

  /** A lock's (or lock wrapper's) unlock returned, threw, or is about to be called. */
  public static void lockRelease(ThreadState ts, int site, Object lock, int outcome, long seq, long time) {
    Recorder.record(ts, LOCK_RELEASE, outcome, 0, site, lock, null, 0, 0, -1, seq, time, null, null);
  }

  /** {@code notify} ({@code all} false) or {@code notifyAll} returned or threw. */
  public static void monitorNotify(ThreadState ts, int site, Object monitor, boolean all, int outcome, long seq,
      long time) {
    Recorder.record(ts, MONITOR_NOTIFY, outcome, all ? 1 : 0, site, monitor, null, 0, 0, -1, seq, time, null,
        null);
  }

  // ---------------------------------------------------------------- checks

  /** {@code CountDownLatch.getCount} returned: a guard check, with the state probes. */
  public static void latchGetCount(ThreadState ts, int site, Object latch, long countSeen) {
    Recorder.recordWithState(ts, LATCH_GET_COUNT, Outcome.OK, 0, site, latch, null, countSeen, 0, -1,
        Recorder.nextSeq(), Clock.now(), null, null);
  }

  /**
   * A wait loop's predicate check, at the end of the hold it ran under, with the state probes.
   *
   * @param monitor the monitor of an {@code Object.wait} loop (its identity orders the check after
   *     notifications under it), null for a Condition's loop
   * @param timedLoop 1 when the loop's waits are timed, else -1
   */
  public static void conditionCheck(ThreadState ts, int site, Object monitor, long timedLoop, int outcome,
      long seq, long time) {
    Recorder.recordWithState(ts, CONDITION_CHECK, outcome, monitor != null ? 1 : 0, site, monitor, null, 0, 0,
        timedLoop, seq, time, null, null);
  }

  /**
   * A configured readiness field was read, with the state probes.
   *
   * @param valueType the field's type: 1 boolean (value 0/1), 2 int, 3 long
   */
  public static void flagRead(ThreadState ts, int site, long valueSeen, int valueType) {
    Recorder.recordWithState(ts, FLAG_READ, Outcome.OK, valueType, site, null, null, valueSeen, 0, -1,
        Recorder.nextSeq(), Clock.now(), null, null);
  }

  /**
   * A configured guard method returned or threw, with the state probes.
   *
   * @param decision a boolean decision as 0/1, else -1
   * @param t0 {@code System.nanoTime()} when the method was entered
   * @param key the key among its arguments, or null
   * @param result the decision returned (boxed), or null
   */
  public static void guardMethod(ThreadState ts, int site, long decision, long t0, int outcome, Object key,
      Object result) {
    long end = System.nanoTime();
    Recorder.recordWithState(ts, GUARD_METHOD, outcome, 0, site, null, null, decision, end - t0, -1,
        Recorder.nextSeq(), Clock.fromNanoTime(end), key, result);
  }

  // ---------------------------------------------------------------- other

  /** A guard or queue object was constructed in an enabled class (names it after its allocation). */
  public static void objectNew(ThreadState ts, int site, Object object) {
    Recorder.record(ts, OBJECT_NEW, Outcome.OK, 0, site, object, null, 0, 0, -1, Recorder.nextSeq(), Clock.now(),
        null, null);
  }

  /** {@code RaceTrace.mark(op, key)}: the operation happens now on the key, with the state probes. */
  public static void mark(ThreadState ts, String op, Object key, long seq) {
    Recorder.recordWithState(ts, MARK, Outcome.OK, 0, 0, null, null, 0, 0, 0, seq, Clock.now(), key, op);
  }

  /**
   * A delay rule injected a delay.
   *
   * @param ruleIndex the rule's index in racetrace.delay
   * @param ruleText the rule as configured
   * @param occurrence which occurrence of the rule this was
   */
  public static void delay(ThreadState ts, int site, int ruleIndex, String ruleText, Object key, long plannedNs,
      long waitedNs, long occurrence) {
    Recorder.record(ts, DELAY, Outcome.OK, ruleIndex, site, null, null, plannedNs, waitedNs, occurrence,
        Recorder.nextSeq(), Clock.now(), key, ruleText);
  }
}
