package dev.racetrace.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racetrace.sample.node.Mode;
import dev.racetrace.sample.wire.Json;
import dev.racetrace.sample.wire.RawRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end, with real node processes (without the agent: the race is the app's own). */
class DemoRunnerTest {
  private static final int KEYS = 12;

  @TempDir
  Path out;

  private DemoOptions.Builder demo(long seed) {
    return DemoOptions.builder().seed(seed).keys(KEYS).agent("none").out(out).console(System.out);
  }

  @Test
  void brokenModeOneNodeDivergesAndNothingIsLeftBehind() throws Exception {
    long seed = 42;
    DemoResult r = DemoRunner.run(demo(seed).build());

    String context = "seed " + seed;
    assertThat(r.divergentKeys()).as(context).isNotEmpty();
    assertThat(r.oddNode()).as("%s: odd node (divergence %s)", context, r.divergence().oddCounts())
        .contains(r.congestedNode());
    for (String node : r.nodes()) {
      if (!node.equals(r.congestedNode())) {
        for (String key : r.keys()) {
          assertThat(r.rawState().get(node).get(key).value())
              .as("%s: healthy %s, %s", context, node, key).isEqualTo(r.expectedValues().get(key));
        }
      }
    }
    for (String key : r.divergentKeys()) {
      RawRecord stale = r.rawState().get(r.congestedNode()).get(key);
      RawRecord healthy = r.rawState().get(r.nodes().stream()
          .filter(n -> !n.equals(r.congestedNode())).findFirst().orElseThrow()).get(key);
      assertThat(stale.metadataVersion()).as("%s: %s derived from older metadata", context, key)
          .isLessThan(healthy.metadataVersion());
    }

    List<Object> raw = Json.parseArray(Files.readString(r.rawStateFile(), StandardCharsets.UTF_8));
    assertThat(raw).hasSize(r.nodes().size() * KEYS);
    for (Object o : raw) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) o;
      assertThat(m).containsKeys("node", "key", "value", "version");
      assertThat(r.nodes()).contains((String) m.get("node"));
    }
    assertThat(r.analyzer()).as("no agent, no analyzer").isEmpty();

    ProcessChecks.assertGone(r.pids().values(), context);
    r.ports().forEach((node, port) -> ProcessChecks.assertPortClosed(port, context + " " + node));
    ProcessChecks.assertNoLiveChildren(context);
  }

  @Test
  void reconciliationConvergesOnWhicheverValueWasWrittenLast() throws Exception {
    long seed = 7;
    DemoResult r = DemoRunner.run(demo(seed).reconcile(true).build());
    String context = "seed " + seed;
    assertThat(r.oddNode()).as(context).contains(r.congestedNode());
    assertThat(r.afterReconcile()).hasValueSatisfying(after ->
        assertThat(after.divergentKeys()).as("%s: after last-writer-wins", context).isEmpty());
    Map<String, Map<String, RawRecord>> after = r.rawStateAfterReconcile().orElseThrow();
    for (String key : r.divergentKeys()) {
      String winner = after.get(r.nodes().get(0)).get(key).value();
      RawRecord chosen = r.rawState().values().stream().map(m -> m.get(key))
          .filter(rec -> Objects.equals(rec.value(), winner))
          .max((a, b) -> Long.compare(a.writtenAtMicros(), b.writtenAtMicros())).orElseThrow();
      long latest = r.rawState().values().stream().mapToLong(m -> m.get(key).writtenAtMicros()).max()
          .orElseThrow();
      assertThat(chosen.writtenAtMicros()).as("%s: %s kept the last write", context, key).isEqualTo(latest);
    }
    assertThat(Files.exists(out.resolve("raw-state-after-reconcile.json"))).isTrue();
    ProcessChecks.assertGone(r.pids().values(), context);
    ProcessChecks.assertNoLiveChildren(context);
  }

  @Test
  void fixedModeAgreesUnderTheSameCongestion() throws Exception {
    long seed = 42;
    DemoResult r = DemoRunner.run(demo(seed).mode(Mode.FIXED).build());
    assertThat(r.divergentKeys()).as("seed %d, fixed", seed).isEmpty();
    for (String node : r.nodes()) {
      for (String key : r.keys()) {
        assertThat(r.rawState().get(node).get(key).value()).as("seed %d, fixed, %s, %s", seed, node, key)
            .isEqualTo(r.expectedValues().get(key));
      }
    }
    ProcessChecks.assertNoLiveChildren("seed " + seed + ", fixed");
  }

  @Test
  void aFailedRunStillStopsEveryProcess() {
    assertThatThrownBy(() -> DemoRunner.run(demo(3).startupTimeout(Duration.ofMillis(1)).build()))
        .isInstanceOf(NodeFailedException.class)
        .hasMessageContaining("did not start listening");
    ProcessChecks.assertNoLiveChildren("after a failed start");
  }
}
