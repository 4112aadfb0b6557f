package dev.racetrace.core.hook;

import dev.racetrace.core.Clock;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.ThreadState;
import dev.racetrace.core.task.CapturedValue;
import dev.racetrace.core.task.TaskRuns;

/**
 * Called from advice inlined into application classes that implement BlockingQueue or Executor
 * themselves. The advice calls {@link #enterOp} on entry and one of these on exit (after
 * {@link #exitOp}); only a call that is not nested in an operation on the same object (a
 * call-site hook's, or the type's own) records.
 *
 * <p>Inlined advice names only hook classes, never {@link Recorder}: an application that bundles
 * racetrace's API may have loaded its own copy of {@code Recorder} before an attach, and a reference
 * from its classes would resolve to that idle copy. It never loads a hook class itself.
 */
public final class TypeHooks {
  private TypeHooks() {}

  /** Enters an operation on {@code target}: {@link Recorder#enterOp}. */
  public static Object enterOp(Object target) {
    return Recorder.enterOp(target);
  }

  /** Leaves it: {@link Recorder#exitOp}. */
  public static void exitOp(Object outer) {
    Recorder.exitOp(outer);
  }

  /** Whether {@code outer}, from {@link #enterOp}, says this call records. */
  public static boolean outermost(Object outer) {
    return outer != Recorder.SKIP;
  }

  /** @return the seq for a publishing call, taken on entry; 0 when not recording */
  public static long publishSeq(boolean outermost) {
    return outermost && Recorder.isRecording() ? Recorder.publishingSeq() : 0;
  }

  /**
   * An enqueue method returned or threw.
   *
   * @param result the method's return value (Boolean for offer/add, null for put)
   */
  public static void enqueued(Object q, Object e, long seq, long t0, Object result, Throwable thrown,
      boolean timed, int site) {
    if (seq == 0) {
      return;
    }
    ThreadState ts = Recorder.recordingState();
    if (ts == null) { // recording stopped during the call
      Recorder.publishingReturned(seq);
      return;
    }
    int outcome = thrown != null ? Outcome.of(thrown)
        : Boolean.FALSE.equals(result) ? (timed ? Outcome.TIMED_OUT : Outcome.REJECTED) : Outcome.OK;
    Events.queueEnqueue(ts, site, q, e, seq, Clock.fromNanoTime(t0), System.nanoTime() - t0, -1, outcome);
  }

  /** A dequeue method returned or threw. */
  public static void dequeued(boolean outermost, Object q, Object e, long t0, Throwable thrown,
      boolean timed, int site) {
    ThreadState ts = outermost ? Recorder.recordingState() : null;
    if (ts == null) {
      return;
    }
    long t1 = System.nanoTime();
    int outcome = thrown != null ? Outcome.of(thrown) : e != null ? Outcome.OK
        : timed ? Outcome.TIMED_OUT : Outcome.EMPTY;
    Events.queueDequeue(ts, site, q, e, Recorder.nextSeq(), Clock.fromNanoTime(t1), t1 - t0, -1, outcome, false);
  }

  /**
   * An application executor's execute is entered: takes the submit's seq and links the task to it
   * before the executor can hand it to a worker. @return the seq, 0 when not recorded
   */
  public static long submitSeq(boolean outermost, Object ex, Object task, long t0, int site) {
    if (!outermost || !Recorder.isRecording()) {
      return 0;
    }
    long seq = Recorder.publishingSeq();
    TaskRuns.link(task, ex, seq, t0, site, 0);
    return seq;
  }

  /**
   * An application executor's execute returned or threw. The task is the application's own object,
   * linked to this submit by {@link #submitSeq}; its run is recorded where a worker runs it.
   */
  public static void submitted(Object ex, Object task, long seq, long t0, Throwable thrown, int site) {
    if (seq == 0) {
      return;
    }
    if (thrown != null) {
      TaskRuns.unlink(task, seq);
    }
    ThreadState ts = Recorder.recordingState();
    if (ts == null) { // recording stopped during the call
      Recorder.publishingReturned(seq);
      return;
    }
    Object subject = CapturedValue.of(task); // a lambda's key and op: those of its captured keyed value
    Events.taskSubmit(ts, site, ex, subject, task != null, -1, -1, thrown == null ? Outcome.OK : Outcome.of(thrown),
        seq, Clock.fromNanoTime(t0));
  }
}
