package dev.racetrace.core.task;

import dev.racetrace.core.Clock;
import dev.racetrace.core.Delays;
import dev.racetrace.core.Keys;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.ThreadState;
import dev.racetrace.core.hook.Events;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinTask;

/**
 * Links a task's run to its submit through {@link TaskTable}, with the application's own task
 * object: {@link #link} at the submit, and the run hooks where a task's {@code run()} or
 * {@code call()} is actually invoked: inside the JDK's executors (ThreadPoolExecutor's worker,
 * FutureTask, the ForkJoinTask adapters, CompletableFuture's async tasks, the thread-per-task
 * executor) and at call sites in enabled classes (an application's or library's own executor).
 *
 * <p>A run hook calls the task exactly once and returns or throws exactly what it does. For a task
 * that was never linked (the common case outside the enabled packages) it costs one identity hash
 * and the reads of one bucket's keys. The table takes 1 MiB (16384 links in flight).
 */
public final class TaskRuns {
  private static final TaskTable TABLE = new TaskTable(1 << 14);

  private TaskRuns() {}

  /**
   * Links {@code task} to its submit. Call before the task is handed over: a worker may run it
   * before the submit returns.
   *
   * @param flags {@link TaskTable#PERIODIC} for tasks that run repeatedly, else 0
   * @return whether the run will be linked
   */
  public static boolean link(Object task, Object executor, long seq, long readyNanos, int site, long flags) {
    if (task == null) {
      return false;
    }
    try {
      return TABLE.put(TaskTable.keyOf(task), seq, readyNanos, site, System.identityHashCode(executor), flags);
    } catch (Throwable t) {
      Recorder.countInternalError();
      return false;
    }
  }

  /**
   * Whether {@code task} is linked to a submit and its run has not begun: its work starts where it
   * runs ({@link #begin}), not where a worker took it from a queue.
   */
  public static boolean linked(Object task) {
    try {
      long key = TaskTable.keyOf(task);
      int slot = TABLE.locate(key);
      return slot >= 0 && TABLE.version(slot, key) >= 0;
    } catch (Throwable t) {
      Recorder.countInternalError();
      return false;
    }
  }

  /** The submit of a linked task failed (rejected): its run will never come. */
  public static void unlink(Object task, long seq) {
    if (task == null) {
      return;
    }
    try {
      long key = TaskTable.keyOf(task);
      int slot = TABLE.locate(key);
      long v = slot < 0 ? -1 : TABLE.version(slot, key);
      if (v >= 0 && TABLE.seq(slot) == seq && TABLE.stillValid(slot, v)) {
        TABLE.take(slot, seq);
      }
    } catch (Throwable t) {
      Recorder.countInternalError();
    }
  }

  /** Runs a task where an executor runs it (JDK executors). */
  public static void run(Runnable task) {
    ThreadState ts = begin(task);
    if (ts == null) {
      task.run();
      return;
    }
    long began = ts.beganRun(); // read before the task runs: a task it runs inline sets its own
    Object outer = Recorder.suspendOp(ts);
    Throwable failure = null;
    try {
      task.run();
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      end(ts, task, began, failure);
      Recorder.resumeOp(ts, outer);
    }
  }

  /**
   * Where a ForkJoinPool runs a CompletableFuture stage's task: its {@code exec()} calls
   * {@code tryFire(ASYNC)}, which is what the task's own {@code run()} does, so the task is run as
   * {@link #run(Runnable)} runs it. {@code mode} is always ASYNC there. @return null (exec drops it)
   */
  public static Object fire(Runnable completion, int mode) {
    run(completion);
    return null;
  }

  /**
   * Runs a ForkJoinTask where a ForkJoinPool (or a joining thread) runs it: the {@code exec()} call
   * of {@code ForkJoinTask.doExec}. Covers tasks handed over as ForkJoinTasks ({@code invoke},
   * {@code submit}/{@code execute} of a RecursiveTask or RecursiveAction).
   */
  public static boolean exec(ForkJoinTask<?> task) {
    // exec() is called from this very method (not through ForkJoinExec.exec): a failing task's
    // stack then shows one racetrace frame here, as under every other run point
    ThreadState ts = begin(task);
    if (ts == null) {
      try {
        return (boolean) ForkJoinExec.EXEC.invokeExact(task);
      } catch (Throwable t) {
        throw ForkJoinExec.<RuntimeException>rethrow(t);
      }
    }
    long began = ts.beganRun();
    Object outer = Recorder.suspendOp(ts);
    Throwable failure = null;
    try {
      return (boolean) ForkJoinExec.EXEC.invokeExact(task);
    } catch (Throwable t) {
      failure = t;
      throw ForkJoinExec.<RuntimeException>rethrow(t);
    } finally {
      end(ts, task, began, failure);
      Recorder.resumeOp(ts, outer);
    }
  }

  /**
   * What CompletableFuture's thread-per-task executor (JDK 17 when the common pool's parallelism is
   * 1 or less) is given for a linked task: the new thread's target, which runs the task as
   * {@link #run(Runnable)} does. That executor only does {@code new Thread(target).start()}, so
   * the runner is never seen by the application (the task it runs is CompletableFuture's own);
   * the thread is created as for the task itself (same name sequence, group, daemon status and
   * inherited values, all taken from the calling thread).
   */
  public static Runnable onNewThread(Runnable task) {
    return new NewThreadRun(task);
  }

  /** The target of a thread started for one linked task, see {@link #onNewThread}. */
  private static final class NewThreadRun implements Runnable {
    private final Runnable task;

    NewThreadRun(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      TaskRuns.run(task);
    }

    @Override
    public String toString() {
      return String.valueOf(task);
    }
  }

  /** Call-site form of {@link #run(Runnable)}, for {@code Runnable.run()} calls in enabled classes. */
  public static void run(Runnable task, int site) {
    run(task);
  }

  /**
   * Calls a task where an executor calls it (JDK executors). The body is {@link #run(Runnable)}'s
   * written again on purpose: one shared body would need a lambda around the task, allocated per run.
   */
  public static Object call(Callable<?> task) throws Exception {
    ThreadState ts = begin(task);
    if (ts == null) {
      return task.call();
    }
    long began = ts.beganRun();
    Object outer = Recorder.suspendOp(ts);
    Throwable failure = null;
    try {
      return task.call();
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      end(ts, task, began, failure);
      Recorder.resumeOp(ts, outer);
    }
  }

  /** Call-site form of {@link #call(Callable)}, for {@code Callable.call()} calls in enabled classes. */
  public static Object call(Callable<?> task, int site) throws Exception {
    return call(task);
  }

  /** Links lost so far (see {@link TaskTable#lostLinks}). */
  public static long lostLinks() {
    return TABLE.lostLinks();
  }

  /**
   * Records the start of a linked task. @return the calling thread's state, its
   * {@link ThreadState#beganRun()} set to the task's causal id (the submit's seq, with
   * {@link ThreadState#PERIODIC_RUN} for a periodic task); or null when the task is not linked or
   * nothing is recorded. The thread's state is looked up only for a linked task, once for the run.
   */
  static ThreadState begin(Object task) {
    if (!Recorder.isRecording() || task == null) {
      return null;
    }
    try {
      long key = TaskTable.keyOf(task);
      int slot = TABLE.locate(key);
      if (slot < 0) {
        return null;
      }
      long v = TABLE.version(slot, key);
      if (v < 0) {
        return null;
      }
      long causal = TABLE.seq(slot);
      long ready = TABLE.readyNanos(slot);
      int site = TABLE.site(slot);
      int executorId = TABLE.executorId(slot);
      long flags = TABLE.flags(slot);
      if (!TABLE.stillValid(slot, v)) {
        return null; // overwritten while read: the link is lost (and counted by its writer)
      }
      boolean periodic = (flags & TaskTable.PERIODIC) != 0;
      if (!periodic) {
        TABLE.take(slot, causal);
      }
      ThreadState ts = Recorder.recordingState();
      if (ts == null) {
        return null;
      }
      long t = System.nanoTime();
      Object subject = CapturedValue.of(task);
      Object k = Keys.of(subject);
      Events.taskStart(ts, site, executorId, subject, k, causal, t - ready, Recorder.nextSeq(),
          Clock.fromNanoTime(t));
      Delays.atWorkStart(subject, k, site);
      ts.beganRun(periodic ? causal | ThreadState.PERIODIC_RUN : causal);
      return ts;
    } catch (Throwable t) {
      Recorder.countInternalError();
      return null;
    }
  }

  static void end(ThreadState ts, Object task, long began, Throwable failure) {
    try {
      long t = System.nanoTime();
      long causal = began & ~ThreadState.PERIODIC_RUN;
      if (began != causal) {
        TABLE.ready(TaskTable.keyOf(task), causal, t); // a periodic task is ready again from now
      }
      if (Recorder.isRecording()) {
        Events.taskEnd(ts, causal, failure == null ? Outcome.OK : Outcome.of(failure), Recorder.nextSeq(),
            Clock.fromNanoTime(t));
      }
    } catch (Throwable t) {
      Recorder.countInternalError();
    }
  }
}
