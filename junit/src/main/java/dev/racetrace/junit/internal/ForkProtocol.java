package dev.racetrace.junit.internal;

/**
 * What the test JVM tells its fork (system properties outside the {@code racetrace.} namespace,
 * which the agent checks strictly) and what the fork tells back (report
 * entries of each test run, collected into the result file).
 */
public final class ForkProtocol {
  /** Set in the fork only: the unique id of the test (or test template) it runs. */
  public static final String FORK = "dev.racetrace.junit.fork";
  /** Fork: seed of the first {@code @RepeatedChaos} run. */
  public static final String CHAOS_SEED = "dev.racetrace.junit.chaos.seed";
  /** Fork: number of {@code @RepeatedChaos} runs. */
  public static final String CHAOS_RUNS = "dev.racetrace.junit.chaos.runs";

  /** Report entry: the run's 1-based index. */
  public static final String ENTRY_RUN = "racetrace.run";
  /** Report entry: the run's seed. */
  public static final String ENTRY_SEED = "racetrace.seed";
  /** Report entry: when the run started, epoch ns on the agent's clock. */
  public static final String ENTRY_FROM = "racetrace.from";
  /** Report entry: when the run ended, epoch ns on the agent's clock. */
  public static final String ENTRY_TO = "racetrace.to";

  private ForkProtocol() {}

  /** Whether this JVM is a racetrace fork. */
  public static boolean inFork() {
    return System.getProperty(FORK) != null;
  }
}
