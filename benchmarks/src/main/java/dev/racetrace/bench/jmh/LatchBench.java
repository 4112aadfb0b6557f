package dev.racetrace.bench.jmh;

import dev.racetrace.core.hook.LatchHooks;
import java.util.concurrent.CountDownLatch;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latch await on an already open latch (the hook records the count seen, the time blocked and the
 * state probes) and countDown on a latch that stays closed (a real CAS every call; the hook reads
 * the count before and after). One recorded event per op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class LatchBench {

  /**
   * An open latch and a latch that cannot reach zero within an iteration. JMH runs its
   * {@code @Setup} for each state class below, which only choose the scope.
   */
  public abstract static class Latches {
    final CountDownLatch open = new CountDownLatch(0);
    CountDownLatch closed;

    @Setup(Level.Iteration)
    public void reset() {
      closed = new CountDownLatch(Integer.MAX_VALUE);
    }
  }

  @State(Scope.Thread)
  public static class Own extends Latches {}

  @State(Scope.Benchmark)
  public static class Shared extends Latches {}

  // ------------------------------------------------------------ one thread

  @Benchmark
  public void await_jdk(Own s) throws InterruptedException {
    s.open.await();
  }

  @Benchmark
  public void await_hook(Own s, RecorderState r) throws InterruptedException {
    LatchHooks.await(s.open, r.site);
  }

  @Benchmark
  public void countDown_jdk(Own s) {
    s.closed.countDown();
  }

  @Benchmark
  public void countDown_hook(Own s, RecorderState r) {
    LatchHooks.countDown(s.closed, r.site);
  }

  // ------------------------------------------------------------ two threads, one latch

  @Benchmark
  @Threads(2)
  public void x2_await_jdk(Shared s) throws InterruptedException {
    s.open.await();
  }

  @Benchmark
  @Threads(2)
  public void x2_await_hook(Shared s, RecorderState r) throws InterruptedException {
    LatchHooks.await(s.open, r.site);
  }

  @Benchmark
  @Threads(2)
  public void x2_countDown_jdk(Shared s) {
    s.closed.countDown();
  }

  @Benchmark
  @Threads(2)
  public void x2_countDown_hook(Shared s, RecorderState r) {
    LatchHooks.countDown(s.closed, r.site);
  }
}
