package dev.racetrace.sample;

import dev.racetrace.sample.wire.RawRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a demo run produced, for tests and tools that run the demo programmatically.
 *
 * @param outDir the output directory
 * @param spansDir where the agent wrote spans ({@code <out>/spans})
 * @param rawStateFile {@code <out>/raw-state.json} (raw reads before any reconciliation)
 * @param agentJar the agent the nodes ran with, if any
 * @param nodes node ids
 * @param keys keys of the input log
 * @param congestedNode the node the seed picked for the burst of background work
 * @param rawState node id &rarr; key &rarr; raw record, before reconciliation
 * @param divergence the divergence of {@code rawState}
 * @param reconcile the anti-entropy pass, with {@code --reconcile}
 * @param afterReconcile the divergence after it, with {@code --reconcile}
 * @param rawStateAfterReconcile raw state after it, with {@code --reconcile}
 * @param expectedValues each key's value when its operations run in log order
 * @param pids each node's process id (all exited when the result is returned)
 * @param ports each node's endpoint port (all closed when the result is returned)
 * @param analyzer the analyzer's outcome, if it ran
 */
public record DemoResult(
    Path outDir,
    Path spansDir,
    Path rawStateFile,
    Optional<Path> agentJar,
    List<String> nodes,
    List<String> keys,
    String congestedNode,
    Map<String, Map<String, RawRecord>> rawState,
    DivergenceReport divergence,
    Optional<Reconciler.Result> reconcile,
    Optional<DivergenceReport> afterReconcile,
    Optional<Map<String, Map<String, RawRecord>>> rawStateAfterReconcile,
    Map<String, String> expectedValues,
    Map<String, Long> pids,
    Map<String, Integer> ports,
    Optional<AnalyzerRunner.Outcome> analyzer) {

  /** The single node that diverged, if the run shows the race signature. */
  public Optional<String> oddNode() {
    return divergence.oddNode();
  }

  /** Keys on which the nodes disagreed (before reconciliation). */
  public List<String> divergentKeys() {
    return divergence.divergentKeys();
  }

  /** The analyzer's exit code, if it ran to completion. */
  public OptionalInt analyzerExitCode() {
    return analyzer.map(AnalyzerRunner.Outcome::exitCode).orElse(OptionalInt.empty());
  }

  /** The HTML report, if the analyzer wrote one. */
  public Optional<Path> report() {
    return analyzer.flatMap(AnalyzerRunner.Outcome::report);
  }
}
