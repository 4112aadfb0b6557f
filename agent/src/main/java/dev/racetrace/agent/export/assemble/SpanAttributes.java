package dev.racetrace.agent.export.assemble;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The attributes of an assembled span: what the SDK's {@code Attributes.builder()} would build
 * (sorted by key name, the last value put for a name wins, null values and empty keys ignored),
 * built in a reused, pre-sized builder whose sort is remembered per sequence of keys, instead of the
 * SDK's growing list and merge sort, which were a fifth of the exporter thread's time.
 */
final class SpanAttributes implements Attributes {
  private final AttributeKey<?>[] keys;
  private final Object[] values;

  private SpanAttributes(AttributeKey<?>[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
  }

  static Builder builder() {
    return new Builder(false);
  }

  /** A builder to reuse through {@link Builder#acquire()}; it remembers its sorts. */
  static Builder reusableBuilder() {
    return new Builder(true);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(AttributeKey<T> key) {
    if (key == null) {
      return null;
    }
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return (T) values[i];
      }
    }
    return null;
  }

  @Override
  public void forEach(BiConsumer<? super AttributeKey<?>, ? super Object> consumer) {
    for (int i = 0; i < keys.length; i++) {
      consumer.accept(keys[i], values[i]);
    }
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public boolean isEmpty() {
    return keys.length == 0;
  }

  @Override
  public Map<AttributeKey<?>, Object> asMap() {
    Map<AttributeKey<?>, Object> map = new LinkedHashMap<>();
    forEach(map::put);
    return Collections.unmodifiableMap(map);
  }

  @Override
  public AttributesBuilder toBuilder() {
    Builder b = builder();
    b.putAll(this);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpanAttributes && Arrays.equals(keys, ((SpanAttributes) o).keys)
        && Arrays.equals(values, ((SpanAttributes) o).values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(keys) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < keys.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(keys[i].getKey()).append('=').append(values[i]);
    }
    return sb.append('}').toString();
  }

  /**
   * Collects attributes in put order; {@link #build()} sorts them once. A builder can be reused:
   * {@link #acquire()} hands it out again once it has built, so its arrays are not allocated per span.
   */
  static final class Builder implements AttributesBuilder {
    private AttributeKey<?>[] keys = new AttributeKey<?>[32];
    private Object[] values = new Object[32];
    private int size;
    private boolean inUse;
    private final boolean remembersPlans;

    private Builder(boolean remembersPlans) {
      this.remembersPlans = remembersPlans;
    }

    /** This builder, emptied, if it is not being filled; otherwise a new one. */
    Builder acquire() {
      if (inUse) {
        return builder();
      }
      inUse = true;
      return this;
    }

    /** Empties the builder and makes it available again, built or not (after a failure). */
    void release() {
      Arrays.fill(keys, 0, size, null);
      Arrays.fill(values, 0, size, null);
      size = 0;
      inUse = false;
    }

    @Override
    public <T> AttributesBuilder put(AttributeKey<Long> key, int value) {
      return put(key, (long) value);
    }

    @Override
    public <T> AttributesBuilder put(AttributeKey<T> key, T value) {
      if (key == null || key.getKey().isEmpty() || value == null) {
        return this;
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size++] = value;
      return this;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public AttributesBuilder putAll(Attributes attributes) {
      if (attributes != null) {
        attributes.forEach((k, v) -> put((AttributeKey) k, v));
      }
      return this;
    }

    @Override
    public <T> AttributesBuilder remove(AttributeKey<T> key) {
      return key == null ? this : removeIf(k -> k.getKey().equals(key.getKey()) && k.getType() == key.getType());
    }

    @Override
    public AttributesBuilder removeIf(Predicate<AttributeKey<?>> filter) {
      if (filter == null) {
        return this;
      }
      int kept = 0;
      for (int i = 0; i < size; i++) {
        if (!filter.test(keys[i])) {
          keys[kept] = keys[i];
          values[kept++] = values[i];
        }
      }
      Arrays.fill(keys, kept, size, null);
      Arrays.fill(values, kept, size, null);
      size = kept;
      return this;
    }

    /** Builds the attributes put so far and empties the builder. */
    @Override
    public Attributes build() {
      int[] order = sortPlan();
      AttributeKey<?>[] k = new AttributeKey<?>[order.length];
      Object[] v = new Object[order.length];
      for (int i = 0; i < order.length; i++) {
        k[i] = keys[order[i]];
        v[i] = values[order[i]];
      }
      release();
      return new SpanAttributes(k, v);
    }

    /**
     * Which put, in which order, makes the attributes: sorted by name, the last put of a name
     * kept. A span type puts the same key objects in the same order every time, so the plan is
     * remembered per sequence of keys and the sort runs once per sequence, not once per span.
     */
    private int[] sortPlan() {
      if (!remembersPlans) {
        return sortedIndexes(keys, size);
      }
      int hash = 1;
      for (int i = 0; i < size; i++) {
        hash = 31 * hash + System.identityHashCode(keys[i]);
      }
      int slot = (hash ^ (hash >>> 16)) & (PLANS - 1);
      if (plans == null) {
        plans = new Plan[PLANS];
      }
      Plan plan = plans[slot];
      if (plan != null && plan.matches(keys, size)) {
        return plan.order;
      }
      plan = new Plan(Arrays.copyOf(keys, size), sortedIndexes(keys, size));
      plans[slot] = plan;
      return plan.order;
    }

    /** Indexes of the puts to keep, by name (stable insertion sort, then the last of each name). */
    private static int[] sortedIndexes(AttributeKey<?>[] keys, int size) {
      int[] idx = new int[size];
      for (int i = 0; i < size; i++) {
        String name = keys[i].getKey();
        int j = i - 1;
        while (j >= 0 && keys[idx[j]].getKey().compareTo(name) > 0) {
          idx[j + 1] = idx[j];
          j--;
        }
        idx[j + 1] = i;
      }
      int out = 0;
      for (int i = 0; i < size; i++) {
        if (out > 0 && keys[idx[out - 1]].getKey().equals(keys[idx[i]].getKey())) {
          idx[out - 1] = idx[i]; // same name: the later put wins
        } else {
          idx[out++] = idx[i];
        }
      }
      return out == size ? idx : Arrays.copyOf(idx, out);
    }

    private static final int PLANS = 128;
    private Plan[] plans;

    /** A remembered sort: the keys in put order (by identity) and the resulting order. */
    private static final class Plan {
      final AttributeKey<?>[] putOrder;
      final int[] order;

      Plan(AttributeKey<?>[] putOrder, int[] order) {
        this.putOrder = putOrder;
        this.order = order;
      }

      boolean matches(AttributeKey<?>[] keys, int size) {
        if (putOrder.length != size) {
          return false;
        }
        for (int i = 0; i < size; i++) {
          if (putOrder[i] != keys[i]) {
            return false;
          }
        }
        return true;
      }
    }
  }
}
