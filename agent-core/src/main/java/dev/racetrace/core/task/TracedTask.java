package dev.racetrace.core.task;

import dev.racetrace.core.Clock;
import dev.racetrace.core.Delays;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.Keys;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;

/**
 * Common part of the task wrappers: remembers the submit (seq, time, call site, executor) and
 * records the task's start and end on the worker thread with the submit's seq as causal id.
 */
public abstract class TracedTask {
  final Object delegate;
  final Object executor;
  final long causalId;
  final int site;
  /** nanoTime the task became ready: the submit, then the end of the previous run (periodic tasks). */
  private long readyNanos;

  TracedTask(Object delegate, Object executor, long causalId, long submitNanos, int site) {
    this.delegate = delegate;
    this.executor = executor;
    this.causalId = causalId;
    this.readyNanos = submitNanos;
    this.site = site;
  }

  /** The application's task. */
  public Object delegate() {
    return delegate;
  }

  /** The seq of the submit that created this task. */
  public long causalId() {
    return causalId;
  }

  /** Records the start and returns the start nanoTime. */
  final long started() {
    long t = System.nanoTime();
    if (Recorder.isRecording()) {
      Object key = Keys.of(delegate);
      Recorder.recordWithState(EventKind.TASK_START, Outcome.OK, 0, site, executor, delegate,
          causalId, t - readyNanos, -1, Recorder.nextSeq(), Clock.fromNanoTime(t), key, delegate.getClass());
      Delays.atWorkStart(delegate, key, site);
    }
    return t;
  }

  final void ended(long startNanos, Throwable failure) {
    long t = System.nanoTime();
    readyNanos = t;
    if (Recorder.isRecording()) {
      Recorder.record(EventKind.TASK_END, failure == null ? Outcome.OK : Outcome.of(failure), 0, site,
          executor, delegate, causalId, t - startNanos, -1, Recorder.nextSeq(), Clock.fromNanoTime(t),
          null, null);
    }
  }

  /** Unwraps a traced task, returning any other object unchanged. */
  public static Object unwrap(Object o) {
    return o instanceof TracedTask ? ((TracedTask) o).delegate : o;
  }

  @Override
  public String toString() {
    return String.valueOf(delegate);
  }
}
