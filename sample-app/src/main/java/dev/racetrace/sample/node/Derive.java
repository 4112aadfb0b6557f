package dev.racetrace.sample.node;

import java.util.Optional;

/**
 * Operation B, {@code derive}: computes the entity's value from its payload and the metadata this
 * thread can see ({@code payload x rate / 100}; rate 100 when there is none) and stages it for
 * {@code publish}.
 *
 * <p>Its guards, in the order the worker meets them, are the ones the field trusts:
 * {@code Node.startupLatch} (awaited by the worker before every operation), the node-wide
 * {@code Node.ready} flag, and a timed wait for the key's metadata that goes on when it expires.
 * None of them asks the question that matters: has this key's latest {@code load-metadata} been
 * applied?
 */
public final class Derive extends LogEntry {
  /** The rate used when an entity has no metadata. */
  static final int NO_METADATA_RATE = 100;

  private final String key;
  private final long payload;

  /**
   * @param offset position in the input log
   * @param key the entity key
   * @param payload the raw value the rate applies to
   */
  public Derive(long offset, String key, long payload) {
    super(offset, Lane.FOREGROUND);
    this.key = key;
    this.payload = payload;
  }

  @Override
  public String key() {
    return key;
  }

  /** The payload the rate applies to. */
  public long payload() {
    return payload;
  }

  @Override
  public void apply(Node node) throws InterruptedException {
    // Guard 2: the node-wide readiness flag. True since boot; says nothing about this key.
    if (!node.ready) {
      throw new NotReadyException(this + " reached " + node.id() + " before it was ready");
    }
    // Guard 3: wait up to N ms for the key's metadata, then go on with whatever is there.
    long waitStart = System.nanoTime();
    Optional<MetadataEntry> seen = node.metadata.awaitEntry(key, node.config.metadataWaitMillis());
    long waitedMillis = (System.nanoTime() - waitStart) / 1_000_000;
    int rate = seen.map(MetadataEntry::rate).orElse(NO_METADATA_RATE);
    long metadataVersion = seen.map(MetadataEntry::version).orElse(0L);
    Derivation d = new Derivation(key, Long.toString(payload * rate / 100), metadataVersion,
        Node.epochMicros());
    node.derived.put(key, d);
    node.log.op(this, "derived " + d.value() + " from metadata v" + metadataVersion
        + (seen.isEmpty() ? " (waited " + waitedMillis + " ms, none came)" : ""));
  }

  @Override
  public String toString() {
    return "derive(" + key + " @" + offset() + ")";
  }
}
