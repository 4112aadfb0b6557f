package dev.racetrace.sample.node;

import java.util.Locale;

/** How a node orders each key's operations. */
public enum Mode {
  /**
   * As the field ships it: the log goes straight onto the work queue and the three guards
   * (startup latch, ready flag, timed wait) are all that stand between {@code derive} and stale
   * metadata.
   */
  BROKEN,
  /**
   * Per-entity synchronization: a {@link DependencyGate} lets a key's next operation onto the
   * work queue only when the key's previous one has finished, on its success, failure and no-op
   * paths alike. No global lock; other keys are not held up.
   */
  FIXED;

  /** Parses {@code broken} or {@code fixed} (any case). */
  public static Mode parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("--mode " + s + ": expected broken or fixed");
    }
  }

  /** Lower-case name, as on the command line. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
