package dev.racetrace.bench.jmh;

import dev.racetrace.core.Clock;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.task.TaskTable;
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
 * The parts a hook is made of, each on its own, to tell where the added nanoseconds of
 * {@link QueueBench} and friends go: the timestamp, the global sequence, the identity hashes and
 * the recorder's write into the calling thread's ring.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class PartsBench {

  /** A receiver object for the record benchmarks. */
  @State(Scope.Thread)
  public static class Target {
    final Object queue = new Object();
  }

  /** {@code System.nanoTime()}, the source of every timestamp. */
  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }

  /** racetrace's epoch clock: nanoTime plus an offset. */
  @Benchmark
  public long clockNow() {
    return Clock.now();
  }

  /** The global sequence: one fetch-add on a padded counter. */
  @Benchmark
  public long nextSeq() {
    return Recorder.nextSeq();
  }

  /** Identity hash of an object that already has one (in its header). */
  @Benchmark
  public int identityHash(Elements e) {
    return System.identityHashCode(e.next());
  }

  /** Allocation of an object, the baseline of {@link #identityHashFresh}. */
  @Benchmark
  public Object newObject() {
    return new Object();
  }

  /** Identity hash of a new object: generated and installed in its header. */
  @Benchmark
  public int identityHashFresh() {
    return System.identityHashCode(new Object());
  }

  /**
   * One {@code Recorder.record} call with everything precomputed: thread-local lookup, the two
   * identity hashes (cached), packing, and the ring write.
   */
  @Benchmark
  public void record(Target t, Elements e, RecorderState r) {
    Recorder.record(EventKind.QUEUE_ENQUEUE, Outcome.OK, 0, r.site, t.queue, e.next(), 1, 0, -1, 1L,
        1L, null, null);
  }

  /** A task, its executor and a side table of their own for {@link #sideTable}. */
  @State(Scope.Thread)
  public static class Link {
    final Object task = new Object();
    final Object executor = new Object();
    final TaskTable table = new TaskTable(1 << 14);
    long seq;
  }

  /**
   * What the side table adds to one task hand-off (in place of the wrapper's allocation): the
   * submit's link (two identity hashes of the task and class, one of the executor, a CAS and a
   * release) and the run's lookup, consistent read and take (one opaque store).
   */
  @Benchmark
  public long sideTable(Link l) {
    long seq = ++l.seq;
    TaskTable t = l.table;
    t.put(TaskTable.keyOf(l.task), seq, seq, 7, System.identityHashCode(l.executor), 0);
    long key = TaskTable.keyOf(l.task);
    int slot = t.locate(key);
    long v = t.version(slot, key);
    long causal = t.seq(slot);
    long read = causal + t.readyNanos(slot) + t.site(slot) + t.executorId(slot) + t.flags(slot);
    if (t.stillValid(slot, v)) {
      t.take(slot, causal);
    }
    return read;
  }

  @Benchmark
  @Threads(2)
  public long x2_nextSeq() {
    return Recorder.nextSeq();
  }

  @Benchmark
  @Threads(2)
  public long x2_nanoTime() {
    return System.nanoTime();
  }

  @Benchmark
  @Threads(2)
  public void x2_record(Target t, Elements e, RecorderState r) {
    Recorder.record(EventKind.QUEUE_ENQUEUE, Outcome.OK, 0, r.site, t.queue, e.next(), 1, 0, -1, 1L,
        1L, null, null);
  }
}
