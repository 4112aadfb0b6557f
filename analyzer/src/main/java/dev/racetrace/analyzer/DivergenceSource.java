package dev.racetrace.analyzer;

/** Where the per-key values compared across nodes come from. */
public enum DivergenceSource {
  /** Node-local raw reads ({@code --raw}). */
  RAW_STATE,
  /**
   * No raw state: each node's last publish-like operation on the key (the last op of a rule, or
   * {@code publish}), represented by the operations that ended before it proceeded since the
   * previous publish &mdash; what the published value was derived from.
   */
  LAST_PUBLISH,
  /** No raw state and no publish-like operation anywhere: each node's order of operations. */
  OPERATION_ORDER
}
