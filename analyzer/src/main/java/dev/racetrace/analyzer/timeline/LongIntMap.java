package dev.racetrace.analyzer.timeline;

import java.util.Arrays;

/**
 * An open-addressing map from {@code long} to non-negative {@code int}, without boxing: the
 * indexes over a node's spans (by seq, span id, causal id) cost 12 bytes a slot, not ~60.
 */
final class LongIntMap {
  private static final int MISSING = -1;
  private long[] keys;
  private int[] values;
  private int size;
  private int mask;

  LongIntMap(int expected) {
    // At most 3/4 full.
    int cap = Integer.highestOneBit(Math.max(4, (int) Math.min(1 << 30, expected * 4L / 3))) << 1;
    keys = new long[cap];
    values = new int[cap];
    Arrays.fill(values, MISSING);
    mask = cap - 1;
  }

  /** Puts {@code value} (>= 0) unless {@code key} is present; returns whether it was added. */
  boolean putIfAbsent(long key, int value) {
    if ((size + 1) * 4L > keys.length * 3L) {
      grow();
    }
    int i = slot(key);
    while (values[i] != MISSING) {
      if (keys[i] == key) {
        return false;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    size++;
    return true;
  }

  /** The value for {@code key}, or -1. */
  int get(long key) {
    int i = slot(key);
    while (values[i] != MISSING) {
      if (keys[i] == key) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    return MISSING;
  }

  int size() {
    return size;
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldValues.length * 2];
    Arrays.fill(values, MISSING);
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != MISSING) {
        putIfAbsent(oldKeys[i], oldValues[i]);
      }
    }
  }
}
