package dev.racetrace.analyzer;

/** What the values of one key across nodes say. */
public enum Verdict {
  /** Every node holds the same value. (All wrong alike looks the same: not decidable without
   * the true value; suspect upstream input or deterministic logic.) */
  AGREE("agree"),
  /** Exactly one node differs and the others agree: the signature of a timing race on it. */
  ONE_DIFFERS("one-differs"),
  /** More than one value and no single odd node: non-deterministic computation or merge. */
  ALL_DIFFER("all-differ"),
  /** Some node has no value for the key. */
  MISSING("missing");

  private final String id;

  Verdict(String id) {
    this.id = id;
  }

  /** Stable id used in reports and JSON. */
  public String id() {
    return id;
  }
}
