package dev.racetrace.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BoundedMapTest {
  @Test
  void lruEvictsTheLeastRecentlyUsedAndTellsTheListener() {
    List<String> evicted = new ArrayList<>();
    BoundedMap<String, Integer> m = BoundedMap.lru(2, (k, v) -> evicted.add(k + "=" + v));
    m.put("a", 1);
    m.put("b", 2);
    m.get("a"); // a is now younger than b
    m.put("c", 3);

    assertThat(m).containsOnlyKeys("a", "c");
    assertThat(evicted).containsExactly("b=2");
    assertThat(m.evictions()).isEqualTo(1);
    assertThat(m.keySet()).containsExactly("a", "c");
  }

  @Test
  void fifoIgnoresReadsAndEvictsTheOldestInserted() {
    List<String> evicted = new ArrayList<>();
    BoundedMap<String, Integer> m = BoundedMap.fifo(2, (k, v) -> evicted.add(k));
    m.put("a", 1);
    m.put("b", 2);
    m.get("a");
    m.put("a", 10); // replacing a value neither reorders nor evicts
    m.put("c", 3);

    assertThat(m.keySet()).containsExactly("b", "c");
    assertThat(evicted).containsExactly("a");
  }

  @Test
  void removalsByTheCallerAreNotEvictions() {
    BoundedMap<Integer, Integer> m = BoundedMap.lru(3);
    m.put(1, 1);
    m.put(2, 2);
    m.remove(1);
    m.put(3, 3);
    m.put(4, 4);

    assertThat(m.evictions()).isZero();
    assertThat(m).hasSize(3);
  }

  @Test
  void neverHoldsMoreThanItsCapacityAndAgreesWithAReferenceModel() {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    int capacity = 1 + r.nextInt(50);
    BoundedMap<Integer, Integer> m = BoundedMap.lru(capacity);
    // reference: access-ordered list of keys
    LinkedHashMap<Integer, Integer> model = new LinkedHashMap<>(16, 0.75f, true);
    Map<Integer, Integer> evictedCount = new HashMap<>();
    long evictions = 0;
    for (int i = 0; i < 20_000; i++) {
      int k = r.nextInt(capacity * 2);
      if (r.nextInt(3) == 0) {
        assertThat(m.get(k)).as("seed %d", seed).isEqualTo(model.get(k));
      } else {
        m.put(k, i);
        model.put(k, i);
        if (model.size() > capacity) {
          Integer eldest = model.keySet().iterator().next();
          model.remove(eldest);
          evictedCount.merge(eldest, 1, Integer::sum);
          evictions++;
        }
      }
      assertThat(m.size()).as("seed %d", seed).isLessThanOrEqualTo(capacity);
    }
    assertThat(m).as("seed %d", seed).isEqualTo(model);
    assertThat(new ArrayList<>(m.keySet())).as("seed %d", seed).isEqualTo(new ArrayList<>(model.keySet()));
    assertThat(m.evictions()).as("seed %d", seed).isEqualTo(evictions);
  }

  @Test
  void rejectsACapacityBelowOne() {
    assertThatThrownBy(() -> BoundedMap.lru(0)).hasMessage("capacity 0: must be at least 1");
  }
}
