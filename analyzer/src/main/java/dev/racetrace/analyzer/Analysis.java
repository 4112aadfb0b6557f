package dev.racetrace.analyzer;

import dev.racetrace.analyzer.rules.OrderGuarantee;
import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.schema.OrderingRule;
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
 * @param rawNodes the nodes whose raw reads were loaded ({@code --raw}), sorted; empty without
 * @param unexplained diverged keys no break explains, with why and the most likely fix
 * @param agreeingBreaks rule violations on nodes whose raw state agrees for the key: not
 *     breaks of a diverged node (nothing went wrong there), reported as warnings
 * @param outcome the verdict of the whole analysis, which decides the exit code
 */
public record Analysis(List<String> nodes, Map<String, NodeTimeline> timelines,
    Map<String, String> services, int files, long spansRead, List<String> warnings,
    List<OrderingRule> rules, DivergenceSource divergenceSource, List<KeyDivergence> divergence,
    Focus focus, List<BreakFinding> breaks, BreakFinding focusBreak,
    List<OrderGuarantee> guarantees, List<AffectedWindow> affected, List<String> rawNodes,
    List<UnexplainedDivergence> unexplained, List<BreakFinding> agreeingBreaks,
    Outcome outcome) {

  /** Exit code when no node diverged and no ordering break was found. */
  public static final int NO_BREAK = 0;
  /** Exit code when the analysis could not run (bad arguments or input). */
  public static final int ERROR = 1;
  /** Exit code when an ordering break was found. */
  public static final int BREAK_FOUND = 2;
  /** Exit code when a node diverged and no ordering break explains it. */
  public static final int DIVERGENCE_UNEXPLAINED = 3;

  /** The exit code of {@link #outcome()}: 0, 2 or 3. */
  public int exitCode() {
    return outcome.exitCode();
  }
}
