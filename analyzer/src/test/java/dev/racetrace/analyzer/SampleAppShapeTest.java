package dev.racetrace.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racetrace.analyzer.testing.CommandRun;
import dev.racetrace.analyzer.testing.FakeNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shape the sample app's nodes have (sample-app {@code Node}, {@code WorkerLoop},
 * {@code DependencyGate}): long-lived {@code WorkerLoop} tasks on the pool take operations off a
 * priority {@code Node.workQueue} (foreground first) and process them inline; the startup latch
 * is awaited before every operation, {@code Node.ready} is read by derive and publish;
 * {@code load-metadata} updates an entity that already has metadata from the boot snapshot, so
 * derive's timed wait returns at once and records no guard. In fixed mode a per-key lane hands a
 * key's next operation to the worker that finished the previous one.
 */
class SampleAppShapeTest {
  private static final String RULE = "load-metadata < derive < publish per key";

  @TempDir
  Path dir;

  /** Broken node: the congested worker pool takes the foreground derive and publish first. */
  private static FakeNode directMode(String id, boolean congested) {
    FakeNode n = FakeNode.named(id).rules(RULE);
    FakeNode.Work loop1 = n.run(n.submit("WorkerLoop", null, "main"), id + "-worker-1");
    FakeNode.Work loop2 = n.run(n.submit("WorkerLoop", null, "main"), id + "-worker-2");
    String intake = id + "-intake";
    FakeNode.Element a = n.enqueueOn("Node.workQueue", "load-metadata", "k7", intake, Long.MIN_VALUE);
    if (!congested) {
      loadMetadata(n.process(a, id + "-worker-1"), 5).end();
    }
    FakeNode.Element b = n.enqueueOn("Node.workQueue", "derive", "k7", intake, Long.MIN_VALUE);
    FakeNode.Element c = n.enqueueOn("Node.workQueue", "publish", "k7", intake, Long.MIN_VALUE);
    n.process(b, id + "-worker-1").seeing("metadata.updates", congested ? 5 : 6)
        .latchAwait("Node.startupLatch", true).flagRead("Node.ready", true).end();
    n.process(c, id + "-worker-2").seeing("metadata.updates", congested ? 5 : 6)
        .latchAwait("Node.startupLatch", true).flagRead("Node.ready", true).end();
    if (congested) {
      loadMetadata(n.process(a, id + "-worker-1"), 5).end();
    }
    loop1.end();
    loop2.end();
    return n;
  }

  private static FakeNode.Work loadMetadata(FakeNode.Work w, long updatesBefore) {
    return w.seeing("metadata.updates", updatesBefore).latchAwait("Node.startupLatch", true)
        .lock("MetadataStore.lock").signal("condition.signal", "condition",
            "MetadataStore.registered").unlock("MetadataStore.lock")
        .seeing("metadata.updates", updatesBefore + 1);
  }

  /** Fixed mode: the worker that finished an operation polls the key's next one from its lane. */
  private static FakeNode laneMode(String id) {
    FakeNode n = FakeNode.named(id).rules(RULE);
    FakeNode.Work loop1 = n.run(n.submit("WorkerLoop", null, "main"), id + "-worker-1");
    String intake = id + "-intake";
    FakeNode.Element a = n.enqueueOn("Node.workQueue", "load-metadata", "k7", intake, Long.MIN_VALUE);
    FakeNode.Element b = n.enqueueOn("KeyLane.waiting", "derive", "k7", intake, Long.MIN_VALUE);
    FakeNode.Element c = n.enqueueOn("KeyLane.waiting", "publish", "k7", intake, Long.MIN_VALUE);
    FakeNode.Element x = n.enqueueOn("KeyLane.waiting", "derive", "k8", intake, Long.MIN_VALUE);
    loadMetadata(n.process(a, id + "-worker-1"), 5).end();
    n.process(b, id + "-worker-1", false).latchAwait("Node.startupLatch", true)
        .flagRead("Node.ready", true).end();
    n.process(c, id + "-worker-1", false).latchAwait("Node.startupLatch", true)
        .flagRead("Node.ready", true).end();
    n.process(x, id + "-worker-2", false).end();
    loop1.end();
    return n;
  }

  private Path write(List<FakeNode> nodes) throws Exception {
    Path spans = Files.createDirectories(dir.resolve("spans"));
    for (FakeNode n : nodes) {
      n.writeOtlp(spans.resolve(n.id() + ".jsonl"));
    }
    return spans;
  }

  private static Path rawState(Path file, String odd) throws Exception {
    StringBuilder sb = new StringBuilder("[");
    for (String n : List.of("node-1", "node-2", "node-3")) {
      sb.append(n.equals("node-1") ? "" : ",").append("{\"node\":\"").append(n)
          .append("\",\"key\":\"k7\",\"value\":\"").append(n.equals(odd) ? "1200" : "1440")
          .append("\",\"version\":1,\"metadataVersion\":").append(n.equals(odd) ? 1 : 2)
          .append(",\"writtenAtMicros\":1,\"origin\":\"").append(n).append("\"}");
    }
    return Files.writeString(file, sb.append("]").toString());
  }

  @Test
  void brokenModeDeriveOvertakesTheQueuedMetadataUpdate() throws Exception {
    Path spans = write(List.of(directMode("node-1", false), directMode("node-2", true),
        directMode("node-3", false)));
    Path raw = rawState(dir.resolve("raw-state.json"), "node-2");

    CommandRun.Result r = CommandRun.withJson(dir, spans, "--raw", raw.toString());

    assertThat(r.run().exit).isEqualTo(2);
    JsonNode b = r.firstBreak();
    assertThat(b.get("node").asText()).isEqualTo("node-2");
    assertThat(b.get("key").asText()).isEqualTo("k7");
    assertThat(b.get("early_op").asText()).isEqualTo("derive");
    assertThat(b.get("late_op").asText()).isEqualTo("load-metadata");
    assertThat(b.get("guard").get("kind").asText()).isEqualTo("readiness-flag");
    assertThat(b.get("guard").get("state_seen").get("metadata.updates").asLong()).isEqualTo(5);
    assertThat(b.get("guard").get("healthy_state_seen").get("metadata.updates").asLong())
        .isEqualTo(6);
    assertThat(b.get("healthy_order_guaranteed").asBoolean()).isFalse();
    assertThat(r.json().get("divergence").get(0).get("odd_node").asText()).isEqualTo("node-2");
  }

  @Test
  void healthyDirectModeHasNoBreakAndSaysTheOrderHeldByTiming() throws Exception {
    Path spans = write(List.of(directMode("node-1", false), directMode("node-2", false),
        directMode("node-3", false)));

    CommandRun.Result r = CommandRun.withJson(dir, spans);

    assertThat(r.run().exit).isZero();
    assertThat(r.json().get("enforcement").get(0).get("guaranteed").asBoolean()).isFalse();
  }

  @Test
  void fixedModeLanesHaveNoBreakAndTheOrderIsGuaranteed() throws Exception {
    Path spans = write(List.of(laneMode("node-1"), laneMode("node-2"), laneMode("node-3")));

    CommandRun.Result r = CommandRun.withJson(dir, spans);

    assertThat(r.run().exit).isZero();
    assertThat(r.json().get("enforcement")).isNotEmpty().allSatisfy(
        e -> assertThat(e.get("guaranteed").asBoolean()).as(e.toString()).isTrue());
  }
}
