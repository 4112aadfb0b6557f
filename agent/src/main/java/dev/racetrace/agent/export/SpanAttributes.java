package dev.racetrace.agent.export;

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
 * built with one pre-sized array and an insertion sort instead of the SDK's growing list and merge
 * sort, which were a fifth of the exporter thread's time at a few dozen attributes per span.
 */
final class SpanAttributes implements Attributes {
  private final AttributeKey<?>[] keys;
  private final Object[] values;

  private SpanAttributes(AttributeKey<?>[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
  }

  static Builder builder() {
    return new Builder();
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
    Builder b = new Builder();
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

    /** This builder, emptied, if it is not being filled; otherwise a new one. */
    Builder acquire() {
      if (inUse) {
        return new Builder();
      }
      inUse = true;
      return this;
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
      AttributeKey<?>[] k = Arrays.copyOf(keys, size);
      Object[] v = Arrays.copyOf(values, size);
      // stable insertion sort by name: a few dozen keys, put in nearly the same order every time
      for (int i = 1; i < k.length; i++) {
        AttributeKey<?> key = k[i];
        Object value = v[i];
        String name = key.getKey();
        int j = i - 1;
        while (j >= 0 && k[j].getKey().compareTo(name) > 0) {
          k[j + 1] = k[j];
          v[j + 1] = v[j];
          j--;
        }
        k[j + 1] = key;
        v[j + 1] = value;
      }
      int n = dedupeKeepingLast(k, v);
      Arrays.fill(keys, 0, size, null);
      Arrays.fill(values, 0, size, null);
      size = 0;
      inUse = false;
      return n == k.length ? new SpanAttributes(k, v) : new SpanAttributes(Arrays.copyOf(k, n), Arrays.copyOf(v, n));
    }

    /** For runs of one name (in put order after the stable sort) keeps the last; returns the new size. */
    private static int dedupeKeepingLast(AttributeKey<?>[] k, Object[] v) {
      int out = 0;
      for (int i = 0; i < k.length; i++) {
        if (out > 0 && k[out - 1].getKey().equals(k[i].getKey())) {
          k[out - 1] = k[i];
          v[out - 1] = v[i];
        } else {
          k[out] = k[i];
          v[out++] = v[i];
        }
      }
      return out;
    }
  }
}
