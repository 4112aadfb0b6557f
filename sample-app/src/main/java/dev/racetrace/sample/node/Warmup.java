package dev.racetrace.sample.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a node's code paths once on a scratch node before the real one reports ready, as a service
 * warms up before it takes traffic. A cold JVM spends tens of milliseconds on the first run of
 * each path (class loading, lambda and string-concatenation bootstraps); on two cores shared by
 * three node JVMs that is enough to back up a healthy node's queue, and a backed-up queue is
 * exactly the congestion this sample reserves for one node.
 *
 * <p>The scratch node has the real node's mode, one worker, and works on keys named
 * {@code warmup-*}. Its operations are fed one at a time, each after the previous one finished,
 * so they run in order in either mode (with the agent attached its spans show no ordering break).
 */
public final class Warmup {
  /** Keys of the scratch node. */
  static final int KEYS = 3;

  private Warmup() {}

  /** Warms up the paths of a node configured as {@code config}. */
  public static void run(NodeConfig config, NodeLog log) throws InterruptedException {
    // One worker: its next dequeue ends the previous operation before the next one is admitted,
    // so even the agent's sequence numbers show each key's operations in order.
    NodeConfig scratchConfig = new NodeConfig(config.id(), config.seed(), KEYS, config.mode(),
        false, 1, config.metadataWaitMillis(), false);
    List<Operation> ops = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < KEYS; i++) {
      String key = "warmup-" + i;
      MetadataEntry v1 = new MetadataEntry(key, 1, 90 + i);
      ops.add(new LoadMetadata(offset++, v1));
      ops.add(new LoadMetadata(offset++, v1));
      ops.add(new LoadMetadata(offset++, new MetadataEntry(key, 2, 0)));
      ops.add(new Derive(offset++, key, 100 + i));
      ops.add(new Publish(offset++, key));
      ops.add(new Compaction(offset++, i, 0));
    }
    try (Node scratch = new Node(scratchConfig, new NodeLog(log.quiet(), false))) {
      scratch.start(List.of());
      for (int i = 0; i < ops.size(); i++) {
        scratch.admit(ops.get(i));
        if (!scratch.awaitCompleted(i + 1, Duration.ofSeconds(30))) {
          log.info("warm-up: " + ops.get(i) + " did not finish within 30 s");
          return;
        }
      }
      scratch.records().all();
    }
  }
}
