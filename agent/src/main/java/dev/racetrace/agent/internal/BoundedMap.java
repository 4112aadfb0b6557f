package dev.racetrace.agent.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that never holds more than its capacity: putting an entry past it evicts the eldest one,
 * tells the eviction listener and counts it. {@link #lru} orders by access (a {@code get} or
 * {@code put} makes an entry the youngest), {@link #fifo} by insertion. The exporter thread's
 * bounded tables (racetrace.memory.max) are all of this kind. Not thread-safe, as
 * {@link LinkedHashMap}; {@code null} keys and values are allowed but not recommended.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class BoundedMap<K, V> extends LinkedHashMap<K, V> {
  private static final long serialVersionUID = 1L;
  /** Initial table size at most this: a large capacity is reached only if the data needs it. */
  private static final int MAX_INITIAL = 1024;

  /** Told of each entry evicted for lack of room (not of removals by the caller). */
  @FunctionalInterface
  public interface EvictionListener<K, V> {
    /** {@code key} and {@code value} have just been evicted. */
    void evicted(K key, V value);
  }

  private final int capacity;
  private final transient EvictionListener<? super K, ? super V> listener;
  private long evictions;

  private BoundedMap(int capacity, boolean accessOrder,
      EvictionListener<? super K, ? super V> listener) {
    super(Math.min(capacity, MAX_INITIAL), 0.75f, accessOrder);
    this.capacity = checkedCapacity(capacity, listener);
    this.listener = listener;
  }

  /** {@code capacity}, checked to be at least 1, and {@code listener} to be given (both bounded maps' rule). */
  static int checkedCapacity(int capacity, EvictionListener<?, ?> listener) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity + ": must be at least 1");
    }
    if (listener == null) {
      throw new NullPointerException("listener");
    }
    return capacity;
  }

  /** Least recently used first out. */
  public static <K, V> BoundedMap<K, V> lru(int capacity) {
    return new BoundedMap<>(capacity, true, (k, v) -> { });
  }

  /** Least recently used first out; {@code listener} is told of each eviction. */
  public static <K, V> BoundedMap<K, V> lru(int capacity,
      EvictionListener<? super K, ? super V> listener) {
    return new BoundedMap<>(capacity, true, listener);
  }

  /** Oldest inserted first out (reads do not reorder); {@code listener} is told of each eviction. */
  public static <K, V> BoundedMap<K, V> fifo(int capacity,
      EvictionListener<? super K, ? super V> listener) {
    return new BoundedMap<>(capacity, false, listener);
  }

  /** The most entries held at once. */
  public int capacity() {
    return capacity;
  }

  /** Entries evicted for lack of room so far. */
  public long evictions() {
    return evictions;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    if (size() <= capacity) {
      return false;
    }
    evictions++;
    listener.evicted(eldest.getKey(), eldest.getValue());
    return true;
  }
}
