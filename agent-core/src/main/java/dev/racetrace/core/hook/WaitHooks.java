package dev.racetrace.core.hook;

import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.ThreadState;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Call-site hooks for Future.get (with and without timeout) and Thread.sleep, the waits that code
 * uses when it assumes another operation "should be done by now".
 */
public final class WaitHooks {
  private WaitHooks() {}

  public static Object get(Future<Object> f, int site) throws InterruptedException, ExecutionException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return f.get();
    }
    long done = f.isDone() ? 1 : 0;
    long t0 = System.nanoTime();
    Object r;
    try {
      r = f.get();
    } catch (Throwable t) {
      Events.futureGet(ts, site, f, done, t0, -1, Outcome.of(t));
      throw t;
    }
    Events.futureGet(ts, site, f, done, t0, -1, Outcome.OK);
    return r;
  }

  public static Object get(Future<Object> f, long timeout, TimeUnit unit, int site)
      throws InterruptedException, ExecutionException, TimeoutException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return f.get(timeout, unit);
    }
    long done = f.isDone() ? 1 : 0;
    long t0 = System.nanoTime();
    long timeoutNs = QueueHooks.nanos(timeout, unit);
    Object r;
    try {
      r = f.get(timeout, unit);
    } catch (Throwable t) {
      Events.futureGet(ts, site, f, done, t0, timeoutNs,
          t instanceof TimeoutException ? Outcome.TIMED_OUT : Outcome.of(t));
      throw t;
    }
    Events.futureGet(ts, site, f, done, t0, timeoutNs, Outcome.OK);
    return r;
  }

  public static void sleep(long millis, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      Thread.sleep(millis);
      return;
    }
    long t0 = System.nanoTime();
    try {
      Thread.sleep(millis);
    } catch (Throwable t) {
      Events.sleep(ts, site, t0, millis * 1_000_000L, Outcome.of(t));
      throw t;
    }
    Events.sleep(ts, site, t0, millis * 1_000_000L, Outcome.TIMED_OUT);
  }

  public static void sleep(long millis, int nanos, int site) throws InterruptedException {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      Thread.sleep(millis, nanos);
      return;
    }
    long t0 = System.nanoTime();
    long requested = millis * 1_000_000L + nanos;
    try {
      Thread.sleep(millis, nanos);
    } catch (Throwable t) {
      Events.sleep(ts, site, t0, requested, Outcome.of(t));
      throw t;
    }
    Events.sleep(ts, site, t0, requested, Outcome.TIMED_OUT);
  }
}
