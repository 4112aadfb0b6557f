package dev.racetrace.bench.jmh;

import dev.racetrace.core.hook.TypeHooks;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An application's own queue type, recorded by advice woven into its methods
 * ({@code TypeAdviceWeaver} in the agent) rather than by a call-site hook: the benchmark makes the
 * calls the advice makes, in its order, around the queue's own {@code offer} or {@code poll}. The baseline is
 * {@code QueueBench.pair_jdk}; the added cost of an event is {@code *_advice - pair_jdk}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class AdviceBench {

  /** A queue of the benchmark thread's own. */
  @State(Scope.Thread)
  public static class Own {
    final Queue<Object> q = new ArrayBlockingQueue<>(1024);
  }

  @Benchmark
  public Object offer_advice(Own s, Elements e, RecorderState r) {
    Object element = e.next();
    // on entry: the seq before the clock
    Object ts = TypeHooks.state();
    Object outer = TypeHooks.enterOp(ts, s.q);
    long seq = TypeHooks.publishSeq(ts, outer);
    long t0 = System.nanoTime();
    boolean ok = s.q.offer(element);
    // on every exit
    TypeHooks.exitOp(ts, outer);
    TypeHooks.enqueued(ts, s.q, element, seq, t0, ok, null, false, r.site);
    return s.q.poll();
  }

  @Benchmark
  public Object poll_advice(Own s, Elements e, RecorderState r) {
    s.q.offer(e.next());
    // on entry (Dequeue)
    Object ts = TypeHooks.state();
    Object outer = TypeHooks.enterOp(ts, s.q);
    long t0 = System.nanoTime();
    Object element = s.q.poll();
    // on exit
    TypeHooks.exitOp(ts, outer);
    TypeHooks.dequeued(ts, outer, s.q, element, t0, null, false, r.site);
    return element;
  }
}
