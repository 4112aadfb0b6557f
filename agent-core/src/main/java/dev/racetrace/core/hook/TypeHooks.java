package dev.racetrace.core.hook;

import dev.racetrace.core.Clock;
import dev.racetrace.core.Delays;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.ThreadState;
import dev.racetrace.core.task.CapturedValue;
import dev.racetrace.core.task.TaskRuns;

/**
 * Called from advice inlined into application classes that implement BlockingQueue or Executor
 * themselves. The advice looks the thread's state up once on entry ({@link #state}), calls
 * {@link #enterOp} with it, and on exit {@link #exitOp} and one of the recording calls with the same
 * state; only a call that is not nested in an operation on the same object (a call-site hook's, or
 * the type's own) records. As with the call-site hooks, a call that began recording finishes its
 * record even if recording stops meanwhile.
 *
 * <p>Inlined advice names only hook classes, never {@link Recorder} or {@link ThreadState} (the
 * state travels as an {@code Object} local): an application that bundles racetrace's API may have
 * loaded its own copies of those before an attach, and a reference from its classes would resolve
 * to an idle copy. It never loads a hook class itself.
 */
public final class TypeHooks {
  private TypeHooks() {}

  /**
   * The calling thread's state while recording, else null: one {@code ThreadLocal} lookup for the
   * whole advised call, given back to every call below.
   */
  public static Object state() {
    return Recorder.recordingState();
  }

  /** Enters an operation on {@code target}: {@link Recorder#enterOp(ThreadState, Object)}. */
  public static Object enterOp(Object state, Object target) {
    return Recorder.enterOp((ThreadState) state, target);
  }

  /** Leaves it: {@link Recorder#exitOp(ThreadState, Object)}. */
  public static void exitOp(Object state, Object outer) {
    Recorder.exitOp((ThreadState) state, outer);
  }

  /** @return the seq for a publishing call, taken on entry; 0 when the call does not record */
  public static long publishSeq(Object state, Object outer) {
    try {
      return outer != Recorder.SKIP ? Recorder.publishingSeq((ThreadState) state) : 0;
    } catch (Throwable t) { // woven code has no handler of its own: nothing may reach the application
      Recorder.countInternalError();
      return 0;
    }
  }

  /**
   * An enqueue method returned or threw.
   *
   * @param result the method's return value (Boolean for offer/add, null for put)
   */
  public static void enqueued(Object state, Object q, Object e, long seq, long t0, Object result,
      Throwable thrown, boolean timed, int site) {
    if (seq == 0) {
      return;
    }
    try {
      int outcome = thrown != null ? Outcome.of(thrown)
          : Boolean.FALSE.equals(result) ? (timed ? Outcome.TIMED_OUT : Outcome.REJECTED) : Outcome.OK;
      Events.queueEnqueue((ThreadState) state, site, q, e, seq, Clock.fromNanoTime(t0), System.nanoTime() - t0,
          -1, outcome);
    } catch (Throwable t) {
      Recorder.countInternalError();
    }
  }

  /** A dequeue method returned or threw: with an element, work starts (and a delay rule for it applies). */
  public static void dequeued(Object state, Object outer, Object q, Object e, long t0, Throwable thrown,
      boolean timed, int site) {
    if (outer == Recorder.SKIP) {
      return;
    }
    Object key;
    try {
      long t1 = System.nanoTime();
      int outcome = thrown != null ? Outcome.of(thrown) : e != null ? Outcome.OK
          : timed ? Outcome.TIMED_OUT : Outcome.EMPTY;
      key = Events.queueDequeue((ThreadState) state, site, q, e, Recorder.nextSeq(), Clock.fromNanoTime(t1),
          t1 - t0, -1, outcome, false);
    } catch (Throwable t) {
      Recorder.countInternalError();
      return;
    }
    if (e != null) {
      try {
        Delays.atDequeue(e, key, site); // work starts, as after a call-site hook's dequeue
      } catch (Throwable t) {
        Recorder.countInternalError();
      }
    }
  }

  /**
   * An application executor's execute is entered: takes the submit's seq and links the task to it
   * before the executor can hand it to a worker. @return the seq, 0 when not recorded
   */
  public static long submitSeq(Object state, Object outer, Object ex, Object task, long t0, int site) {
    if (outer == Recorder.SKIP) {
      return 0;
    }
    try {
      long seq = Recorder.publishingSeq((ThreadState) state);
      TaskRuns.link(task, ex, seq, t0, site, 0);
      return seq;
    } catch (Throwable t) {
      Recorder.countInternalError();
      return 0;
    }
  }

  /**
   * An application executor's execute returned or threw. The task is the application's own object,
   * linked to this submit by {@link #submitSeq}; its run is recorded where a worker runs it.
   */
  public static void submitted(Object state, Object ex, Object task, long seq, long t0, Throwable thrown,
      int site) {
    if (seq == 0) {
      return;
    }
    try {
      if (thrown != null) {
        TaskRuns.unlink(task, seq);
      }
      Object subject = CapturedValue.of(task); // a lambda's key and op: those of its captured keyed value
      Events.taskSubmit((ThreadState) state, site, ex, subject, task != null, -1, -1,
          thrown == null ? Outcome.OK : Outcome.of(thrown), seq, Clock.fromNanoTime(t0));
    } catch (Throwable t) {
      Recorder.countInternalError();
    }
  }
}
