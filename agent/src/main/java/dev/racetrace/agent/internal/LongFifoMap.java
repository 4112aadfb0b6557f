package dev.racetrace.agent.internal;

import java.util.Arrays;

/**
 * {@link BoundedMap#fifo} for {@code long} keys without boxing them: at most {@code capacity}
 * entries, the oldest inserted evicted past it (its listener told), a {@code put} to a key already
 * present replaces the value and keeps its place. The exporter's producer index looks up and adds
 * a key for every enqueue, dequeue, submit and task start, and boxed keys were a large part of what
 * it allocated.
 *
 * <p>Entries live in parallel arrays indexed by an entry id, linked oldest to newest; an
 * open-addressing table (linear probing, deletion by backward shift, so no tombstones) maps a key to
 * its id. Both start small and double as entries come, up to what {@code capacity} needs. Not
 * thread-safe; values must not be null.
 *
 * @param <V> value type
 */
public final class LongFifoMap<V> {
  private static final int NONE = -1;
  private static final int INITIAL_ENTRIES = 64;

  private final int capacity;
  private final BoundedMap.EvictionListener<Long, ? super V> listener;
  // entries, by id
  private long[] keys;
  private Object[] values;
  private int[] older;
  private int[] newer;
  private int oldest = NONE;
  private int newest = NONE;
  /** Ids freed by removals, chained through {@code newer}. */
  private int free = NONE;
  /** Ids handed out so far (those below it are in use or free). */
  private int used;
  private int size;
  private long evictions;
  // key -> id + 1 (0: empty cell)
  private int[] table;
  private int mask;

  /**
   * @param capacity entries held at most
   * @param listener told of each entry evicted for lack of room (not of removals by the caller); it
   *     receives the key boxed, once per eviction
   */
  public LongFifoMap(int capacity, BoundedMap.EvictionListener<Long, ? super V> listener) {
    this.capacity = BoundedMap.checkedCapacity(capacity, listener);
    this.listener = listener;
    allocate(Math.min(INITIAL_ENTRIES, capacity + 1));
  }

  /** The value under {@code key}, or null. */
  @SuppressWarnings("unchecked")
  public V get(long key) {
    int id = find(key);
    return id == NONE ? null : (V) values[id];
  }

  /** Puts {@code value} under {@code key}; a new key past the capacity evicts the oldest entry. */
  public void put(long key, V value) {
    if (value == null) {
      throw new NullPointerException("value");
    }
    int id = find(key);
    if (id != NONE) {
      values[id] = value;
      return;
    }
    if (used == keys.length && free == NONE) {
      allocate(keys.length * 2);
    }
    id = free != NONE ? takeFree() : used++;
    keys[id] = key;
    values[id] = value;
    link(id);
    insert(key, id);
    size++;
    if (size > capacity) {
      evictOldest();
    }
  }

  /** Removes the entry under {@code key}. @return its value, or null when there was none */
  @SuppressWarnings("unchecked")
  public V remove(long key) {
    int cell = cellOf(key);
    if (cell == NONE) {
      return null;
    }
    int id = table[cell] - 1;
    V value = (V) values[id];
    deleteCell(cell);
    release(id);
    return value;
  }

  /** Entries held. */
  public int size() {
    return size;
  }

  /** Entries evicted for lack of room so far. */
  public long evictions() {
    return evictions;
  }

  private void evictOldest() {
    int id = oldest;
    long key = keys[id];
    @SuppressWarnings("unchecked")
    V value = (V) values[id];
    deleteCell(cellOf(key));
    release(id);
    evictions++;
    listener.evicted(key, value);
  }

  private int find(long key) {
    int cell = cellOf(key);
    return cell == NONE ? NONE : table[cell] - 1;
  }

  private int cellOf(long key) {
    for (int c = hash(key) & mask; ; c = (c + 1) & mask) {
      int entry = table[c];
      if (entry == 0) {
        return NONE;
      }
      if (keys[entry - 1] == key) {
        return c;
      }
    }
  }

  private void insert(long key, int id) {
    int c = hash(key) & mask;
    while (table[c] != 0) {
      c = (c + 1) & mask;
    }
    table[c] = id + 1;
  }

  /** Empties {@code cell}, shifting back the entries of its probe run (no tombstones). */
  private void deleteCell(int cell) {
    int gap = cell;
    for (int c = (cell + 1) & mask; table[c] != 0; c = (c + 1) & mask) {
      int home = hash(keys[table[c] - 1]) & mask;
      // the entry at c may move into the gap when its home is not cyclically in (gap, c]
      boolean movable = gap <= c ? (home <= gap || home > c) : (home <= gap && home > c);
      if (movable) {
        table[gap] = table[c];
        gap = c;
      }
    }
    table[gap] = 0;
  }

  private void link(int id) {
    older[id] = newest;
    newer[id] = NONE;
    if (newest != NONE) {
      newer[newest] = id;
    } else {
      oldest = id;
    }
    newest = id;
  }

  private void release(int id) {
    int o = older[id];
    int n = newer[id];
    if (o != NONE) {
      newer[o] = n;
    } else {
      oldest = n;
    }
    if (n != NONE) {
      older[n] = o;
    } else {
      newest = o;
    }
    values[id] = null;
    newer[id] = free;
    free = id;
    size--;
  }

  private int takeFree() {
    int id = free;
    free = newer[id];
    return id;
  }

  /** Room for {@code entries} entries (at most what the capacity needs), the table rebuilt. */
  private void allocate(int entries) {
    int n = Math.min(entries, capacity + 1);
    keys = keys == null ? new long[n] : Arrays.copyOf(keys, n);
    values = values == null ? new Object[n] : Arrays.copyOf(values, n);
    older = older == null ? new int[n] : Arrays.copyOf(older, n);
    newer = newer == null ? new int[n] : Arrays.copyOf(newer, n);
    int cells = Integer.highestOneBit(Math.max(2, n) * 2 - 1) * 2; // at most half full
    table = new int[cells];
    mask = cells - 1;
    for (int id = oldest; id != NONE; id = newer[id]) {
      insert(keys[id], id);
    }
  }

  private static int hash(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
