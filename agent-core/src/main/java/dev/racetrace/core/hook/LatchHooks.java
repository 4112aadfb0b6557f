package dev.racetrace.core.hook;

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
      Events.latchAwait(ts, site, l, count, t0, -1, Outcome.of(t));
      throw t;
    }
    Events.latchAwait(ts, site, l, count, t0, -1, Outcome.OK);
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
      Events.latchAwait(ts, site, l, count, t0, timeoutNs, Outcome.of(t));
      throw t;
    }
    Events.latchAwait(ts, site, l, count, t0, timeoutNs, ok ? Outcome.OK : Outcome.TIMED_OUT);
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
    Events.latchCountDown(ts, site, l, before, l.getCount(), seq, time);
  }

  public static long getCount(CountDownLatch l, int site) {
    long count = l.getCount();
    ThreadState ts = Recorder.stateWithRoom();
    if (ts != null) {
      Events.latchGetCount(ts, site, l, count);
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
      Events.semaphoreAcquire(ts, site, s, avail, 1, t0, -1, Outcome.of(t));
      throw t;
    }
    Events.semaphoreAcquire(ts, site, s, avail, 1, t0, -1, Outcome.OK);
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
      Events.semaphoreAcquire(ts, site, s, avail, permits, t0, -1, Outcome.of(t));
      throw t;
    }
    Events.semaphoreAcquire(ts, site, s, avail, permits, t0, -1, Outcome.OK);
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
      Events.semaphoreAcquire(ts, site, s, avail, 1, t0, -1, Outcome.of(t));
      throw t;
    }
    Events.semaphoreAcquire(ts, site, s, avail, 1, t0, -1, Outcome.OK);
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
      Events.semaphoreAcquire(ts, site, s, avail, permits, t0, -1, Outcome.of(t));
      throw t;
    }
    Events.semaphoreAcquire(ts, site, s, avail, permits, t0, -1, Outcome.OK);
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
      Events.semaphoreAcquire(ts, site, s, avail, 1, t0, -1, Outcome.of(t));
      throw t;
    }
    Events.semaphoreAcquire(ts, site, s, avail, 1, t0, -1, ok ? Outcome.OK : Outcome.REJECTED);
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
      Events.semaphoreAcquire(ts, site, s, avail, permits, t0, -1, Outcome.of(t));
      throw t;
    }
    Events.semaphoreAcquire(ts, site, s, avail, permits, t0, -1, ok ? Outcome.OK : Outcome.REJECTED);
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
      Events.semaphoreAcquire(ts, site, s, avail, 1, t0, timeoutNs, Outcome.of(t));
      throw t;
    }
    Events.semaphoreAcquire(ts, site, s, avail, 1, t0, timeoutNs, ok ? Outcome.OK : Outcome.TIMED_OUT);
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
      Events.semaphoreAcquire(ts, site, s, avail, permits, t0, timeoutNs, Outcome.of(t));
      throw t;
    }
    Events.semaphoreAcquire(ts, site, s, avail, permits, t0, timeoutNs,
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
    Events.semaphoreRelease(ts, site, s, s.availablePermits(), 1, Outcome.OK, seq, time);
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
      Events.semaphoreRelease(ts, site, s, s.availablePermits(), permits, Outcome.of(t), seq, time);
      throw t;
    }
    Events.semaphoreRelease(ts, site, s, s.availablePermits(), permits, Outcome.OK, seq, time);
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
      Events.barrierAwait(ts, site, b, -1, t0, -1, Outcome.of(t));
      throw t;
    }
    Events.barrierAwait(ts, site, b, index, t0, -1, Outcome.OK);
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
      Events.barrierAwait(ts, site, b, -1, t0, timeoutNs,
          t instanceof TimeoutException ? Outcome.TIMED_OUT : Outcome.of(t));
      throw t;
    }
    Events.barrierAwait(ts, site, b, index, t0, timeoutNs, Outcome.OK);
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
    Events.phaserArrive(ts, site, p, phase, false, seq, time);
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
    Events.phaserArrive(ts, site, p, phase, true, seq, time);
    return phase;
  }

  public static int arriveAndAwaitAdvance(Phaser p, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return p.arriveAndAwaitAdvance();
    }
    long t0 = System.nanoTime();
    int phase = p.arriveAndAwaitAdvance();
    Events.phaserAwait(ts, site, p, phase, t0, -1, Outcome.OK);
    return phase;
  }

  public static int awaitAdvance(Phaser p, int phase, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return p.awaitAdvance(phase);
    }
    long t0 = System.nanoTime();
    int next = p.awaitAdvance(phase);
    Events.phaserAwait(ts, site, p, next, t0, -1, Outcome.OK);
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
      Events.phaserAwait(ts, site, p, -1, t0, -1, Outcome.of(t));
      throw t;
    }
    Events.phaserAwait(ts, site, p, next, t0, -1, Outcome.OK);
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
      Events.phaserAwait(ts, site, p, -1, t0, timeoutNs,
          t instanceof TimeoutException ? Outcome.TIMED_OUT : Outcome.of(t));
      throw t;
    }
    Events.phaserAwait(ts, site, p, next, t0, timeoutNs, Outcome.OK);
    return next;
  }
}
