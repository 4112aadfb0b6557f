package dev.racetrace.sample.node;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node's in-memory dependency metadata, one {@link MetadataEntry} per entity.
 *
 * <p>Reads are lock-free. Registrations take {@link #lock} and signal {@link #registered}, which
 * is what the timed wait of {@link #awaitEntry} waits on.
 *
 * <p><b>State probes.</b> {@link #entities()} and {@link #updates()} are static so the agent can
 * read them as {@code racetrace.state} probes ("what metadata could this thread see"). They read
 * the store of the node that is currently live in this JVM (one at a time; a multi-seed run
 * replaces it per seed) and are O(1): two counters, no locks.
 */
public final class MetadataStore {
  private static volatile MetadataStore live;

  private final Map<String, MetadataEntry> entries = new ConcurrentHashMap<>();
  private final AtomicLong entityCount = new AtomicLong();
  private final AtomicLong updateCount = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition registered = lock.newCondition();

  /** What {@link #apply} did. */
  public enum Applied {
    /** The entry is now the key's metadata. */
    REGISTERED,
    /** The key already had this version or a newer one; nothing changed. */
    NOT_NEWER
  }

  /** Number of entities with metadata in the live node's store (state probe). */
  public static long entities() {
    MetadataStore s = live;
    return s == null ? 0 : s.entityCount.get();
  }

  /** Number of metadata registrations applied so far in the live node, snapshot included (state probe). */
  public static long updates() {
    MetadataStore s = live;
    return s == null ? 0 : s.updateCount.get();
  }

  /** Makes this the store the static probes read. */
  void makeLive() {
    live = this;
  }

  /** Stops the static probes from reading this store, if it is the live one. */
  void retire() {
    if (live == this) {
      live = null;
    }
  }

  /**
   * Loads the initial snapshot.
   *
   * @return the number of entities with metadata afterwards
   */
  long loadSnapshot(Collection<MetadataEntry> snapshot) {
    for (MetadataEntry e : snapshot) {
      apply(e);
    }
    return entityCount.get();
  }

  /**
   * Registers {@code entry} unless the key already has that version or a newer one.
   *
   * @throws InvalidMetadataException when the rate is not positive (nothing is registered)
   */
  Applied apply(MetadataEntry entry) {
    if (entry.rate() <= 0) {
      throw new InvalidMetadataException("metadata " + entry.key() + " v" + entry.version()
          + ": rate " + entry.rate() + " is not positive");
    }
    lock.lock();
    try {
      MetadataEntry current = entries.get(entry.key());
      if (current != null && current.version() >= entry.version()) {
        return Applied.NOT_NEWER;
      }
      entries.put(entry.key(), entry);
      if (current == null) {
        entityCount.incrementAndGet();
      }
      updateCount.incrementAndGet();
      registered.signalAll();
      return Applied.REGISTERED;
    } finally {
      lock.unlock();
    }
  }

  /** The key's metadata as this thread can see it now. */
  Optional<MetadataEntry> get(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  /**
   * The timed wait: waits up to {@code timeoutMillis} for the key to have <em>some</em> metadata,
   * then goes on. It cannot tell whether a newer version is on its way: a key that already has
   * metadata returns at once, with whatever version is there.
   *
   * @return the key's metadata, or empty when the wait expired without any
   */
  Optional<MetadataEntry> awaitEntry(String key, long timeoutMillis) throws InterruptedException {
    MetadataEntry e = entries.get(key);
    if (e != null) {
      return Optional.of(e);
    }
    long remaining = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    lock.lock();
    try {
      while ((e = entries.get(key)) == null && remaining > 0) {
        remaining = registered.awaitNanos(remaining);
      }
      return Optional.ofNullable(e);
    } finally {
      lock.unlock();
    }
  }
}
