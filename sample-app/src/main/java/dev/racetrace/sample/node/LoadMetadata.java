package dev.racetrace.sample.node;

/**
 * Operation A, {@code load-metadata}: registers (or updates) an entity's dependency metadata.
 *
 * <p>Runs in the {@link Lane#BACKGROUND} lane: metadata refreshes are treated as housekeeping.
 * Three outcomes, all of which count as "done" for the dependency gate: registered (success),
 * not newer (no-op: a duplicate delivery), rejected (failure: invalid metadata).
 */
public final class LoadMetadata extends LogEntry {
  private final MetadataEntry entry;

  /**
   * @param offset position in the input log
   * @param entry the metadata to register
   */
  public LoadMetadata(long offset, MetadataEntry entry) {
    super(offset, Lane.BACKGROUND);
    this.entry = entry;
  }

  @Override
  public String key() {
    return entry.key();
  }

  /** The metadata this operation carries. */
  public MetadataEntry entry() {
    return entry;
  }

  @Override
  public void apply(Node node) {
    MetadataStore.Applied applied = node.metadata.apply(entry);
    node.log.op(this, applied == MetadataStore.Applied.REGISTERED
        ? "registered metadata v" + entry.version() + " rate " + entry.rate()
        : "metadata v" + entry.version() + " is not newer: no-op");
  }

  @Override
  public String toString() {
    return "load-metadata(" + entry.key() + " v" + entry.version() + " @" + offset() + ")";
  }
}
