package dev.racetrace.sample.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One node in this JVM: the race needs only congestion and the guards, nothing node-specific. */
class NodeTest {
  private static final NodeLog QUIET = new NodeLog(new PrintStream(OutputStream.nullOutputStream()), false);

  @Test
  void healthyBrokenNodeMatchesTheLogOrder() throws InterruptedException {
    Workload w = Workload.generate(21, 10);
    assertThat(run(w, Mode.BROKEN, false)).as("seed 21, not congested").isEqualTo(w.expectedValues());
  }

  @Test
  void congestedBrokenNodePublishesStaleValues() throws InterruptedException {
    Workload w = Workload.generate(21, 10);
    Map<String, String> values = run(w, Mode.BROKEN, true);
    assertThat(values).as("seed 21, congested: some key derived from stale metadata")
        .isNotEqualTo(w.expectedValues());
  }

  @Test
  void congestedFixedNodeMatchesTheLogOrder() throws InterruptedException {
    Workload w = Workload.generate(21, 10);
    assertThat(run(w, Mode.FIXED, true)).as("seed 21, congested, fixed").isEqualTo(w.expectedValues());
  }

  private static Map<String, String> run(Workload w, Mode mode, boolean congested)
      throws InterruptedException {
    NodeConfig config = new NodeConfig("node-1", w.seed(), w.keys().size(), mode, congested,
        NodeConfig.DEFAULT_WORKERS, NodeConfig.DEFAULT_METADATA_WAIT_MILLIS, false);
    Warmup.run(config, QUIET);
    try (Node node = new Node(config, QUIET)) {
      node.start(w.snapshot());
      node.replay(w.schedule(congested), System.nanoTime());
      assertThat(node.awaitFinished(Duration.ofSeconds(30))).as("seed %d finished", w.seed()).isTrue();
      Map<String, String> values = new LinkedHashMap<>();
      node.records().all().forEach(r -> values.put(r.key(), r.value()));
      return values;
    }
  }
}
