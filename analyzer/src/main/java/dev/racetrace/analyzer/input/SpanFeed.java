package dev.racetrace.analyzer.input;

import java.util.Map;

/**
 * What a {@link SpanProducer} hands its spans to: a resource, then for each span
 * {@link #begin}, its link and attributes ({@code race.*} keys as in span files, typed as OTLP
 * types them), {@link #end}. The same rules as for span files apply (spans without
 * {@code race.seq} are skipped, {@code racetrace.stats} spans give the node's counters). Not
 * thread-safe: one per producer.
 */
public final class SpanFeed {
  private final SpanSink sink;
  private final String fallbackNode;
  private final Interner interner = new Interner();
  private final SpanRecordBuilder b = new SpanRecordBuilder();
  private ResourceBlock block;

  SpanFeed(SpanSink sink, String fallbackNode) {
    this.sink = sink;
    this.fallbackNode = fallbackNode;
  }

  /**
   * Starts a resource (one node's process); the spans that follow belong to it.
   *
   * @param attributes the resource attributes as text ({@code service.instance.id},
   *     {@code service.name}, {@code racetrace.rules}, ...)
   */
  public void resource(Map<String, String> attributes) {
    block = new ResourceBlock(fallbackNode, sink);
    attributes.forEach(block.info::put);
    block.resolve();
  }

  /** Starts a span; ids are the low 64 bits, 0 for none. */
  public void begin(String name, long spanId, long parentSpanId, long startEpochNanos,
      long endEpochNanos) {
    b.reset();
    b.name = interner.intern(name);
    b.spanId = spanId;
    b.parentSpanId = parentSpanId;
    b.startNanos = startEpochNanos;
    b.endNanos = endEpochNanos;
  }

  /** A link of the current span; the first one counts, as in span files. */
  public void link(long spanId) {
    if (b.linkSpanId == 0) {
      b.linkSpanId = spanId;
    }
  }

  /** Whether the analysis uses attribute {@code attr}: the others need not be handed over. */
  public boolean wants(String attr) {
    return b.wants(attr);
  }

  /** @throws IllegalArgumentException if {@code attr} needs another type and {@code v} is not it */
  public void put(String attr, String v) {
    b.putString(attr, interner.intern(v));
  }

  public void put(String attr, long v) {
    b.putLong(attr, v);
  }

  public void put(String attr, boolean v) {
    b.putBoolean(attr, v);
  }

  public void put(String attr, double v) {
    b.putDouble(attr, v);
  }

  /** The current span is complete. */
  public void end() {
    if (block == null) {
      resource(Map.of());
    }
    block.accept(b, interner);
  }
}
