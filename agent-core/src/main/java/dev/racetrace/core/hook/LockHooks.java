package dev.racetrace.core.hook;

import dev.racetrace.core.Clock;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.ThreadState;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * Call-site hooks for Lock, Condition and the Object monitor methods wait/notify/notifyAll.
 * The monitor hooks run on the caller's thread, which still owns the monitor, so
 * IllegalMonitorStateException and interrupts behave exactly as in the original call.
 *
 * <p>Long on purpose: one hand-expanded hook per JDK method, each making the application's own call
 * itself (no helper or lambda in between), so that stack traces, exceptions and blocking stay the
 * application's and nothing is allocated. {@code HookCopiesTest} keeps the copies of one body
 * alike.
 */
public final class LockHooks {
  private LockHooks() {}

  // ---------------------------------------------------------------- Lock

  public static void lock(Lock l, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      l.lock();
      return;
    }
    long t0 = System.nanoTime();
    l.lock();
    Events.lockAcquire(ts, site, l, t0, -1, Outcome.OK);
  }

  public static void lockInterruptibly(Lock l, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      l.lockInterruptibly();
      return;
    }
    long t0 = System.nanoTime();
    try {
      l.lockInterruptibly();
    } catch (Throwable t) {
      Events.lockAcquire(ts, site, l, t0, -1, Outcome.of(t));
      throw t;
    }
    Events.lockAcquire(ts, site, l, t0, -1, Outcome.OK);
  }

  public static boolean tryLock(Lock l, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return l.tryLock();
    }
    long t0 = System.nanoTime();
    boolean ok = l.tryLock();
    Events.lockAcquire(ts, site, l, t0, -1, ok ? Outcome.OK : Outcome.REJECTED);
    return ok;
  }

  public static boolean tryLock(Lock l, long timeout, TimeUnit unit, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return l.tryLock(timeout, unit);
    }
    long t0 = System.nanoTime();
    long timeoutNs = QueueHooks.nanos(timeout, unit);
    boolean ok;
    try {
      ok = l.tryLock(timeout, unit);
    } catch (Throwable t) {
      Events.lockAcquire(ts, site, l, t0, timeoutNs, Outcome.of(t));
      throw t;
    }
    Events.lockAcquire(ts, site, l, t0, timeoutNs, ok ? Outcome.OK : Outcome.TIMED_OUT);
    return ok;
  }

  public static void unlock(Lock l, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      l.unlock();
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    try {
      l.unlock();
    } catch (Throwable t) {
      Events.lockRelease(ts, site, l, Outcome.of(t), seq, time);
      throw t;
    }
    Events.lockRelease(ts, site, l, Outcome.OK, seq, time);
  }

  /**
   * After a call to a lock wrapper's lock method returned (a method found at instrumentation time
   * to do nothing but lock a Lock field, e.g. Jetty's {@code AutoLock.lock()}): the acquire, at the
   * caller's site, the wrapper standing for its lock. The wait is not measured (it happened inside
   * the wrapper); a throwing lock never gets here.
   */
  public static void wrapperLocked(Object wrapper, int site) {
    ThreadState ts = wrapper == null ? null : Recorder.stateWithRoom();
    if (ts == null) {
      return;
    }
    Events.lockAcquireUnmeasured(ts, site, wrapper);
  }

  /**
   * Right before a call to a lock wrapper's unlock method (e.g. Jetty's {@code AutoLock.close()}):
   * the release, at the caller's site, recorded while the lock is still held so that it orders
   * before the next holder's acquire.
   */
  public static void wrapperUnlocking(Object wrapper, int site) {
    ThreadState ts = wrapper == null ? null : Recorder.stateWithRoom();
    if (ts == null) { // null: the wrapper call throws NPE right after
      return;
    }
    Events.lockRelease(ts, site, wrapper, Outcome.OK, Recorder.nextSeq(), Clock.now());
  }

  /**
   * {@code unlock()} in a method that awaits a Condition without a timeout: the hold it ends was
   * that wait loop's predicate check. Records the check (with the visible state), then the release.
   *
   * @param checkSite the site naming the condition the method waits on
   */
  public static void unlockAfterWait(Lock l, int site, int checkSite) {
    unlockChecked(l, site, checkSite, -1);
  }

  /** As {@link #unlockAfterWait}, in a method whose waits are timed (awaitNanos, await(t, u), awaitUntil). */
  public static void unlockAfterTimedWait(Lock l, int site, int checkSite) {
    unlockChecked(l, site, checkSite, 1);
  }

  private static void unlockChecked(Lock l, int site, int checkSite, long timed) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      l.unlock();
      return;
    }
    // Both seqs are taken while the lock is still held: the check happened under it.
    long checkSeq = Recorder.nextSeq();
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    try {
      l.unlock();
    } catch (Throwable t) {
      Events.lockRelease(ts, site, l, Outcome.of(t), seq, time);
      throw t;
    }
    // the loop ended on a timed-out wait: it went on without the state it waited for
    int outcome = Recorder.takeConditionTimedOut(ts) ? Outcome.TIMED_OUT : Outcome.OK;
    Events.conditionCheck(ts, checkSite, null, timed, outcome, checkSeq, time);
    Events.lockRelease(ts, site, l, Outcome.OK, seq, time);
  }

  /**
   * Right before a {@code monitorexit} (or the return of a synchronized method) in a method that
   * waits on a monitor without a timeout: the hold it ends was that wait loop's predicate check,
   * recorded with the visible state while the monitor is still held.
   *
   * @param monitor the monitor about to be exited: its identity ties the check to the
   *     notifications made under the same monitor (monitor order is happens-before)
   * @param checkSite the site naming the monitor the method waits on
   */
  public static void monitorCheck(Object monitor, int checkSite) {
    monitorChecked(monitor, checkSite, -1);
  }

  /** As {@link #monitorCheck}, in a method whose waits are timed ({@code wait(millis)}). */
  public static void monitorTimedCheck(Object monitor, int checkSite) {
    monitorChecked(monitor, checkSite, 1);
  }

  private static void monitorChecked(Object monitor, int checkSite, long timed) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return;
    }
    // the loop ended on a full-length timed wait: it went on without the state it waited for
    int outcome = Recorder.takeConditionTimedOut(ts) ? Outcome.TIMED_OUT : Outcome.OK;
    Events.conditionCheck(ts, checkSite, monitor, timed, outcome, Recorder.nextSeq(), Clock.now());
  }

  // ---------------------------------------------------------------- Condition

  public static void await(Condition c, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      c.await();
      return;
    }
    long t0 = System.nanoTime();
    try {
      c.await();
    } catch (Throwable t) {
      Events.conditionAwait(ts, site, c, t0, -1, Outcome.of(t));
      Recorder.conditionWaited(ts, false);
      throw t;
    }
    Events.conditionAwait(ts, site, c, t0, -1, Outcome.OK);
    Recorder.conditionWaited(ts, false);
  }

  public static boolean await(Condition c, long time, TimeUnit unit, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return c.await(time, unit);
    }
    long t0 = System.nanoTime();
    long timeoutNs = QueueHooks.nanos(time, unit);
    boolean ok;
    try {
      ok = c.await(time, unit);
    } catch (Throwable t) {
      Events.conditionAwait(ts, site, c, t0, timeoutNs, Outcome.of(t));
      Recorder.conditionWaited(ts, false);
      throw t;
    }
    Events.conditionAwait(ts, site, c, t0, timeoutNs, ok ? Outcome.OK : Outcome.TIMED_OUT);
    Recorder.conditionWaited(ts, !ok);
    return ok;
  }

  public static long awaitNanos(Condition c, long nanos, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return c.awaitNanos(nanos);
    }
    long t0 = System.nanoTime();
    long left;
    try {
      left = c.awaitNanos(nanos);
    } catch (Throwable t) {
      Events.conditionAwait(ts, site, c, t0, nanos, Outcome.of(t));
      Recorder.conditionWaited(ts, false);
      throw t;
    }
    Events.conditionAwait(ts, site, c, t0, nanos, left > 0 ? Outcome.OK : Outcome.TIMED_OUT);
    Recorder.conditionWaited(ts, left <= 0);
    return left;
  }

  public static void awaitUninterruptibly(Condition c, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      c.awaitUninterruptibly();
      return;
    }
    long t0 = System.nanoTime();
    try {
      c.awaitUninterruptibly();
    } catch (Throwable t) {
      Events.conditionAwait(ts, site, c, t0, -1, Outcome.of(t));
      Recorder.conditionWaited(ts, false);
      throw t;
    }
    Events.conditionAwait(ts, site, c, t0, -1, Outcome.OK);
    Recorder.conditionWaited(ts, false);
  }

  public static boolean awaitUntil(Condition c, Date deadline, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return c.awaitUntil(deadline);
    }
    long t0 = System.nanoTime();
    long timeoutNs = deadline == null ? -1
        : Math.max(0, (deadline.getTime() - System.currentTimeMillis()) * 1_000_000L);
    boolean ok;
    try {
      ok = c.awaitUntil(deadline);
    } catch (Throwable t) {
      Events.conditionAwait(ts, site, c, t0, timeoutNs, Outcome.of(t));
      Recorder.conditionWaited(ts, false);
      throw t;
    }
    Events.conditionAwait(ts, site, c, t0, timeoutNs, ok ? Outcome.OK : Outcome.TIMED_OUT);
    Recorder.conditionWaited(ts, !ok);
    return ok;
  }

  public static void signal(Condition c, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      c.signal();
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    try {
      c.signal();
    } catch (Throwable t) {
      Events.conditionSignal(ts, site, c, false, Outcome.of(t), seq, time);
      throw t;
    }
    Events.conditionSignal(ts, site, c, false, Outcome.OK, seq, time);
  }

  public static void signalAll(Condition c, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      c.signalAll();
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    try {
      c.signalAll();
    } catch (Throwable t) {
      Events.conditionSignal(ts, site, c, true, Outcome.of(t), seq, time);
      throw t;
    }
    Events.conditionSignal(ts, site, c, true, Outcome.OK, seq, time);
  }

  // ---------------------------------------------------------------- Object monitor

  public static void wait(Object o, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      o.wait();
      return;
    }
    long t0 = System.nanoTime();
    try {
      o.wait();
    } catch (Throwable t) {
      Events.monitorWait(ts, site, o, t0, -1, Outcome.of(t));
      Recorder.conditionWaited(ts, false);
      throw t;
    }
    Events.monitorWait(ts, site, o, t0, -1, Outcome.OK);
    Recorder.conditionWaited(ts, false);
  }

  public static void wait(Object o, long millis, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      o.wait(millis);
      return;
    }
    long t0 = System.nanoTime();
    try {
      o.wait(millis);
    } catch (Throwable t) {
      Events.monitorWait(ts, site, o, t0, millis * 1_000_000L, Outcome.of(t));
      Recorder.conditionWaited(ts, false);
      throw t;
    }
    monitorWaited(ts, site, o, t0, millis * 1_000_000L);
  }

  public static void wait(Object o, long millis, int nanos, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      o.wait(millis, nanos);
      return;
    }
    long t0 = System.nanoTime();
    long timeoutNs = millis * 1_000_000L + nanos;
    try {
      o.wait(millis, nanos);
    } catch (Throwable t) {
      Events.monitorWait(ts, site, o, t0, timeoutNs, Outcome.of(t));
      Recorder.conditionWaited(ts, false);
      throw t;
    }
    monitorWaited(ts, site, o, t0, timeoutNs);
  }

  public static void notify(Object o, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      o.notify();
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    try {
      o.notify();
    } catch (Throwable t) {
      Events.monitorNotify(ts, site, o, false, Outcome.of(t), seq, time);
      throw t;
    }
    Events.monitorNotify(ts, site, o, false, Outcome.OK, seq, time);
  }

  public static void notifyAll(Object o, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      o.notifyAll();
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    try {
      o.notifyAll();
    } catch (Throwable t) {
      Events.monitorNotify(ts, site, o, true, Outcome.of(t), seq, time);
      throw t;
    }
    Events.monitorNotify(ts, site, o, true, Outcome.OK, seq, time);
  }

  // ---------------------------------------------------------------- recording

  /** A timed Object.wait cannot say whether it was notified; a full-length wait counts as expired. */
  private static void monitorWaited(ThreadState ts, int site, Object o, long t0, long timeoutNs) {
    long waited = System.nanoTime() - t0;
    boolean expired = timeoutNs > 0 && waited >= timeoutNs;
    Events.monitorWait(ts, site, o, t0, timeoutNs, expired ? Outcome.TIMED_OUT : Outcome.OK);
    Recorder.conditionWaited(ts, expired); // for the wait loop's predicate check (monitorTimedCheck)
  }
}
