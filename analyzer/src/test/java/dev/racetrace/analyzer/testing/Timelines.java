package dev.racetrace.analyzer.testing;

import dev.racetrace.analyzer.input.Interner;
import dev.racetrace.analyzer.input.SpanFileReader;
import dev.racetrace.analyzer.input.SpanStore;
import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.OperationInstance;
import dev.racetrace.analyzer.timeline.TimelineBuilder;
import java.nio.file.Path;

/** Writes a scripted node as OTLP JSON lines, reads it back and builds its timeline. */
public final class Timelines {
  private Timelines() {}

  public static NodeTimeline of(Path dir, FakeNode node) throws Exception {
    Path file = node.writeOtlp(dir.resolve(node.id() + "-" + System.nanoTime() + ".jsonl"), 5);
    SpanStore store = new SpanStore(null);
    new SpanFileReader(new Interner()).read(file, store);
    return new TimelineBuilder(Long.MIN_VALUE, Long.MAX_VALUE)
        .build(node.id(), store.spans(node.id()), store.counters(node.id()));
  }

  /** The only instance of {@code op} on {@code key}. */
  public static OperationInstance op(NodeTimeline t, String key, String op) {
    return t.operations(key).stream().filter(o -> o.op().equals(op)).findFirst().orElseThrow();
  }
}
