package dev.racetrace.sample.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

/**
 * The input log, a pure function of the seed: every node that runs the same seed receives the
 * same operations at the same relative times, as replicas consuming one replicated log would.
 *
 * <p>Per key {@code i} (of {@code keys}), at {@code i x }{@value #KEY_STAGGER_MILLIS} ms (plus a
 * little seeded jitter):
 * <ul>
 *   <li><b>A</b> {@code load-metadata}: version 1 for an entity that is new, or version 2 (an
 *       update) for one whose version 1 is in the initial snapshot (about two thirds);</li>
 *   <li><b>B</b> {@code derive}, {@value #DERIVE_AFTER_LOAD_MILLIS} ms after A;</li>
 *   <li><b>C</b> {@code publish}, {@value #PUBLISH_AFTER_DERIVE_MILLIS} ms after B.</li>
 * </ul>
 * One key also gets a duplicate of its A (exercises the no-op path) and, when the snapshot has an
 * entity to spare, one gets an extra, invalid A (the failure path: rejected on every node).
 *
 * <p><b>Congestion.</b> The seed also picks a moment early in the log and the node that is
 * congested ({@link #congestedNode}). Only that node's schedule contains, at that moment, a burst
 * of {@value #BURST_JOBS} {@link Compaction} jobs of {@value #BURST_JOB_MILLIS} ms each. Nothing
 * else differs between nodes.
 */
public final class Workload {
  /** Time between two consecutive keys' A. */
  public static final long KEY_STAGGER_MILLIS = 10;
  /** Time from a key's A to its B, on every node. */
  public static final long DERIVE_AFTER_LOAD_MILLIS = 150;
  /** Time from a key's B to its C, on every node. */
  public static final long PUBLISH_AFTER_DERIVE_MILLIS = 100;
  /** Compaction jobs in the burst. */
  public static final int BURST_JOBS = 10;
  /** How long each compaction job keeps a worker busy. */
  public static final long BURST_JOB_MILLIS = 40;
  /** How long the initial snapshot takes to load (simulated fetch). */
  public static final long SNAPSHOT_LOAD_MILLIS = 10;

  private static final int MIN_RATE = 80;
  private static final int MAX_RATE = 130;

  private final long seed;
  private final List<String> keys;
  private final List<MetadataEntry> snapshot;
  private final List<Entry> stream;
  private final long burstAtMillis;
  private final Map<String, String> expected;

  /** One log entry before it has an offset. */
  private record Entry(long atMillis, LongFunction<Operation> create) {}

  private Workload(long seed, List<String> keys, List<MetadataEntry> snapshot, List<Entry> stream,
      long burstAtMillis, Map<String, String> expected) {
    this.seed = seed;
    this.keys = keys;
    this.snapshot = snapshot;
    this.stream = stream;
    this.burstAtMillis = burstAtMillis;
    this.expected = expected;
  }

  /**
   * Generates the log of {@code seed}.
   *
   * @param seed any long
   * @param keyCount number of entities, at least 1
   */
  public static Workload generate(long seed, int keyCount) {
    if (keyCount < 1) {
      throw new IllegalArgumentException("keys must be at least 1, got " + keyCount);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    String format = keyCount <= 100 ? "key-%02d" : "key-%04d";
    List<String> keys = new ArrayList<>(keyCount);
    List<MetadataEntry> snapshot = new ArrayList<>();
    List<Entry> stream = new ArrayList<>();
    Map<String, String> expected = new LinkedHashMap<>();
    int duplicateKey = rnd.nextInt(keyCount);
    int invalidKey = -1;
    for (int i = 0; i < keyCount; i++) {
      String key = String.format(format, i);
      keys.add(key);
      boolean inSnapshot = rnd.nextInt(3) != 0;
      int snapshotRate = rate(rnd, -1);
      if (inSnapshot) {
        snapshot.add(new MetadataEntry(key, 1, snapshotRate));
      }
      MetadataEntry update = new MetadataEntry(key, inSnapshot ? 2 : 1, rate(rnd, snapshotRate));
      long payload = 100 + rnd.nextInt(900);
      long a = i * KEY_STAGGER_MILLIS + rnd.nextInt(3);
      long b = a + DERIVE_AFTER_LOAD_MILLIS;
      long c = b + PUBLISH_AFTER_DERIVE_MILLIS;
      stream.add(new Entry(a, offset -> new LoadMetadata(offset, update)));
      if (i == duplicateKey) {
        stream.add(new Entry(a + 3, offset -> new LoadMetadata(offset, update)));
      } else if (inSnapshot && invalidKey < 0) {
        invalidKey = i;
        MetadataEntry invalid = new MetadataEntry(key, update.version() + 1, 0);
        stream.add(new Entry(a + 5, offset -> new LoadMetadata(offset, invalid)));
      }
      stream.add(new Entry(b, offset -> new Derive(offset, key, payload)));
      stream.add(new Entry(c, offset -> new Publish(offset, key)));
      expected.put(key, Long.toString(payload * update.rate() / 100));
    }
    int window = Math.max(1, keyCount / 3);
    long burstAt = KEY_STAGGER_MILLIS * (1 + rnd.nextInt(window)) + rnd.nextInt((int) KEY_STAGGER_MILLIS);
    return new Workload(seed, Collections.unmodifiableList(keys),
        Collections.unmodifiableList(snapshot), stream, burstAt,
        Collections.unmodifiableMap(expected));
  }

  /** A rate in [80, 130], never 100 (so a value derived without metadata differs) nor {@code not}. */
  private static int rate(SplittableRandom rnd, int not) {
    while (true) {
      int r = MIN_RATE + rnd.nextInt(MAX_RATE - MIN_RATE + 1);
      if (r != Derive.NO_METADATA_RATE && r != not) {
        return r;
      }
    }
  }

  /** The node that gets the burst of background work for {@code seed}, among {@code nodes}. */
  public static String congestedNode(long seed, int nodes) {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be at least 1, got " + nodes);
    }
    long mixed = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L).nextLong();
    return nodeId(1 + (int) Math.floorMod(mixed, (long) nodes));
  }

  /** The id of the {@code index}-th node (1-based): {@code node-1}, {@code node-2}, ... */
  public static String nodeId(int index) {
    return "node-" + index;
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The entity keys, in order. */
  public List<String> keys() {
    return keys;
  }

  /** The initial metadata snapshot (what the startup latch waits for). */
  public List<MetadataEntry> snapshot() {
    return snapshot;
  }

  /** When the burst hits the congested node, in milliseconds after the log starts. */
  public long burstAtMillis() {
    return burstAtMillis;
  }

  /**
   * The value each key should end up with when every key's operations run in log order: payload
   * x the rate of its latest valid metadata / 100.
   */
  public Map<String, String> expectedValues() {
    return expected;
  }

  /**
   * The schedule one node replays: fresh operation objects, sorted by arrival, with their log
   * offsets.
   *
   * @param congested whether to include the burst of background work
   */
  public List<Scheduled> schedule(boolean congested) {
    List<Entry> all = new ArrayList<>(stream);
    if (congested) {
      for (int j = 0; j < BURST_JOBS; j++) {
        int segment = j;
        all.add(new Entry(burstAtMillis, offset -> new Compaction(offset, segment, BURST_JOB_MILLIS)));
      }
    }
    // Stable sort: entries at the same millisecond keep their generation order.
    all.sort(Comparator.comparingLong(Entry::atMillis));
    List<Scheduled> out = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      Entry e = all.get(i);
      out.add(new Scheduled(e.atMillis(), e.create().apply(i)));
    }
    return out;
  }
}
