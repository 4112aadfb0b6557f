package dev.racetrace.analyzer.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sample app's race as the agent would record it: three nodes of {@code sample-store}; per
 * key {@code load-metadata} (A), {@code derive} (B), {@code publish} (C), each enqueued on
 * {@code Node.workQueue}, dispatched and run on the {@code Node.workers} pool.
 *
 * <ul>
 *   <li>Healthy node: A runs first, loads the metadata and signals {@code Node.metadataArrived};
 *       B's timed wait on it returns signalled; C publishes.
 *   <li>Broken node ({@link Mode#BROKEN}, the broken keys only): A's task waits 17 minutes for
 *       a worker (congestion); B passes its guards ({@link BGuards}) with metadata missing, C
 *       publishes the stale value, then A runs.
 *   <li>{@link Mode#FIXED}: the same congestion, but B awaits a per-key latch that A counts down,
 *       and C one that B counts down: the order holds.
 * </ul>
 */
public final class SampleScenario {
  public static final String RULE = "load-metadata < derive < publish per key";
  public static final String A = "load-metadata";
  public static final String B = "derive";
  public static final String C = "publish";
  public static final String STARTUP = "Node.startupLatch";
  public static final String READY = "Node.ready";
  public static final String METADATA = "Node.metadataArrived";
  public static final String ENTITIES = "metadata.entities";

  /** Run mode. */
  public enum Mode {
    BROKEN, HEALTHY, FIXED
  }

  /** The guards B passes on the broken node. */
  public enum BGuards {
    /** Startup latch (already open), readiness flag (true), timed wait (expired). */
    ALL,
    /** Only the startup latch, already open. */
    LATCH,
    /** The startup latch and the readiness flag. */
    FLAG,
    /** Only the timed wait, which expires. */
    TIMED,
    /** No guard at all. */
    NONE
  }

  private final List<String> nodes = new ArrayList<>(List.of("node-1", "node-2", "node-3"));
  private final List<String> keys = new ArrayList<>(List.of("order-17"));
  private final Set<String> brokenKeys = new LinkedHashSet<>();
  private String brokenNode = "node-2";
  private Mode mode = Mode.BROKEN;
  private BGuards guards = BGuards.ALL;
  private final Map<String, Duration> skews = new HashMap<>();
  private final Map<String, Long> dropped = new HashMap<>();
  private boolean recordRules;

  public static SampleScenario broken() {
    return new SampleScenario();
  }

  public static SampleScenario healthy() {
    return new SampleScenario().mode(Mode.HEALTHY);
  }

  public static SampleScenario fixed() {
    return new SampleScenario().mode(Mode.FIXED);
  }

  public SampleScenario mode(Mode m) {
    this.mode = m;
    return this;
  }

  public SampleScenario guards(BGuards g) {
    this.guards = g;
    return this;
  }

  /** Keys, in enqueue order; the first is broken unless {@link #brokenKeys} says otherwise. */
  public SampleScenario keys(String... k) {
    keys.clear();
    keys.addAll(List.of(k));
    return this;
  }

  public SampleScenario brokenKeys(String... k) {
    brokenKeys.clear();
    brokenKeys.addAll(List.of(k));
    return this;
  }

  public SampleScenario brokenNode(String n) {
    this.brokenNode = n;
    return this;
  }

  public SampleScenario skew(String node, Duration d) {
    skews.put(node, d);
    return this;
  }

  public SampleScenario dropped(String node, long events) {
    dropped.put(node, events);
    return this;
  }

  /** Records the rule in the resources ({@code racetrace.rules}) instead of passing it. */
  public SampleScenario recordRules() {
    this.recordRules = true;
    return this;
  }

  private Set<String> brokenKeySet() {
    return brokenKeys.isEmpty() ? Set.of(keys.get(0)) : brokenKeys;
  }

  /** The nodes, scripted. */
  public List<FakeNode> build() {
    List<FakeNode> out = new ArrayList<>();
    for (String id : nodes) {
      FakeNode n = FakeNode.named(id);
      if (skews.containsKey(id)) {
        n.skew(skews.get(id));
      }
      if (recordRules) {
        n.rules(RULE);
      }
      script(n, id.equals(brokenNode) && mode != Mode.HEALTHY);
      if (dropped.containsKey(id)) {
        n.stats(dropped.get(id), 0);
      } else {
        n.stats(0, 0);
      }
      out.add(n);
    }
    return out;
  }

  private void script(FakeNode n, boolean congested) {
    Map<String, FakeNode.Task> tasks = new LinkedHashMap<>();
    Map<String, FakeNode.Element> elements = new LinkedHashMap<>();
    for (String op : List.of(A, B, C)) {
      for (String key : keys) {
        elements.put(op + key, n.enqueue(op, key));
      }
      n.advance(Duration.ofMillis(200));
    }
    for (String op : List.of(A, B, C)) {
      for (String key : keys) {
        tasks.put(op + key, n.dispatch(elements.get(op + key)));
      }
    }
    List<String> late = new ArrayList<>();
    Map<String, FakeNode.Work> waitingB = new LinkedHashMap<>();
    Map<String, FakeNode.Work> waitingC = new LinkedHashMap<>();
    for (String op : List.of(A, B, C)) {
      for (String key : keys) {
        boolean raced = congested && brokenKeySet().contains(key);
        FakeNode.Task t = tasks.get(op + key);
        if (op.equals(A)) {
          if (raced) {
            late.add(key);
          } else {
            runA(n, t, key, "worker-1");
          }
        } else if (op.equals(B)) {
          if (raced && mode == Mode.FIXED) {
            waitingB.put(key, n.run(t, "worker-2").seeing(ENTITIES, 0).latchAwait(STARTUP, true));
          } else if (raced) {
            brokenB(n.run(t, "worker-2").seeing(ENTITIES, 0)).end();
          } else {
            FakeNode.Work w = n.run(t, "worker-2").seeing(ENTITIES, 1).latchAwait(STARTUP, true)
                .flagRead(READY, true).timedWait(METADATA, false, Duration.ofMillis(1));
            if (mode == Mode.FIXED) {
              w.await("latch.await", "latch", entityLatch(key), Duration.ZERO)
                  .signal("latch.count_down", "latch", derivedLatch(key));
            }
            w.end();
          }
        } else {
          if (raced && mode == Mode.FIXED) {
            waitingC.put(key, n.run(t, "worker-3").seeing(ENTITIES, 0).latchAwait(STARTUP, true));
          } else {
            FakeNode.Work w = n.run(t, "worker-1").seeing(ENTITIES, raced ? 0 : 1)
                .latchAwait(STARTUP, true).flagRead(READY, true);
            if (mode == Mode.FIXED) {
              w.await("latch.await", "latch", derivedLatch(key), Duration.ZERO);
            }
            w.mark(C).end();
          }
        }
      }
    }
    if (!late.isEmpty()) {
      n.advance(Duration.ofMinutes(17));
      for (String key : late) {
        runA(n, tasks.get(A + key), key, "worker-1");
        FakeNode.Work b = waitingB.get(key);
        if (b != null) {
          b.seeing(ENTITIES, 1).await("latch.await", "latch", entityLatch(key),
              Duration.ofMinutes(17)).signal("latch.count_down", "latch", derivedLatch(key)).end();
          waitingC.get(key).seeing(ENTITIES, 1).await("latch.await", "latch", derivedLatch(key),
              Duration.ofMinutes(17)).mark(C).end();
        }
      }
    }
  }

  private void runA(FakeNode n, FakeNode.Task t, String key, String worker) {
    FakeNode.Work w = n.run(t, worker).seeing(ENTITIES, 0).latchAwait(STARTUP, true)
        .flagRead(READY, true).seeing(ENTITIES, 1)
        .signal("condition.signal", "condition", METADATA);
    if (mode == Mode.FIXED) {
      w.signal("latch.count_down", "latch", entityLatch(key));
    }
    w.end();
  }

  private FakeNode.Work brokenB(FakeNode.Work w) {
    switch (guards) {
      case ALL:
        return w.latchAwait(STARTUP, true).flagRead(READY, true)
            .timedWait(METADATA, true, Duration.ofSeconds(30));
      case LATCH:
        return w.latchAwait(STARTUP, true);
      case FLAG:
        return w.latchAwait(STARTUP, true).flagRead(READY, true);
      case TIMED:
        return w.timedWait(METADATA, true, Duration.ofSeconds(30));
      default:
        return w;
    }
  }

  private static String entityLatch(String key) {
    return "Node.entityLoaded[" + key + "]";
  }

  private static String derivedLatch(String key) {
    return "Node.entityDerived[" + key + "]";
  }

  /** Writes {@code <node>.jsonl} per node into {@code dir}; returns {@code dir}. */
  public Path writeOtlp(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (FakeNode n : build()) {
      n.writeOtlp(dir.resolve(n.id() + ".jsonl"), 7);
    }
    return dir;
  }

  /** Writes the raw state: the broken node holds {@code v0} for broken keys, others {@code v1}. */
  public Path writeRawState(Path file) throws IOException {
    StringBuilder sb = new StringBuilder("[\n");
    boolean first = true;
    for (String key : keys) {
      for (String node : nodes) {
        boolean stale = mode == Mode.BROKEN && node.equals(brokenNode) && brokenKeySet().contains(key);
        sb.append(first ? "" : ",\n").append("  {\"node\": \"").append(node)
            .append("\", \"key\": \"").append(key).append("\", \"value\": \"")
            .append(stale ? "derived-from-0-entities" : "derived-from-1-entity")
            .append("\", \"version\": ").append(stale ? 2 : 3).append('}');
        first = false;
      }
    }
    Files.writeString(file, sb.append("\n]\n").toString());
    return file;
  }
}
