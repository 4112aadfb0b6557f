package dev.racetrace.agent.control;

/**
 * racetrace's JMX interface ({@code dev.racetrace:type=Control}), reachable through the local
 * attach mechanism only (same OS user): counters, and the flight-recorder dump, which needs the
 * token printed at start.
 */
public interface RacetraceControlMBean {
  /** {@code stream} or {@code flight}. */
  String getMode();

  /** Events dropped because a ring was full. */
  long getDroppedEvents();

  /** Spans handed to the exporters successfully. */
  long getExportedSpans();

  /**
   * Flight mode: export the retained spans now.
   *
   * @param token the token printed in the agent's start line
   * @return what happened, in one line
   */
  String dump(String token);
}
