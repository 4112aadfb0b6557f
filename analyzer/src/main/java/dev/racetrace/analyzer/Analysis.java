package dev.racetrace.analyzer;

import dev.racetrace.analyzer.rules.OrderGuarantee;
import dev.racetrace.analyzer.rules.OrderingRule;
import dev.racetrace.analyzer.timeline.NodeTimeline;
import java.util.List;
import java.util.Map;

/**
 * The result of an analysis: the five steps' findings, for the reports.
 *
 * @param nodes node ids, sorted
 * @param timelines each node's timeline
 * @param services {@code service.name} per node (where known)
 * @param files span files read
 * @param spansRead racetrace spans read
 * @param warnings things that make the result less certain (dropped events, skipped spans)
 * @param rules the rules applied (command line first, then those recorded by the agent)
 * @param divergenceSource where the compared values come from
 * @param divergence step 1, per key, sorted by key
 * @param focus step 2, or null when nothing stands out and no filter chose one
 * @param breaks step 4, the first break per node and key, by node then seq
 * @param focusBreak the first break at the focus, or null
 * @param guarantees on the healthy node at the focus key: whether orders that held were enforced
 * @param affected step 5
 */
public record Analysis(List<String> nodes, Map<String, NodeTimeline> timelines,
    Map<String, String> services, int files, long spansRead, List<String> warnings,
    List<OrderingRule> rules, DivergenceSource divergenceSource, List<KeyDivergence> divergence,
    Focus focus, List<BreakFinding> breaks, BreakFinding focusBreak,
    List<OrderGuarantee> guarantees, List<AffectedWindow> affected) {

  /** Exit code when no ordering break was found. */
  public static final int NO_BREAK = 0;
  /** Exit code when the analysis could not run. */
  public static final int ERROR = 1;
  /** Exit code when an ordering break was found. */
  public static final int BREAK_FOUND = 2;

  /** {@link #BREAK_FOUND} or {@link #NO_BREAK}. */
  public int exitCode() {
    return breaks.isEmpty() ? NO_BREAK : BREAK_FOUND;
  }
}
