package dev.racetrace.agent.export;

/**
 * One exporter pass of an export mode (spans, the journal, both), and the pause after it. The
 * exporter thread runs passes until shutdown, then the exit drain runs them while the rings hold
 * events ({@link ExitDrain}). A pass can be run and checked on its own, without the thread.
 * Exporter thread only.
 */
interface ExportCycle {
  /**
   * Runs this mode's path once over records of its own before the first pass, so that the first
   * passes that meet the application's events are not the ones that load and compile it.
   */
  default void warmUp() {
  }

  /** The exit drain begins: its passes follow ({@link ExitDrain}). */
  default void exiting() {
  }

  /** One pass. @return true if it stopped at its per-pass limit (more is waiting) */
  boolean pass();

  /** How long to wait before the next pass, when the last one was not cut short. */
  long pauseNanos();

  /**
   * A rest the next pause lasts at least, even after a cut-short pass, that a ring's wake does not
   * end early (racetrace.export.cpu over its share, the rings drop); 0: none.
   */
  default long restNanos() {
    return 0;
  }

  /** Records written to the journal so far (0 when this mode has none). */
  default long journaledRecords() {
    return 0;
  }

  /** Events journaled but not assembled because of racetrace.export.cpu (0 outside live export with the journal). */
  default long notAssembledEvents() {
    return 0;
  }
}
