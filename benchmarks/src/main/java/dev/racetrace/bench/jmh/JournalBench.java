package dev.racetrace.bench.jmh;

import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.agent.export.journal.JournalWriter;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.hook.ExecutorHooks;
import dev.racetrace.core.hook.QueueHooks;
import dev.racetrace.core.site.CallSites;
import dev.racetrace.core.task.TaskRuns;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The exporter's side of an event in journal mode (the default): one pass of the drain taking a
 * thread's records out of its ring and {@link JournalWriter} copying them into a journal chunk,
 * per record. The records are those of the paced pipeline's hand-offs: an enqueue and a dequeue of
 * an element, a task submit and its run's start and end, written by the real hooks before each
 * invocation (not measured). The chunks go nowhere: the file write is the kernel's share, measured
 * by the whole-process runs. With {@code -prof gc}, B/op is the exporter's allocation per record.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@State(Scope.Thread)
public class JournalBench {
  /** Hand-offs written before each invocation: 5 records each (enqueue, dequeue, submit, start, end). */
  private static final int HAND_OFFS = 800;
  private static final int RECORDS = HAND_OFFS * 5;

  /** An element class of the application's, named by the journal's op lookup. */
  static final class Order {
    final int id;

    Order(int id) {
      this.id = id;
    }
  }

  private final Queue<Object> queue = new ArrayBlockingQueue<>(16);
  private final Object[] orders = new Object[1024];
  private final Executor direct = TaskRuns::run;
  private final Runnable task = () -> { };
  private final List<Long> ended = new ArrayList<>();
  /**
   * Which thread writes the records: {@code same}, the benchmark's own (cache-hot, the copy
   * alone), or {@code other}, a thread of its own per pass, as the application's threads do (the
   * drain then reads what another core wrote). With {@code other}, B/op also counts each new
   * thread's ring, allocated outside the measured drain.
   */
  @Param({"same", "other"})
  public String writer;

  /**
   * The queue's elements: {@code reused}, 1,024 objects round-robin (their identity hash, which the
   * journal records to pair an enqueue with its dequeue, is set once), or {@code fresh}, a new one
   * per hand-off, as most applications enqueue (the journal's first identity hash of an object
   * writes it into the object's header).
   */
  @Param({"reused", "fresh"})
  public String elements;

  private int site;
  private int next;
  private RingDrainer drainer;
  private JournalWriter journal;
  private long chunks;

  @Setup(Level.Trial)
  public void start() {
    Recorder.start(new Recorder.Settings(1 << 16, 512, 4));
    site = CallSites.register("dev.racetrace.bench.jmh.JournalBench", "handOff", 7, "Queue.offer",
        "JournalBench.queue");
    for (int i = 0; i < orders.length; i++) {
      orders[i] = new Order(i);
    }
    drainer = new RingDrainer(Recorder.registry(), new ThreadDirectory());
    JournalWriter.Output discard = new JournalWriter.Output() {
      @Override
      public void write(ByteBuffer chunk) {
        chunks++;
      }

      @Override
      public void close() {}
    };
    journal = new JournalWriter(discard, new Naming(OpNames.none()),
        Map.of("node", "bench", "service.name", "journal-bench"), 1 << 20);
  }

  /** The records of one pass, written by the hooks as the application's threads write them. */
  @Setup(Level.Invocation)
  public void record() throws InterruptedException {
    if (writer.equals("other")) {
      Thread t = new Thread(this::handOffs, "bench-app");
      t.start();
      t.join();
    } else {
      handOffs();
    }
  }

  private void handOffs() {
    for (int i = 0; i < HAND_OFFS; i++) {
      Object order = elements.equals("fresh") ? new Order(next++) : orders[next++ & (orders.length - 1)];
      QueueHooks.offer(queue, order, site);
      QueueHooks.poll(queue, site);
      ExecutorHooks.execute(direct, task, site);
    }
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public int drainToJournal() {
    journal.beginBatch(System.nanoTime(), System.currentTimeMillis() * 1_000_000L,
        drainer.dropped(), 0, 0);
    int n = drainer.drainTo(journal, JournalWriter.MAX_JOURNAL_RECORDS_PER_CYCLE, ended);
    journal.watermark(drainer.watermark());
    journal.flushIfOlder(System.nanoTime(), TimeUnit.SECONDS.toNanos(1));
    if (n != RECORDS) {
      throw new IllegalStateException("drained " + n + " records, expected " + RECORDS
          + " (dropped " + drainer.dropped() + ")");
    }
    return n;
  }

  @TearDown(Level.Trial)
  public void stop() {
    journal.close();
    Recorder.stop();
    System.out.println("racetrace-bench: JournalBench chunks=" + chunks);
  }
}
