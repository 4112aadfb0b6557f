package dev.racetrace.sample.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.sample.node.Mode;
import dev.racetrace.sample.node.Node;
import dev.racetrace.sample.node.NodeConfig;
import dev.racetrace.sample.node.NodeLog;
import dev.racetrace.sample.node.Scheduled;
import dev.racetrace.sample.node.Warmup;
import dev.racetrace.sample.node.Workload;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One chaos iteration: one node in this JVM (not three node JVMs: a node JVM costs about a second
 * to start, and the race needs only one node and the jitter), replaying the seed's input log
 * {@value #SPEEDUP} times faster than real time, with no compaction burst: the injected
 * {@code load-metadata} delay is the congestion. Its raw state must equal the value of applying
 * each key's log in order, which is what the healthy replicas hold.
 */
final class OneNodeRun {
  static final int KEYS = 6;
  static final long SPEEDUP = 25;
  private static final NodeLog QUIET = new NodeLog(new PrintStream(OutputStream.nullOutputStream()), false);

  private OneNodeRun() {}

  /** Runs the node code once before the runs, as every demo node does before it takes traffic. */
  static void warmUp(Mode mode) throws InterruptedException {
    Warmup.run(config(mode, 0), QUIET);
  }

  /** Replays the log of {@code seed} on a fresh node and checks every key's persisted value. */
  static void assertInOrder(Mode mode, long seed) throws InterruptedException {
    Workload w = Workload.generate(seed, KEYS);
    List<Scheduled> log = new ArrayList<>();
    for (Scheduled s : w.schedule(false)) {
      log.add(new Scheduled(s.atMillis() / SPEEDUP, s.op()));
    }
    Map<String, String> values = new LinkedHashMap<>();
    try (Node node = new Node(config(mode, seed), QUIET)) {
      node.start(w.snapshot());
      node.replay(log, System.nanoTime());
      assertThat(node.awaitFinished(Duration.ofSeconds(30))).as("seed %d: the log finished", seed).isTrue();
      node.records().all().forEach(r -> values.put(r.key(), r.value()));
    }
    assertThat(values).as("seed %d, %s mode: each key's value against applying its log in order", seed, mode)
        .isEqualTo(w.expectedValues());
  }

  private static NodeConfig config(Mode mode, long seed) {
    return new NodeConfig("node-1", seed, KEYS, mode, false, NodeConfig.DEFAULT_WORKERS,
        NodeConfig.DEFAULT_METADATA_WAIT_MILLIS, false);
  }
}
