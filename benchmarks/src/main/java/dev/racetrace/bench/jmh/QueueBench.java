package dev.racetrace.bench.jmh;

import dev.racetrace.core.hook.QueueHooks;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Enqueue and dequeue: an {@code offer} followed by a {@code poll} on an ArrayBlockingQueue, with
 * one of the two going through racetrace's hook (one recorded event per op). The baseline
 * {@code pair_jdk} does both directly; the added cost of an event is {@code *_hook - pair_jdk}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class QueueBench {

  /** A queue of the benchmark thread's own. */
  @State(Scope.Thread)
  public static class Own {
    final Queue<Object> q = new ArrayBlockingQueue<>(1024);
  }

  /** One queue shared by both threads of the x2_ benchmarks. */
  @State(Scope.Benchmark)
  public static class Shared {
    final Queue<Object> q = new ArrayBlockingQueue<>(1024);
  }

  // ------------------------------------------------------------ one thread

  @Benchmark
  public Object pair_jdk(Own s, Elements e) {
    s.q.offer(e.next());
    return s.q.poll();
  }

  @Benchmark
  public Object offer_hook(Own s, Elements e, RecorderState r) {
    QueueHooks.offer(s.q, e.next(), r.site);
    return s.q.poll();
  }

  @Benchmark
  public Object poll_hook(Own s, Elements e, RecorderState r) {
    s.q.offer(e.next());
    return QueueHooks.poll(s.q, r.site);
  }

  /** Baseline with a new element per offer (16 B allocated by the benchmark itself). */
  @Benchmark
  public Object freshPair_jdk(Own s) {
    s.q.offer(new Object());
    return s.q.poll();
  }

  /** A new element per offer: the recorder computes its identity hash for the first time. */
  @Benchmark
  public Object freshOffer_hook(Own s, RecorderState r) {
    QueueHooks.offer(s.q, new Object(), r.site);
    return s.q.poll();
  }

  // ------------------------------------------------------------ two threads, one queue

  @Benchmark
  @Threads(2)
  public Object x2_pair_jdk(Shared s, Elements e) {
    s.q.offer(e.next());
    return s.q.poll();
  }

  @Benchmark
  @Threads(2)
  public Object x2_offer_hook(Shared s, Elements e, RecorderState r) {
    QueueHooks.offer(s.q, e.next(), r.site);
    return s.q.poll();
  }

  @Benchmark
  @Threads(2)
  public Object x2_poll_hook(Shared s, Elements e, RecorderState r) {
    s.q.offer(e.next());
    return QueueHooks.poll(s.q, r.site);
  }
}
