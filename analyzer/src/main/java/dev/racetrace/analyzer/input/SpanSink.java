package dev.racetrace.analyzer.input;

/** Receives what readers find, in file order. */
public interface SpanSink {

  /**
   * A resource (one node's process) was read.
   *
   * @param node the node id
   * @param service {@code service.name}, or null
   * @param rules {@code racetrace.rules}, or null
   */
  void resource(String node, String service, String rules);

  /** A span the analysis can use (never {@link SpanRole#IGNORED} or {@link SpanRole#STATS}). */
  void span(SpanRecord span);

  /** A {@code racetrace.stats} span's counters for {@code node}. */
  void counters(String node, NodeCounters counters);

  /** A span was skipped because it lacks {@code race.seq} or is not a racetrace span. */
  void skipped(String node);
}
