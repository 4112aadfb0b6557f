package dev.racetrace.analyzer;

/**
 * What the analysis concludes as a whole, and the exit code that says so (CI-usable). Exit code
 * 1 is not an outcome: the analysis could not run (bad arguments or input).
 */
public enum Outcome {
  /** No node diverged and no ordering break was found. */
  NO_BREAK("no-break", 0),
  /** An ordering break was found on a node (the first one is reported with its guard). */
  ORDERING_BREAK("ordering-break", 2),
  /**
   * A node's state diverged but no ordering break explains it: the spans lack what is needed
   * (keys, operations, the node itself), or the cause was not recorded. Never reported as
   * "no break".
   */
  DIVERGENCE_UNEXPLAINED("divergence-unexplained", 3);

  private final String id;
  private final int exitCode;

  Outcome(String id, int exitCode) {
    this.id = id;
    this.exitCode = exitCode;
  }

  /** Stable id used in reports and the JSON's {@code verdict}, e.g. {@code divergence-unexplained}. */
  public String id() {
    return id;
  }

  /** The analyzer's exit code for this outcome: 0, 2 or 3. */
  public int exitCode() {
    return exitCode;
  }
}
