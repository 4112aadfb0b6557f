package dev.racetrace.sample.node;

/**
 * Operation C, {@code publish}: persists the value {@code derive} staged for the key. Nothing to
 * publish (no derive yet) is a no-op.
 */
public final class Publish extends LogEntry {
  private final String key;

  /**
   * @param offset position in the input log
   * @param key the entity key
   */
  public Publish(long offset, String key) {
    super(offset, Lane.FOREGROUND);
    this.key = key;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public void apply(Node node) {
    if (!node.ready) {
      throw new NotReadyException(this + " reached " + node.id() + " before it was ready");
    }
    Derivation d = node.derived.get(key);
    if (d == null) {
      node.log.op(this, "nothing derived yet: no-op");
      return;
    }
    StoredRecord r = node.records.publish(d);
    node.log.op(this, "published " + r.value() + " (version " + r.version() + ", metadata v"
        + r.metadataVersion() + ")");
  }

  @Override
  public String toString() {
    return "publish(" + key + " @" + offset() + ")";
  }
}
