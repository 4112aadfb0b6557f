package dev.racetrace.core.hook;

import static dev.racetrace.core.EventKind.BARRIER_AWAIT;
import static dev.racetrace.core.EventKind.LATCH_AWAIT;
import static dev.racetrace.core.EventKind.LATCH_COUNT_DOWN;
import static dev.racetrace.core.EventKind.LATCH_GET_COUNT;
import static dev.racetrace.core.EventKind.PHASER_ARRIVE;
import static dev.racetrace.core.EventKind.PHASER_AWAIT;
import static dev.racetrace.core.EventKind.SEMAPHORE_ACQUIRE;
import static dev.racetrace.core.EventKind.SEMAPHORE_RELEASE;

import dev.racetrace.core.Clock;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.ThreadState;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Call-site hooks for the synchronizers that act as guards: CountDownLatch, Semaphore,
 * CyclicBarrier and Phaser. Waiting calls record the state at entry (latch count, permits), the
 * time blocked, the timeout and whether it expired, plus the state probes; signalling calls record
 * the state before and after.
 *
 * <p>Long on purpose: one hand-expanded hook per JDK method, each making the application's own call
 * itself (no helper or lambda in between), so that stack traces, exceptions and blocking stay the
 * application's and nothing is allocated. {@code HookCopiesTest} keeps the copies of one body
 * alike.
 */
public final class LatchHooks {
  private LatchHooks() {}

  // ---------------------------------------------------------------- CountDownLatch

  public static void await(CountDownLatch l, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      l.await();
      return;
    }
    long count = l.getCount();
    long t0 = System.nanoTime();
    try {
      l.await();
    } catch (Throwable t) {
      waited(ts, LATCH_AWAIT, site, l, count, t0, -1, 0, Outcome.of(t));
      throw t;
    }
    waited(ts, LATCH_AWAIT, site, l, count, t0, -1, 0, Outcome.OK);
  }

  public static boolean await(CountDownLatch l, long timeout, TimeUnit unit, int site)
      throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return l.await(timeout, unit);
    }
    long count = l.getCount();
    long t0 = System.nanoTime();
    long timeoutNs = QueueHooks.nanos(timeout, unit);
    boolean ok;
    try {
      ok = l.await(timeout, unit);
    } catch (Throwable t) {
      waited(ts, LATCH_AWAIT, site, l, count, t0, timeoutNs, 0, Outcome.of(t));
      throw t;
    }
    waited(ts, LATCH_AWAIT, site, l, count, t0, timeoutNs, 0, ok ? Outcome.OK : Outcome.TIMED_OUT);
    return ok;
  }

  public static void countDown(CountDownLatch l, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      l.countDown();
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    long before = l.getCount();
    l.countDown();
    Recorder.record(ts, LATCH_COUNT_DOWN, Outcome.OK, 0, site, l, null, before, l.getCount(), -1, seq, time,
        null, null);
  }

  public static long getCount(CountDownLatch l, int site) {
    long count = l.getCount();
    ThreadState ts = Recorder.stateWithRoom();
    if (ts != null) {
      Recorder.recordWithState(ts, LATCH_GET_COUNT, Outcome.OK, 0, site, l, null, count, 0, -1,
          Recorder.nextSeq(), Clock.now(), null, null);
    }
    return count;
  }

  // ---------------------------------------------------------------- Semaphore

  public static void acquire(Semaphore s, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      s.acquire();
      return;
    }
    long avail = s.availablePermits();
    long t0 = System.nanoTime();
    try {
      s.acquire();
    } catch (Throwable t) {
      waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, -1, 1, Outcome.of(t));
      throw t;
    }
    waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, -1, 1, Outcome.OK);
  }

  public static void acquire(Semaphore s, int permits, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      s.acquire(permits);
      return;
    }
    long avail = s.availablePermits();
    long t0 = System.nanoTime();
    try {
      s.acquire(permits);
    } catch (Throwable t) {
      waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, -1, permits, Outcome.of(t));
      throw t;
    }
    waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, -1, permits, Outcome.OK);
  }

  public static void acquireUninterruptibly(Semaphore s, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      s.acquireUninterruptibly();
      return;
    }
    long avail = s.availablePermits();
    long t0 = System.nanoTime();
    try {
      s.acquireUninterruptibly();
    } catch (Throwable t) {
      waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, -1, 1, Outcome.of(t));
      throw t;
    }
    waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, -1, 1, Outcome.OK);
  }

  public static void acquireUninterruptibly(Semaphore s, int permits, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      s.acquireUninterruptibly(permits);
      return;
    }
    long avail = s.availablePermits();
    long t0 = System.nanoTime();
    try {
      s.acquireUninterruptibly(permits);
    } catch (Throwable t) {
      waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, -1, permits, Outcome.of(t));
      throw t;
    }
    waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, -1, permits, Outcome.OK);
  }

  public static boolean tryAcquire(Semaphore s, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return s.tryAcquire();
    }
    long avail = s.availablePermits();
    long t0 = System.nanoTime();
    boolean ok;
    try {
      ok = s.tryAcquire();
    } catch (Throwable t) {
      waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, -1, 1, Outcome.of(t));
      throw t;
    }
    waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, -1, 1, ok ? Outcome.OK : Outcome.REJECTED);
    return ok;
  }

  public static boolean tryAcquire(Semaphore s, int permits, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return s.tryAcquire(permits);
    }
    long avail = s.availablePermits();
    long t0 = System.nanoTime();
    boolean ok;
    try {
      ok = s.tryAcquire(permits);
    } catch (Throwable t) {
      waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, -1, permits, Outcome.of(t));
      throw t;
    }
    waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, -1, permits, ok ? Outcome.OK : Outcome.REJECTED);
    return ok;
  }

  public static boolean tryAcquire(Semaphore s, long timeout, TimeUnit unit, int site)
      throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return s.tryAcquire(timeout, unit);
    }
    long avail = s.availablePermits();
    long t0 = System.nanoTime();
    long timeoutNs = QueueHooks.nanos(timeout, unit);
    boolean ok;
    try {
      ok = s.tryAcquire(timeout, unit);
    } catch (Throwable t) {
      waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, timeoutNs, 1, Outcome.of(t));
      throw t;
    }
    waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, timeoutNs, 1, ok ? Outcome.OK : Outcome.TIMED_OUT);
    return ok;
  }

  public static boolean tryAcquire(Semaphore s, int permits, long timeout, TimeUnit unit, int site)
      throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return s.tryAcquire(permits, timeout, unit);
    }
    long avail = s.availablePermits();
    long t0 = System.nanoTime();
    long timeoutNs = QueueHooks.nanos(timeout, unit);
    boolean ok;
    try {
      ok = s.tryAcquire(permits, timeout, unit);
    } catch (Throwable t) {
      waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, timeoutNs, permits, Outcome.of(t));
      throw t;
    }
    waited(ts, SEMAPHORE_ACQUIRE, site, s, avail, t0, timeoutNs, permits,
        ok ? Outcome.OK : Outcome.TIMED_OUT);
    return ok;
  }

  public static void release(Semaphore s, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      s.release();
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    s.release();
    Recorder.record(ts, SEMAPHORE_RELEASE, Outcome.OK, 1, site, s, null, s.availablePermits(), 0, -1, seq,
        time, null, null);
  }

  public static void release(Semaphore s, int permits, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      s.release(permits);
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    try {
      s.release(permits);
    } catch (Throwable t) {
      Recorder.record(ts, SEMAPHORE_RELEASE, Outcome.of(t), permits, site, s, null, s.availablePermits(),
          0, -1, seq, time, null, null);
      throw t;
    }
    Recorder.record(ts, SEMAPHORE_RELEASE, Outcome.OK, permits, site, s, null, s.availablePermits(), 0,
        -1, seq, time, null, null);
  }

  // ---------------------------------------------------------------- CyclicBarrier

  public static int await(CyclicBarrier b, int site) throws InterruptedException, BrokenBarrierException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return b.await();
    }
    long t0 = System.nanoTime();
    int index;
    try {
      index = b.await();
    } catch (Throwable t) {
      waited(ts, BARRIER_AWAIT, site, b, -1, t0, -1, 0, Outcome.of(t));
      throw t;
    }
    waited(ts, BARRIER_AWAIT, site, b, index, t0, -1, 0, Outcome.OK);
    return index;
  }

  public static int await(CyclicBarrier b, long timeout, TimeUnit unit, int site)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return b.await(timeout, unit);
    }
    long t0 = System.nanoTime();
    long timeoutNs = QueueHooks.nanos(timeout, unit);
    int index;
    try {
      index = b.await(timeout, unit);
    } catch (Throwable t) {
      waited(ts, BARRIER_AWAIT, site, b, -1, t0, timeoutNs, 0,
          t instanceof TimeoutException ? Outcome.TIMED_OUT : Outcome.of(t));
      throw t;
    }
    waited(ts, BARRIER_AWAIT, site, b, index, t0, timeoutNs, 0, Outcome.OK);
    return index;
  }

  // ---------------------------------------------------------------- Phaser

  public static int arrive(Phaser p, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return p.arrive();
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    int phase = p.arrive();
    Recorder.record(ts, PHASER_ARRIVE, Outcome.OK, 0, site, p, null, phase, 0, -1, seq, time, null, null);
    return phase;
  }

  public static int arriveAndDeregister(Phaser p, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return p.arriveAndDeregister();
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    int phase = p.arriveAndDeregister();
    Recorder.record(ts, PHASER_ARRIVE, Outcome.OK, 1, site, p, null, phase, 0, -1, seq, time, null, null);
    return phase;
  }

  public static int arriveAndAwaitAdvance(Phaser p, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return p.arriveAndAwaitAdvance();
    }
    long t0 = System.nanoTime();
    int phase = p.arriveAndAwaitAdvance();
    waited(ts, PHASER_AWAIT, site, p, phase, t0, -1, 0, Outcome.OK);
    return phase;
  }

  public static int awaitAdvance(Phaser p, int phase, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return p.awaitAdvance(phase);
    }
    long t0 = System.nanoTime();
    int next = p.awaitAdvance(phase);
    waited(ts, PHASER_AWAIT, site, p, next, t0, -1, 0, Outcome.OK);
    return next;
  }

  public static int awaitAdvanceInterruptibly(Phaser p, int phase, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return p.awaitAdvanceInterruptibly(phase);
    }
    long t0 = System.nanoTime();
    int next;
    try {
      next = p.awaitAdvanceInterruptibly(phase);
    } catch (Throwable t) {
      waited(ts, PHASER_AWAIT, site, p, -1, t0, -1, 0, Outcome.of(t));
      throw t;
    }
    waited(ts, PHASER_AWAIT, site, p, next, t0, -1, 0, Outcome.OK);
    return next;
  }

  public static int awaitAdvanceInterruptibly(Phaser p, int phase, long timeout, TimeUnit unit, int site)
      throws InterruptedException, TimeoutException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return p.awaitAdvanceInterruptibly(phase, timeout, unit);
    }
    long t0 = System.nanoTime();
    long timeoutNs = QueueHooks.nanos(timeout, unit);
    int next;
    try {
      next = p.awaitAdvanceInterruptibly(phase, timeout, unit);
    } catch (Throwable t) {
      waited(ts, PHASER_AWAIT, site, p, -1, t0, timeoutNs, 0,
          t instanceof TimeoutException ? Outcome.TIMED_OUT : Outcome.of(t));
      throw t;
    }
    waited(ts, PHASER_AWAIT, site, p, next, t0, timeoutNs, 0, Outcome.OK);
    return next;
  }

  // ---------------------------------------------------------------- recording

  static void waited(ThreadState ts, int kind, int site, Object guard, long a, long t0, long timeoutNs, int small,
      int outcome) {
    long t1 = System.nanoTime();
    Recorder.recordWithState(ts, kind, outcome, small, site, guard, null, a, t1 - t0, timeoutNs,
        Recorder.nextSeq(), Clock.fromNanoTime(t1), null, null);
  }
}
