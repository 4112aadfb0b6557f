package dev.racetrace.sample.node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's persisted records. This is what the raw-read endpoint returns, bypassing any cache:
 * the sample app has none, so a raw read is exactly the persisted state.
 */
public final class RecordStore {
  private final String nodeId;
  private final ConcurrentMap<String, StoredRecord> records = new ConcurrentHashMap<>();
  private final AtomicLong compactedSegments = new AtomicLong();

  RecordStore(String nodeId) {
    this.nodeId = nodeId;
  }

  /** Persists a derived value; the version is one more than the previous record's. */
  StoredRecord publish(Derivation d) {
    return records.compute(d.key(), (k, prev) -> new StoredRecord(k, d.value(),
        prev == null ? 1 : prev.version() + 1, d.metadataVersion(), d.derivedAtMicros(), nodeId));
  }

  /**
   * Anti-entropy merge: keeps {@code incoming} when it is newer by last-writer-wins.
   *
   * @return whether the record changed
   */
  boolean merge(StoredRecord incoming) {
    boolean[] applied = {false};
    records.compute(incoming.key(), (k, prev) -> {
      if (prev == null || incoming.newerThan(prev)) {
        applied[0] = true;
        return incoming;
      }
      return prev;
    });
    return applied[0];
  }

  /** The persisted record for {@code key}. */
  public Optional<StoredRecord> get(String key) {
    return Optional.ofNullable(records.get(key));
  }

  /** Every persisted record, by key. */
  public List<StoredRecord> all() {
    List<StoredRecord> l = new ArrayList<>(records.values());
    l.sort(Comparator.comparing(StoredRecord::key));
    return l;
  }

  /** Compaction bookkeeping: one more segment rewritten. */
  void compactSegment() {
    compactedSegments.incrementAndGet();
  }

  /** Segments rewritten by compaction so far. */
  public long compactedSegments() {
    return compactedSegments.get();
  }
}
