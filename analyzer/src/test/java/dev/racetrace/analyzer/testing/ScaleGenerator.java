package dev.racetrace.analyzer.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes about {@code spans} spans of the sample scenario, streamed, as three nodes' OTLP JSON
 * lines files (512 spans a line, like the SDK's batch exporter): keys in interleaved batches of
 * 64, every 997th key raced on node-2. Run it to measure the analyzer:
 *
 * <pre>
 * java -cp analyzer/target/test-classes:analyzer/target/classes:$(cat cp.txt) \
 *     dev.racetrace.analyzer.testing.ScaleGenerator /tmp/scale 1000000
 * </pre>
 */
public final class ScaleGenerator {
  /** Spans one key costs on one node: 3 operations of 6 spans (enqueue, process, submit, run,
   * two guards or signals). */
  public static final int SPANS_PER_KEY = 18;
  private static final int BATCH = 64;

  private ScaleGenerator() {}

  /** Writes the files into {@code dir}; returns the number of spans written. */
  public static long generate(Path dir, long spans) throws IOException {
    Files.createDirectories(dir);
    long keysPerNode = Math.max(1, spans / (3L * SPANS_PER_KEY));
    long written = 0;
    for (String id : List.of("node-1", "node-2", "node-3")) {
      FakeNode n = FakeNode.named(id).stepEvery(Duration.ofNanos(50_000)).rules(SampleScenario.RULE);
      n.streamTo(dir.resolve(id + ".jsonl"), 512);
      for (long first = 0; first < keysPerNode; first += BATCH) {
        long last = Math.min(keysPerNode, first + BATCH);
        batch(n, first, last, id.equals("node-2"));
      }
      n.stats(0, 0);
      written += n.spanCount();
      n.finishStream();
    }
    return written;
  }

  private static void batch(FakeNode n, long first, long last, boolean brokenNode) {
    List<FakeNode.Task> as = new ArrayList<>();
    List<FakeNode.Task> bs = new ArrayList<>();
    List<FakeNode.Task> cs = new ArrayList<>();
    List<FakeNode.Element> ea = new ArrayList<>();
    List<FakeNode.Element> eb = new ArrayList<>();
    List<FakeNode.Element> ec = new ArrayList<>();
    for (long k = first; k < last; k++) {
      ea.add(n.enqueue(SampleScenario.A, "order-" + k));
      eb.add(n.enqueue(SampleScenario.B, "order-" + k));
      ec.add(n.enqueue(SampleScenario.C, "order-" + k));
    }
    for (int i = 0; i < ea.size(); i++) {
      as.add(n.dispatch(ea.get(i)));
      bs.add(n.dispatch(eb.get(i)));
      cs.add(n.dispatch(ec.get(i)));
    }
    List<FakeNode.Task> late = new ArrayList<>();
    for (int i = 0; i < as.size(); i++) {
      boolean raced = brokenNode && (first + i) % 997 == 0;
      if (raced) {
        late.add(as.get(i));
      } else {
        a(n, as.get(i));
      }
      FakeNode.Work b = n.run(bs.get(i), "worker-" + (i % 4)).seeing(SampleScenario.ENTITIES,
          raced ? 0 : 1).latchAwait(SampleScenario.STARTUP, true);
      if (raced) {
        b.timedWait(SampleScenario.METADATA, true, Duration.ofSeconds(30));
      } else {
        b.timedWait(SampleScenario.METADATA, false, Duration.ofNanos(20_000));
      }
      b.end();
      n.run(cs.get(i), "worker-" + ((i + 1) % 4)).latchAwait(SampleScenario.STARTUP, true)
          .flagRead(SampleScenario.READY, true).end();
    }
    for (FakeNode.Task t : late) {
      a(n, t);
    }
  }

  private static void a(FakeNode n, FakeNode.Task t) {
    n.run(t, "worker-" + (t.submitSeq % 4)).seeing(SampleScenario.ENTITIES, 0)
        .latchAwait(SampleScenario.STARTUP, true)
        .signal("condition.signal", "condition", SampleScenario.METADATA).end();
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/racetrace-scale");
    long spans = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
    long t0 = System.nanoTime();
    long written = generate(dir, spans);
    System.out.printf("wrote %d spans to %s in %.1f s%n", written, dir,
        (System.nanoTime() - t0) / 1e9);
  }
}
