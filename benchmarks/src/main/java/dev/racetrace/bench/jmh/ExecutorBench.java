package dev.racetrace.bench.jmh;

import dev.racetrace.core.hook.ExecutorHooks;
import dev.racetrace.core.task.TaskRuns;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Task submit and start. {@code execute_*} hands a trivial task to a real JDK
 * ThreadPoolExecutor that runs it on the calling thread: its single worker is kept busy and its
 * SynchronousQueue has no taker, so every task is rejected to CallerRunsPolicy. The hook records
 * the submit and links the task (by identity, no allocation); the run hook records the task's
 * start and end: 3 events per op. With the agent the JDK's CallerRunsPolicy calls the run hook
 * itself (its {@code r.run()} is rewritten); here, without the agent, the hooked pool's rejection
 * handler calls it, which is the same code. {@code direct_*} uses a same-thread executor of the
 * application's own (in an enabled package, so its {@code command.run()} is the run hook): also
 * submit, start and end. The {@code _jdk} variants use the plain JDK policy and executor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class ExecutorBench {

  /** A trivial task: bumps a plain counter. */
  static final class Task implements Runnable {
    long runs;

    @Override
    public void run() {
      runs++;
    }
  }

  /** Same-thread executor of the application's own. */
  static final class DirectExecutor implements Executor {
    @Override
    public void execute(Runnable command) {
      command.run();
    }
  }

  /** The same executor as racetrace rewrites it in an enabled package: the run goes through the run hook. */
  static final class HookedDirectExecutor implements Executor {
    @Override
    public void execute(Runnable command) {
      TaskRuns.run(command, 0);
    }
  }

  /**
   * A pool whose tasks all run on the submitting thread (CallerRunsPolicy), see class doc. JMH runs
   * its {@code @Setup} and {@code @TearDown} for each state class below, which only choose the
   * scope.
   */
  public abstract static class Pools {
    ThreadPoolExecutor pool;
    /** As {@link #pool}, with the run hook where the agent puts it in CallerRunsPolicy. */
    ThreadPoolExecutor hookedPool;
    Executor direct;
    Executor hookedDirect;
    private CountDownLatch release;

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
      release = new CountDownLatch(1);
      pool = busyPool(new ThreadPoolExecutor.CallerRunsPolicy());
      hookedPool = busyPool((r, executor) -> {
        if (!executor.isShutdown()) {
          TaskRuns.run(r);
        }
      });
      direct = new DirectExecutor();
      hookedDirect = new HookedDirectExecutor();
    }

    private ThreadPoolExecutor busyPool(java.util.concurrent.RejectedExecutionHandler policy)
        throws InterruptedException {
      ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
          policy);
      CountDownLatch started = new CountDownLatch(1);
      p.execute(() -> {
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      started.await();
      return p;
    }

    @TearDown(Level.Trial)
    public void stop() {
      release.countDown();
      pool.shutdownNow();
      hookedPool.shutdownNow();
    }
  }

  @State(Scope.Thread)
  public static class Own extends Pools {
    final Task task = new Task();
  }

  @State(Scope.Benchmark)
  public static class Shared extends Pools {}

  /** Per-thread task for the shared pools. */
  @State(Scope.Thread)
  public static class OwnTask {
    final Task task = new Task();
  }

  // ------------------------------------------------------------ one thread

  @Benchmark
  public long execute_jdk(Own s) {
    s.pool.execute(s.task);
    return s.task.runs;
  }

  @Benchmark
  public long execute_hook(Own s, RecorderState r) {
    ExecutorHooks.execute(s.hookedPool, s.task, r.site);
    return s.task.runs;
  }

  @Benchmark
  public long direct_jdk(Own s) {
    s.direct.execute(s.task);
    return s.task.runs;
  }

  @Benchmark
  public long direct_hook(Own s, RecorderState r) {
    ExecutorHooks.execute(s.hookedDirect, s.task, r.site);
    return s.task.runs;
  }

  // ------------------------------------------------------------ two threads, one pool

  @Benchmark
  @Threads(2)
  public long x2_execute_jdk(Shared s, OwnTask t) {
    s.pool.execute(t.task);
    return t.task.runs;
  }

  @Benchmark
  @Threads(2)
  public long x2_execute_hook(Shared s, OwnTask t, RecorderState r) {
    ExecutorHooks.execute(s.hookedPool, t.task, r.site);
    return t.task.runs;
  }
}
