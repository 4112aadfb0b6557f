package dev.racetrace.core.hook;

import static dev.racetrace.core.EventKind.FUTURE_GET;
import static dev.racetrace.core.EventKind.TASK_SUBMIT;

import dev.racetrace.core.Clock;
import dev.racetrace.core.Keys;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.TypeMarks;
import dev.racetrace.core.task.TaskWrapping;
import dev.racetrace.core.task.TracedCallable;
import dev.racetrace.core.task.TracedRunnable;
import dev.racetrace.core.task.TracedTask;
import dev.racetrace.core.task.TracingExecutor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Call-site hooks for Executor, ExecutorService, ScheduledExecutorService and the executor argument
 * of CompletableFuture's *Async methods. The submit's seq is taken before the task is handed over
 * and becomes the task's causal id; where {@link TaskWrapping} says it is safe, the task is wrapped
 * so its start and end on the worker are recorded too.
 */
public final class ExecutorHooks {
  private ExecutorHooks() {}

  public static void execute(Executor ex, Runnable r, int site) {
    if (!Recorder.shouldRecord() || TypeMarks.isMarked(ex, TypeMarks.EXECUTE)) {
      ex.execute(r);
      return;
    }
    long seq = Recorder.nextSeq();
    long now = System.nanoTime();
    boolean wrap = TaskWrapping.wrappable(r) && TaskWrapping.safeFor(ex);
    Runnable task = wrap ? new TracedRunnable(r, ex, seq, now, site) : r;
    try {
      ex.execute(task);
    } catch (Throwable t) {
      submitted(site, ex, r, seq, now, -1, wrap, Outcome.of(t));
      throw t;
    }
    submitted(site, ex, r, seq, now, -1, wrap, Outcome.OK);
  }

  public static Future<?> submit(ExecutorService ex, Runnable r, int site) {
    if (!Recorder.shouldRecord() || TypeMarks.isMarked(ex, TypeMarks.EXECUTE)) {
      return ex.submit(r);
    }
    long seq = Recorder.nextSeq();
    long now = System.nanoTime();
    boolean wrap = TaskWrapping.wrappable(r) && TaskWrapping.safeFor(ex);
    Future<?> f;
    try {
      f = ex.submit(wrap ? new TracedRunnable(r, ex, seq, now, site) : r);
    } catch (Throwable t) {
      submitted(site, ex, r, seq, now, -1, wrap, Outcome.of(t));
      throw t;
    }
    submitted(site, ex, r, seq, now, -1, wrap, Outcome.OK);
    return f;
  }

  public static Future<Object> submit(ExecutorService ex, Runnable r, Object result, int site) {
    if (!Recorder.shouldRecord() || TypeMarks.isMarked(ex, TypeMarks.EXECUTE)) {
      return ex.submit(r, result);
    }
    long seq = Recorder.nextSeq();
    long now = System.nanoTime();
    boolean wrap = TaskWrapping.wrappable(r) && TaskWrapping.safeFor(ex);
    Future<Object> f;
    try {
      f = ex.submit(wrap ? new TracedRunnable(r, ex, seq, now, site) : r, result);
    } catch (Throwable t) {
      submitted(site, ex, r, seq, now, -1, wrap, Outcome.of(t));
      throw t;
    }
    submitted(site, ex, r, seq, now, -1, wrap, Outcome.OK);
    return f;
  }

  public static Future<Object> submit(ExecutorService ex, Callable<Object> c, int site) {
    if (!Recorder.shouldRecord() || TypeMarks.isMarked(ex, TypeMarks.EXECUTE)) {
      return ex.submit(c);
    }
    long seq = Recorder.nextSeq();
    long now = System.nanoTime();
    boolean wrap = TaskWrapping.wrappable(c) && TaskWrapping.safeFor(ex);
    Future<Object> f;
    try {
      f = ex.submit(wrap ? new TracedCallable<>(c, ex, seq, now, site) : c);
    } catch (Throwable t) {
      submitted(site, ex, c, seq, now, -1, wrap, Outcome.of(t));
      throw t;
    }
    submitted(site, ex, c, seq, now, -1, wrap, Outcome.OK);
    return f;
  }

  public static ScheduledFuture<?> schedule(ScheduledExecutorService ex, Runnable r, long delay,
      TimeUnit unit, int site) {
    if (!Recorder.shouldRecord()) {
      return ex.schedule(r, delay, unit);
    }
    long seq = Recorder.nextSeq();
    long now = System.nanoTime();
    boolean wrap = TaskWrapping.wrappable(r) && TaskWrapping.safeFor(ex);
    ScheduledFuture<?> f;
    try {
      f = ex.schedule(wrap ? new TracedRunnable(r, ex, seq, now, site) : r, delay, unit);
    } catch (Throwable t) {
      submitted(site, ex, r, seq, now, QueueHooks.nanos(delay, unit), wrap, Outcome.of(t));
      throw t;
    }
    submitted(site, ex, r, seq, now, QueueHooks.nanos(delay, unit), wrap, Outcome.OK);
    return f;
  }

  public static ScheduledFuture<Object> schedule(ScheduledExecutorService ex, Callable<Object> c,
      long delay, TimeUnit unit, int site) {
    if (!Recorder.shouldRecord()) {
      return ex.schedule(c, delay, unit);
    }
    long seq = Recorder.nextSeq();
    long now = System.nanoTime();
    boolean wrap = TaskWrapping.wrappable(c) && TaskWrapping.safeFor(ex);
    ScheduledFuture<Object> f;
    try {
      f = ex.schedule(wrap ? new TracedCallable<>(c, ex, seq, now, site) : c, delay, unit);
    } catch (Throwable t) {
      submitted(site, ex, c, seq, now, QueueHooks.nanos(delay, unit), wrap, Outcome.of(t));
      throw t;
    }
    submitted(site, ex, c, seq, now, QueueHooks.nanos(delay, unit), wrap, Outcome.OK);
    return f;
  }

  public static ScheduledFuture<?> scheduleAtFixedRate(ScheduledExecutorService ex, Runnable r,
      long initialDelay, long period, TimeUnit unit, int site) {
    if (!Recorder.shouldRecord()) {
      return ex.scheduleAtFixedRate(r, initialDelay, period, unit);
    }
    long seq = Recorder.nextSeq();
    long now = System.nanoTime();
    boolean wrap = TaskWrapping.wrappable(r) && TaskWrapping.safeFor(ex);
    ScheduledFuture<?> f;
    try {
      f = ex.scheduleAtFixedRate(wrap ? new TracedRunnable(r, ex, seq, now, site) : r, initialDelay,
          period, unit);
    } catch (Throwable t) {
      submitted(site, ex, r, seq, now, QueueHooks.nanos(initialDelay, unit), wrap, Outcome.of(t));
      throw t;
    }
    submitted(site, ex, r, seq, now, QueueHooks.nanos(initialDelay, unit), wrap, Outcome.OK);
    return f;
  }

  public static ScheduledFuture<?> scheduleWithFixedDelay(ScheduledExecutorService ex, Runnable r,
      long initialDelay, long delay, TimeUnit unit, int site) {
    if (!Recorder.shouldRecord()) {
      return ex.scheduleWithFixedDelay(r, initialDelay, delay, unit);
    }
    long seq = Recorder.nextSeq();
    long now = System.nanoTime();
    boolean wrap = TaskWrapping.wrappable(r) && TaskWrapping.safeFor(ex);
    ScheduledFuture<?> f;
    try {
      f = ex.scheduleWithFixedDelay(wrap ? new TracedRunnable(r, ex, seq, now, site) : r, initialDelay,
          delay, unit);
    } catch (Throwable t) {
      submitted(site, ex, r, seq, now, QueueHooks.nanos(initialDelay, unit), wrap, Outcome.of(t));
      throw t;
    }
    submitted(site, ex, r, seq, now, QueueHooks.nanos(initialDelay, unit), wrap, Outcome.OK);
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

  /**
   * shutdownNow returns the tasks that never ran; hand back the application's own objects, not
   * racetrace's wrappers.
   */
  public static List<Runnable> shutdownNow(ExecutorService ex, int site) {
    List<Runnable> pending = ex.shutdownNow();
    if (pending == null || pending.isEmpty()) {
      return pending;
    }
    boolean any = false;
    for (Runnable r : pending) {
      if (r instanceof TracedTask) {
        any = true;
        break;
      }
    }
    if (!any) {
      return pending;
    }
    List<Runnable> unwrapped = new ArrayList<>(pending.size());
    for (Runnable r : pending) {
      unwrapped.add((Runnable) TracedTask.unwrap(r));
    }
    return unwrapped;
  }

  /** ThreadPoolExecutor.remove(task) must also find a task racetrace wrapped. */
  public static boolean remove(ThreadPoolExecutor ex, Runnable task, int site) {
    if (ex.remove(task)) {
      return true;
    }
    if (task == null || task instanceof TracedTask) {
      return false;
    }
    for (Runnable queued : ex.getQueue()) {
      if (queued instanceof TracedTask && ((TracedTask) queued).delegate() == task) {
        return ex.remove(queued);
      }
    }
    return false;
  }

  /**
   * Replaces the executor argument of a CompletableFuture *Async call. The common pool is left as
   * it is: CompletableFuture treats it specially when its parallelism is 1.
   */
  public static Executor asyncExecutor(Executor ex, int site) {
    if (ex == null || !Recorder.isRecording() || ex == ForkJoinPool.commonPool()
        || ex instanceof TracingExecutor) {
      return ex;
    }
    return new TracingExecutor(ex, site);
  }

  // ---------------------------------------------------------------- recording

  private static Collection<Callable<Object>> submitAll(ExecutorService ex,
      Collection<Callable<Object>> tasks, int site) {
    boolean safe = TaskWrapping.safeFor(ex);
    List<Callable<Object>> out = safe ? new ArrayList<>(tasks.size()) : null;
    for (Callable<Object> c : tasks) {
      long seq = Recorder.nextSeq();
      long now = System.nanoTime();
      boolean wrap = safe && TaskWrapping.wrappable(c);
      submitted(site, ex, c, seq, now, -1, wrap, Outcome.OK);
      if (out != null) {
        out.add(wrap ? new TracedCallable<>(c, ex, seq, now, site) : c);
      }
    }
    return out != null ? out : tasks;
  }

  private static void submitted(int site, Object ex, Object task, long seq, long nanoTime,
      long delayNs, boolean wrapped, int outcome) {
    Recorder.record(TASK_SUBMIT, outcome, wrapped ? 1 : 0, site, ex, task, depth(ex), delayNs, -1,
        seq, Clock.fromNanoTime(nanoTime), Keys.of(task), task == null ? null : task.getClass());
  }

  private static void waited(int site, Object ex, long t0, long timeoutNs, int outcome) {
    long t1 = System.nanoTime();
    Recorder.recordWithState(FUTURE_GET, outcome, 0, site, ex, null, 0, t1 - t0, timeoutNs,
        Recorder.nextSeq(), Clock.fromNanoTime(t1), null, null);
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
