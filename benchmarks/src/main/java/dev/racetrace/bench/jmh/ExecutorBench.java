package dev.racetrace.bench.jmh;

import dev.racetrace.core.hook.ExecutorHooks;
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
 * SynchronousQueue has no taker, so every task is rejected to the JDK's CallerRunsPolicy. racetrace
 * considers that pool safe to wrap, so the hook records the submit, wraps the task (one
 * allocation, by design) and the wrapper records the task's start and end: 3 events per op.
 * {@code direct_*} uses a same-thread executor that is not a JDK class: the hook records the submit
 * only (1 event) and does not wrap.
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

  /** Same-thread executor that racetrace does not wrap for (not a JDK class). */
  static final class DirectExecutor implements Executor {
    @Override
    public void execute(Runnable command) {
      command.run();
    }
  }

  /** A pool whose tasks all run on the submitting thread (CallerRunsPolicy), see class doc. */
  public static class Pools {
    ThreadPoolExecutor pool;
    Executor direct;
    private CountDownLatch release;

    void setUp() throws InterruptedException {
      release = new CountDownLatch(1);
      pool = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
          new ThreadPoolExecutor.CallerRunsPolicy());
      CountDownLatch started = new CountDownLatch(1);
      pool.execute(() -> {
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      started.await();
      direct = new DirectExecutor();
    }

    void tearDown() {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @State(Scope.Thread)
  public static class Own extends Pools {
    final Task task = new Task();

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
      setUp();
    }

    @TearDown(Level.Trial)
    public void stop() {
      tearDown();
    }
  }

  @State(Scope.Benchmark)
  public static class Shared extends Pools {
    @Setup(Level.Trial)
    public void start() throws InterruptedException {
      setUp();
    }

    @TearDown(Level.Trial)
    public void stop() {
      tearDown();
    }
  }

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
    ExecutorHooks.execute(s.pool, s.task, r.site);
    return s.task.runs;
  }

  @Benchmark
  public long direct_jdk(Own s) {
    s.direct.execute(s.task);
    return s.task.runs;
  }

  @Benchmark
  public long direct_hook(Own s, RecorderState r) {
    ExecutorHooks.execute(s.direct, s.task, r.site);
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
    ExecutorHooks.execute(s.pool, t.task, r.site);
    return t.task.runs;
  }
}
