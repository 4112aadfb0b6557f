package dev.racetrace.analyzer.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A race of another shape than the sample app's, seeded: three replicas of a price cache. Per
 * key, {@code warm} (A) runs as a task on the {@code Node.workers} pool and signals a
 * {@code Condition}; {@code price} (B) and {@code publish} (C) are taken from
 * {@code PriceCache.requests} by its only consumer, the {@code pricer} thread. {@code price}
 * reads the global {@code PriceCache.ready} flag, then waits for the key to be warm in an
 * {@code awaitNanos} loop on the condition (a timed wait).
 *
 * <ul>
 *   <li>Healthy keys: either the key is already warm when {@code price} checks (no wait), or
 *       {@code price} waits and {@code warm} signals it in time; with a shared condition a wait
 *       may first be woken by another key's signal and loop.
 *   <li>{@link Mode#BROKEN}, on the congested node, for the raced keys: {@code warm} is stuck
 *       behind other work; {@code price}'s timed wait expires, it prices with a cold cache and
 *       {@code publish} publishes that; {@code warm} runs minutes later.
 *   <li>{@link Mode#FIXED}: the same congestion, but {@code price} waits without a timeout
 *       until {@code warm} signals it.
 * </ul>
 *
 * The seed decides the number of keys, the congested node, the raced keys, whether the
 * condition is shared by all keys, each healthy key's shape and the clock's jitter. With
 * {@link Guard#LATCH}, the same logical guard is a per-key {@code CountDownLatch} with a timed
 * await instead.
 */
public final class ConditionScenario {
  public static final String RULE = "warm < price < publish per key";
  public static final String A = "warm";
  public static final String B = "price";
  public static final String C = "publish";
  public static final String QUEUE = "PriceCache.requests";
  public static final String READY = "PriceCache.ready";
  /** The lock the condition belongs to: {@code warm} signals and {@code price} checks under it. */
  public static final String LOCK = "PriceCache.lock";

  /** Run mode. */
  public enum Mode {
    BROKEN, HEALTHY, FIXED
  }

  /** How {@code price} waits for its key to be warm: the same logical guard, two primitives. */
  public enum Guard {
    /** {@code Condition.awaitNanos} in a loop, signalled by {@code warm}. */
    CONDITION,
    /** A per-key {@code CountDownLatch.await(timeout)}, counted down by {@code warm}. */
    LATCH
  }

  private final long seed;
  private final Mode mode;
  private final List<String> nodes = List.of("node-1", "node-2", "node-3");
  private final List<String> keys = new ArrayList<>();
  private final Set<String> raced = new LinkedHashSet<>();
  private final String congested;
  private final boolean sharedCondition;
  private final Guard guard;

  public ConditionScenario(long seed, Mode mode) {
    this(seed, mode, Guard.CONDITION);
  }

  public ConditionScenario(long seed, Mode mode, Guard guard) {
    this.seed = seed;
    this.mode = mode;
    this.guard = guard;
    Random r = new Random(seed);
    int n = 3 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      keys.add("sku-" + (100 + i));
    }
    congested = nodes.get(r.nextInt(nodes.size()));
    raced.add(keys.get(r.nextInt(n)));
    if (r.nextBoolean()) {
      raced.add(keys.get(r.nextInt(n)));
    }
    sharedCondition = guard == Guard.CONDITION && r.nextBoolean();
  }

  public String congestedNode() {
    return congested;
  }

  /** The keys whose value goes stale on the congested node (broken mode). */
  public Set<String> racedKeys() {
    return raced;
  }

  public boolean sharedCondition() {
    return sharedCondition;
  }

  /** The object {@code price} waits on for {@code key}. */
  public String condition(String key) {
    if (guard == Guard.LATCH) {
      return "PriceCache.warmLatch[" + key + "]";
    }
    return sharedCondition ? "PriceCache.warmed" : "PriceCache.warmed[" + key + "]";
  }

  private String waitEvent() {
    return guard == Guard.LATCH ? "latch.await" : "condition.await";
  }

  private String kind() {
    return guard == Guard.LATCH ? "latch" : "condition";
  }

  private boolean stale(String node, String key) {
    return mode == Mode.BROKEN && node.equals(congested) && raced.contains(key);
  }

  /** The nodes, scripted. */
  public List<FakeNode> build() {
    List<FakeNode> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      FakeNode n = FakeNode.named(nodes.get(i));
      script(n, new Random(seed * 31 + i), mode != Mode.HEALTHY && nodes.get(i).equals(congested));
      out.add(n.stats(0, 0));
    }
    return out;
  }

  private void script(FakeNode n, Random r, boolean isCongested) {
    List<FakeNode.Task> lateWarms = new ArrayList<>();
    List<String> lateKeys = new ArrayList<>();
    for (String key : keys) {
      n.stepEvery(Duration.ofNanos(1000L * (500 + r.nextInt(1500))));
      FakeNode.Task warm = n.submit(A, key, "loader");
      FakeNode.Element price = n.enqueueOn(QUEUE, B, key, "producer", Long.MIN_VALUE);
      FakeNode.Element publish = n.enqueueOn(QUEUE, C, key, "producer", Long.MIN_VALUE);
      n.advance(Duration.ofMillis(r.nextInt(20)));
      String worker = "worker-" + (1 + r.nextInt(2));
      boolean racedHere = isCongested && raced.contains(key);
      if (racedHere && mode == Mode.BROKEN) {
        FakeNode.Work p = n.process(price, "pricer").seeing("warm.skus", 0).flagRead(READY, true);
        lockIfCondition(p);
        p.timedWaitExpired(waitEvent(), kind(), condition(key), Duration.ofMillis(50));
        if (guard == Guard.CONDITION) {
          p.conditionCheckAfterTimeout(condition(key)).unlock(LOCK);
        }
        p.end();
        n.process(publish, "pricer").seeing("warm.skus", 0).end();
        lateWarms.add(warm);
        lateKeys.add(key);
      } else if (racedHere) {
        FakeNode.Work p = n.process(price, "pricer").seeing("warm.skus", 0).flagRead(READY, true);
        lockIfCondition(p);
        n.advance(Duration.ofSeconds(2));
        runWarm(n, warm, key, worker);
        p.seeing("warm.skus", 1).await(waitEvent(), kind(), condition(key),
            Duration.ofSeconds(2));
        checkIfCondition(p, key, false);
        p.end();
        n.process(publish, "pricer").seeing("warm.skus", 1).end();
      } else if (guard == Guard.CONDITION && r.nextInt(3) == 0) {
        // Warm ends after price read the readiness flag but before price takes the lock and
        // checks the predicate: in order, since price decided under the lock.
        FakeNode.Work p = n.process(price, "pricer").seeing("warm.skus", 0).flagRead(READY, true);
        runWarm(n, warm, key, worker);
        p.seeing("warm.skus", 1);
        lockIfCondition(p);
        checkIfCondition(p, key, mode != Mode.FIXED);
        p.end();
        n.process(publish, "pricer").seeing("warm.skus", 1).end();
      } else if (r.nextBoolean()) {
        // Warm before price checks: the predicate holds, no wait at all (a latch already
        // counted down returns at once).
        runWarm(n, warm, key, worker);
        FakeNode.Work p = n.process(price, "pricer").seeing("warm.skus", 1).flagRead(READY, true);
        if (guard == Guard.LATCH) {
          p.timedAwaitSignalled(waitEvent(), kind(), condition(key), Duration.ZERO);
        }
        lockIfCondition(p);
        checkIfCondition(p, key, mode != Mode.FIXED);
        p.end();
        n.process(publish, "pricer").seeing("warm.skus", 1).end();
      } else {
        FakeNode.Work p = n.process(price, "pricer").seeing("warm.skus", 0).flagRead(READY, true);
        lockIfCondition(p);
        if (sharedCondition && r.nextBoolean()) {
          // Woken by another key's signalAll: the predicate is still false, it waits again.
          p.timedAwaitSignalled("condition.await", "condition", condition(key),
              Duration.ofMillis(1 + r.nextInt(5)));
        }
        runWarm(n, warm, key, worker);
        p.seeing("warm.skus", 1);
        if (mode == Mode.FIXED) {
          p.await(waitEvent(), kind(), condition(key), Duration.ofMillis(3));
        } else {
          p.timedAwaitSignalled(waitEvent(), kind(), condition(key),
              Duration.ofMillis(1 + r.nextInt(10)));
        }
        checkIfCondition(p, key, mode != Mode.FIXED);
        p.end();
        n.process(publish, "pricer").seeing("warm.skus", 1).end();
      }
    }
    if (!lateWarms.isEmpty()) {
      n.advance(Duration.ofMinutes(3));
      for (int i = 0; i < lateWarms.size(); i++) {
        runWarm(n, lateWarms.get(i), lateKeys.get(i), "worker-1");
      }
    }
  }

  private void runWarm(FakeNode n, FakeNode.Task warm, String key, String worker) {
    FakeNode.Work w = n.run(warm, worker).seeing("warm.skus", 0);
    lockIfCondition(w);
    w.signal(guard == Guard.LATCH ? "latch.count_down" : "condition.signal", kind(),
        condition(key));
    if (guard == Guard.CONDITION) {
      w.unlock(LOCK);
    }
    w.end();
  }

  private void lockIfCondition(FakeNode.Work w) {
    if (guard == Guard.CONDITION) {
      w.lock(LOCK);
    }
  }

  /**
   * What the agent records where {@code price} leaves its wait loop: the predicate check under
   * the lock ({@code condition.check}), then the unlock.
   */
  private void checkIfCondition(FakeNode.Work p, String key, boolean timedLoop) {
    if (guard == Guard.CONDITION) {
      p.conditionCheck(condition(key), timedLoop).unlock(LOCK);
    }
  }

  /** Writes {@code <node>.jsonl} per node into {@code dir}; returns {@code dir}. */
  public Path writeOtlp(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (FakeNode n : build()) {
      n.writeOtlp(dir.resolve(n.id() + ".jsonl"), 11);
    }
    return dir;
  }

  /** Writes the raw state: stale on the congested node for the raced keys (broken mode). */
  public Path writeRawState(Path file) throws IOException {
    StringBuilder sb = new StringBuilder("[");
    for (String key : keys) {
      for (String node : nodes) {
        sb.append(sb.length() == 1 ? "" : ",\n").append("{\"node\":\"").append(node)
            .append("\",\"key\":\"").append(key).append("\",\"value\":\"")
            .append(stale(node, key) ? "cold-price" : "warm-price").append("\"}");
      }
    }
    Files.writeString(file, sb.append("]").toString());
    return file;
  }

  @Override
  public String toString() {
    return "seed " + seed + " " + mode + " " + guard + ": keys " + keys + ", congested "
        + congested + ", raced " + raced + (sharedCondition ? ", shared condition" : "");
  }
}
