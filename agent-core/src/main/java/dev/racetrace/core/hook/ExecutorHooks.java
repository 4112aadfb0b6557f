package dev.racetrace.core.hook;

import dev.racetrace.core.Clock;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.ThreadState;
import dev.racetrace.core.task.CapturedValue;
import dev.racetrace.core.task.TaskRuns;
import dev.racetrace.core.task.TaskTable;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Call-site hooks for Executor, ExecutorService and ScheduledExecutorService, and the recording of
 * CompletableFuture's hand-offs ({@link StageHooks}, through {@link dev.racetrace.core.task.TracingExecutor}). The submit's seq is taken before the task is handed over
 * and becomes the task's causal id. The task object itself is handed over unchanged: it is linked to
 * the submit by its identity ({@link TaskRuns#link}) before the hand-over, and its start and end are
 * recorded where the executor runs it.
 *
 * <p>Long on purpose: one hand-expanded hook per JDK method, each making the application's own call
 * itself (no helper or lambda in between), so that stack traces, exceptions and blocking stay the
 * application's and nothing is allocated. {@code HookCopiesTest} keeps the copies of one body
 * alike.
 */
public final class ExecutorHooks {
  private ExecutorHooks() {}

  // hand-expanded (not a call of the four-argument form): an exception the executor throws must
  // show one racetrace frame, as every hook's does
  public static void execute(Executor ex, Runnable r, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      ex.execute(r);
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long now = System.nanoTime();
    // read before the hand-off: a CompletableFuture task lets go of its function once it has run
    Object subject = CapturedValue.of(r);
    boolean linked = TaskRuns.link(r, ex, seq, now, site, 0);
    try {
      ex.execute(r);
    } catch (Throwable t) {
      TaskRuns.unlink(r, seq);
      submittedAbout(ts, site, ex, subject, seq, now, -1, linked, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    submittedAbout(ts, site, ex, subject, seq, now, -1, linked, Outcome.OK);
  }

  /**
   * {@code ex.execute(r)}, recorded; with {@code ownThread}, {@code ex} is CompletableFuture's
   * thread-per-task executor (JDK 17 with a common pool of parallelism 1), which starts a new thread
   * on what it is given: it is given a {@link TaskRuns#onNewThread} runner of {@code r} instead,
   * so that the run is seen where that thread starts. Nothing else sees that runner.
   */
  public static void execute(Executor ex, Runnable r, int site, boolean ownThread) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      ex.execute(r);
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long now = System.nanoTime();
    // read before the hand-off: a CompletableFuture task lets go of its function once it has run
    Object subject = CapturedValue.of(r);
    boolean linked = TaskRuns.link(r, ex, seq, now, site, 0);
    try {
      ex.execute(ownThread && linked ? TaskRuns.onNewThread(r) : r);
    } catch (Throwable t) {
      TaskRuns.unlink(r, seq);
      submittedAbout(ts, site, ex, subject, seq, now, -1, linked, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    submittedAbout(ts, site, ex, subject, seq, now, -1, linked, Outcome.OK);
  }

  public static Future<?> submit(ExecutorService ex, Runnable r, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      return ex.submit(r);
    }
    long seq = Recorder.publishingSeq(ts);
    long now = System.nanoTime();
    boolean linked = TaskRuns.link(r, ex, seq, now, site, 0);
    Future<?> f;
    try {
      f = ex.submit(r);
    } catch (Throwable t) {
      TaskRuns.unlink(r, seq);
      submitted(ts, site, ex, r, seq, now, -1, linked, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    submitted(ts, site, ex, r, seq, now, -1, linked, Outcome.OK);
    return f;
  }

  public static Future<Object> submit(ExecutorService ex, Runnable r, Object result, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      return ex.submit(r, result);
    }
    long seq = Recorder.publishingSeq(ts);
    long now = System.nanoTime();
    boolean linked = TaskRuns.link(r, ex, seq, now, site, 0);
    Future<Object> f;
    try {
      f = ex.submit(r, result);
    } catch (Throwable t) {
      TaskRuns.unlink(r, seq);
      submitted(ts, site, ex, r, seq, now, -1, linked, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    submitted(ts, site, ex, r, seq, now, -1, linked, Outcome.OK);
    return f;
  }

  public static Future<Object> submit(ExecutorService ex, Callable<Object> c, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      return ex.submit(c);
    }
    long seq = Recorder.publishingSeq(ts);
    long now = System.nanoTime();
    boolean linked = TaskRuns.link(c, ex, seq, now, site, 0);
    Future<Object> f;
    try {
      f = ex.submit(c);
    } catch (Throwable t) {
      TaskRuns.unlink(c, seq);
      submitted(ts, site, ex, c, seq, now, -1, linked, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    submitted(ts, site, ex, c, seq, now, -1, linked, Outcome.OK);
    return f;
  }

  /** ForkJoinPool.submit(Callable), which returns a ForkJoinTask (a call site typed as the pool). */
  public static ForkJoinTask<Object> submit(ForkJoinPool ex, Callable<Object> c, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      return ex.submit(c);
    }
    long seq = Recorder.publishingSeq(ts);
    long now = System.nanoTime();
    boolean linked = TaskRuns.link(c, ex, seq, now, site, 0);
    ForkJoinTask<Object> f;
    try {
      f = ex.submit(c);
    } catch (Throwable t) {
      TaskRuns.unlink(c, seq);
      submitted(ts, site, ex, c, seq, now, -1, linked, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    submitted(ts, site, ex, c, seq, now, -1, linked, Outcome.OK);
    return f;
  }

  /** ForkJoinPool.submit(Runnable), which returns a ForkJoinTask. */
  public static ForkJoinTask<?> submit(ForkJoinPool ex, Runnable r, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      return ex.submit(r);
    }
    long seq = Recorder.publishingSeq(ts);
    long now = System.nanoTime();
    boolean linked = TaskRuns.link(r, ex, seq, now, site, 0);
    ForkJoinTask<?> f;
    try {
      f = ex.submit(r);
    } catch (Throwable t) {
      TaskRuns.unlink(r, seq);
      submitted(ts, site, ex, r, seq, now, -1, linked, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    submitted(ts, site, ex, r, seq, now, -1, linked, Outcome.OK);
    return f;
  }

  /** ForkJoinPool.submit(Runnable, result), which returns a ForkJoinTask. */
  public static ForkJoinTask<Object> submit(ForkJoinPool ex, Runnable r, Object result, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      return ex.submit(r, result);
    }
    long seq = Recorder.publishingSeq(ts);
    long now = System.nanoTime();
    boolean linked = TaskRuns.link(r, ex, seq, now, site, 0);
    ForkJoinTask<Object> f;
    try {
      f = ex.submit(r, result);
    } catch (Throwable t) {
      TaskRuns.unlink(r, seq);
      submitted(ts, site, ex, r, seq, now, -1, linked, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    submitted(ts, site, ex, r, seq, now, -1, linked, Outcome.OK);
    return f;
  }

  /** ForkJoinPool.execute(ForkJoinTask): run where ForkJoinTask.doExec runs it. */
  public static void execute(ForkJoinPool ex, ForkJoinTask<?> task, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      ex.execute(task);
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long now = System.nanoTime();
    boolean linked = TaskRuns.link(task, ex, seq, now, site, 0);
    try {
      ex.execute(task);
    } catch (Throwable t) {
      TaskRuns.unlink(task, seq);
      submitted(ts, site, ex, task, seq, now, -1, linked, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    submitted(ts, site, ex, task, seq, now, -1, linked, Outcome.OK);
  }

  /** ForkJoinPool.submit(ForkJoinTask), which returns the task itself. */
  public static ForkJoinTask<Object> submit(ForkJoinPool ex, ForkJoinTask<Object> task, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      return ex.submit(task);
    }
    long seq = Recorder.publishingSeq(ts);
    long now = System.nanoTime();
    boolean linked = TaskRuns.link(task, ex, seq, now, site, 0);
    ForkJoinTask<Object> f;
    try {
      f = ex.submit(task);
    } catch (Throwable t) {
      TaskRuns.unlink(task, seq);
      submitted(ts, site, ex, task, seq, now, -1, linked, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    submitted(ts, site, ex, task, seq, now, -1, linked, Outcome.OK);
    return f;
  }

  /**
   * ForkJoinPool.invoke(ForkJoinTask): the submit is recorded before the call, which also waits
   * for the task and throws what the task threw (not a failed hand-off).
   */
  public static Object invoke(ForkJoinPool ex, ForkJoinTask<Object> task, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      return ex.invoke(task);
    }
    try {
      long seq = Recorder.publishingSeq(ts);
      long now = System.nanoTime();
      submitted(ts, site, ex, task, seq, now, -1, TaskRuns.link(task, ex, seq, now, site, 0), Outcome.OK);
    } finally {
      Recorder.exitOp(ts, outer);
    }
    return ex.invoke(task);
  }

  public static ScheduledFuture<?> schedule(ScheduledExecutorService ex, Runnable r, long delay,
      TimeUnit unit, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      return ex.schedule(r, delay, unit);
    }
    long seq = Recorder.publishingSeq(ts);
    long now = System.nanoTime();
    boolean linked = TaskRuns.link(r, ex, seq, now, site, 0);
    ScheduledFuture<?> f;
    try {
      f = ex.schedule(r, delay, unit);
    } catch (Throwable t) {
      TaskRuns.unlink(r, seq);
      submitted(ts, site, ex, r, seq, now, QueueHooks.nanos(delay, unit), linked, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    submitted(ts, site, ex, r, seq, now, QueueHooks.nanos(delay, unit), linked, Outcome.OK);
    return f;
  }

  public static ScheduledFuture<Object> schedule(ScheduledExecutorService ex, Callable<Object> c,
      long delay, TimeUnit unit, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      return ex.schedule(c, delay, unit);
    }
    long seq = Recorder.publishingSeq(ts);
    long now = System.nanoTime();
    boolean linked = TaskRuns.link(c, ex, seq, now, site, 0);
    ScheduledFuture<Object> f;
    try {
      f = ex.schedule(c, delay, unit);
    } catch (Throwable t) {
      TaskRuns.unlink(c, seq);
      submitted(ts, site, ex, c, seq, now, QueueHooks.nanos(delay, unit), linked, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    submitted(ts, site, ex, c, seq, now, QueueHooks.nanos(delay, unit), linked, Outcome.OK);
    return f;
  }

  public static ScheduledFuture<?> scheduleAtFixedRate(ScheduledExecutorService ex, Runnable r,
      long initialDelay, long period, TimeUnit unit, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      return ex.scheduleAtFixedRate(r, initialDelay, period, unit);
    }
    long seq = Recorder.publishingSeq(ts);
    long now = System.nanoTime();
    boolean linked = TaskRuns.link(r, ex, seq, now, site, TaskTable.PERIODIC);
    ScheduledFuture<?> f;
    try {
      f = ex.scheduleAtFixedRate(r, initialDelay,
          period, unit);
    } catch (Throwable t) {
      TaskRuns.unlink(r, seq);
      submitted(ts, site, ex, r, seq, now, QueueHooks.nanos(initialDelay, unit), linked, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    submitted(ts, site, ex, r, seq, now, QueueHooks.nanos(initialDelay, unit), linked, Outcome.OK);
    return f;
  }

  public static ScheduledFuture<?> scheduleWithFixedDelay(ScheduledExecutorService ex, Runnable r,
      long initialDelay, long delay, TimeUnit unit, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, ex);
    if (outer == Recorder.SKIP) {
      return ex.scheduleWithFixedDelay(r, initialDelay, delay, unit);
    }
    long seq = Recorder.publishingSeq(ts);
    long now = System.nanoTime();
    boolean linked = TaskRuns.link(r, ex, seq, now, site, TaskTable.PERIODIC);
    ScheduledFuture<?> f;
    try {
      f = ex.scheduleWithFixedDelay(r, initialDelay,
          delay, unit);
    } catch (Throwable t) {
      TaskRuns.unlink(r, seq);
      submitted(ts, site, ex, r, seq, now, QueueHooks.nanos(initialDelay, unit), linked, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    submitted(ts, site, ex, r, seq, now, QueueHooks.nanos(initialDelay, unit), linked, Outcome.OK);
    return f;
  }

  public static List<Future<Object>> invokeAll(ExecutorService ex, Collection<Callable<Object>> tasks,
      int site) throws InterruptedException {
    if (!Recorder.shouldRecord() || tasks == null) {
      return ex.invokeAll(tasks);
    }
    Collection<Callable<Object>> submitted = submitAll(ex, tasks, site);
    long t0 = System.nanoTime();
    try {
      List<Future<Object>> r = ex.invokeAll(submitted);
      waited(site, ex, t0, -1, Outcome.OK);
      return r;
    } catch (Throwable t) {
      waited(site, ex, t0, -1, Outcome.of(t));
      throw t;
    }
  }

  public static List<Future<Object>> invokeAll(ExecutorService ex, Collection<Callable<Object>> tasks,
      long timeout, TimeUnit unit, int site) throws InterruptedException {
    if (!Recorder.shouldRecord() || tasks == null) {
      return ex.invokeAll(tasks, timeout, unit);
    }
    Collection<Callable<Object>> submitted = submitAll(ex, tasks, site);
    long t0 = System.nanoTime();
    try {
      List<Future<Object>> r = ex.invokeAll(submitted, timeout, unit);
      boolean allDone = true;
      for (Future<Object> f : r) {
        allDone &= !f.isCancelled();
      }
      waited(site, ex, t0, QueueHooks.nanos(timeout, unit), allDone ? Outcome.OK : Outcome.TIMED_OUT);
      return r;
    } catch (Throwable t) {
      waited(site, ex, t0, QueueHooks.nanos(timeout, unit), Outcome.of(t));
      throw t;
    }
  }

  public static Object invokeAny(ExecutorService ex, Collection<Callable<Object>> tasks, int site)
      throws InterruptedException, ExecutionException {
    if (!Recorder.shouldRecord() || tasks == null) {
      return ex.invokeAny(tasks);
    }
    Collection<Callable<Object>> submitted = submitAll(ex, tasks, site);
    long t0 = System.nanoTime();
    try {
      Object r = ex.invokeAny(submitted);
      waited(site, ex, t0, -1, Outcome.OK);
      return r;
    } catch (Throwable t) {
      waited(site, ex, t0, -1, Outcome.of(t));
      throw t;
    }
  }

  public static Object invokeAny(ExecutorService ex, Collection<Callable<Object>> tasks, long timeout,
      TimeUnit unit, int site) throws InterruptedException, ExecutionException, TimeoutException {
    if (!Recorder.shouldRecord() || tasks == null) {
      return ex.invokeAny(tasks, timeout, unit);
    }
    Collection<Callable<Object>> submitted = submitAll(ex, tasks, site);
    long t0 = System.nanoTime();
    try {
      Object r = ex.invokeAny(submitted, timeout, unit);
      waited(site, ex, t0, QueueHooks.nanos(timeout, unit), Outcome.OK);
      return r;
    } catch (Throwable t) {
      waited(site, ex, t0, QueueHooks.nanos(timeout, unit),
          t instanceof TimeoutException ? Outcome.TIMED_OUT : Outcome.of(t));
      throw t;
    }
  }

  // ---------------------------------------------------------------- recording

  private static Collection<Callable<Object>> submitAll(ExecutorService ex,
      Collection<Callable<Object>> tasks, int site) {
    ThreadState ts = Recorder.recordingState();
    if (ts == null) {
      return tasks; // recording stopped since shouldRecord
    }
    for (Callable<Object> c : tasks) {
      long seq = Recorder.publishingSeq(ts);
      long now = System.nanoTime();
      submitted(ts, site, ex, c, seq, now, -1, TaskRuns.link(c, ex, seq, now, site, 0), Outcome.OK);
    }
    return tasks;
  }

  private static void submitted(ThreadState ts, int site, Object ex, Object task, long seq, long nanoTime,
      long delayNs, boolean linked, int outcome) {
    // a lambda's key and op are those of the keyed value it captured
    submittedAbout(ts, site, ex, CapturedValue.of(task), seq, nanoTime, delayNs, linked, outcome);
  }

  /** As {@link #submitted} with the task's subject ({@link CapturedValue#of}) already read. */
  private static void submittedAbout(ThreadState ts, int site, Object ex, Object subject, long seq, long nanoTime,
      long delayNs, boolean linked, int outcome) {
    Events.taskSubmit(ts, site, ex, subject, linked, depth(ex), delayNs, outcome, seq, Clock.fromNanoTime(nanoTime));
  }

  /** invokeAll/invokeAny returned or threw: a wait on the tasks' futures, the executor standing for them. */
  private static void waited(int site, Object ex, long t0, long timeoutNs, int outcome) {
    ThreadState ts = Recorder.recordingState();
    if (ts != null) {
      Events.futureGet(ts, site, ex, 0, t0, timeoutNs, outcome);
    }
  }

  private static long depth(Object ex) {
    if (ex instanceof ThreadPoolExecutor) {
      BlockingQueue<Runnable> q = ((ThreadPoolExecutor) ex).getQueue();
      if (q.getClass() == LinkedBlockingQueue.class) {
        return q.size();
      }
    }
    return -1;
  }
}
