package dev.racetrace.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * LongFifoMap behaves as BoundedMap.fifo does for the same operations (the map it replaces in the
 * producer index): same values, same size, the same entries evicted in the same order.
 */
class LongFifoMapTest {

  @Test
  void behavesAsTheBoundedFifoMapUnderRandomOperations() {
    long base = 0xF1F0L;
    for (int run = 0; run < 200; run++) {
      long seed = base + run;
      SplittableRandom random = new SplittableRandom(seed);
      int capacity = 1 + random.nextInt(300);
      int keySpace = 1 + random.nextInt(capacity * 3);
      List<Long> evictedExpected = new ArrayList<>();
      List<Long> evictedActual = new ArrayList<>();
      BoundedMap<Long, String> expected = BoundedMap.fifo(capacity, (k, v) -> evictedExpected.add(k));
      LongFifoMap<String> actual = new LongFifoMap<>(capacity, (k, v) -> evictedActual.add(k));
      for (int op = 0; op < 5_000; op++) {
        // keys that collide in the table's low bits as well as spread ones
        long key = random.nextBoolean() ? random.nextInt(keySpace) : ((long) random.nextInt(keySpace) << 32);
        int what = random.nextInt(10);
        String context = "seed " + seed + ", op " + op + ", key " + key;
        if (what < 5) {
          String v = "v" + op;
          expected.put(key, v);
          actual.put(key, v);
        } else if (what < 8) {
          assertThat(actual.get(key)).as(context).isEqualTo(expected.get(key));
        } else {
          assertThat(actual.remove(key)).as(context).isEqualTo(expected.remove(key));
        }
        assertThat(actual.size()).as(context).isEqualTo(expected.size());
      }
      assertThat(evictedActual).as("evictions, seed %d", seed).isEqualTo(evictedExpected);
      assertThat(actual.evictions()).isEqualTo(expected.evictions());
      for (Long k : expected.keySet()) {
        assertThat(actual.get(k)).as("seed %d key %d", seed, k).isEqualTo(expected.get(k));
      }
    }
  }

  @Test
  void aPutToAKeyPresentKeepsItsPlaceInLine() {
    List<Long> evicted = new ArrayList<>();
    LongFifoMap<String> m = new LongFifoMap<>(2, (k, v) -> evicted.add(k));
    m.put(1, "a");
    m.put(2, "b");
    m.put(1, "a2"); // replaces, still the oldest
    m.put(3, "c");
    assertThat(evicted).containsExactly(1L);
    assertThat(m.get(2)).isEqualTo("b");
    assertThat(m.get(3)).isEqualTo("c");
    assertThat(m.get(1)).isNull();
  }

  @Test
  void growsPastItsFirstTablesAndStaysWithinItsCapacity() {
    LongFifoMap<Long> m = new LongFifoMap<>(100_000, (k, v) -> { });
    for (long k = 0; k < 250_000; k++) {
      m.put(k * 7919, k);
    }
    assertThat(m.size()).isEqualTo(100_000);
    assertThat(m.evictions()).isEqualTo(150_000);
    assertThat(m.get(149_999L * 7919)).isNull();
    assertThat(m.get(150_000L * 7919)).isEqualTo(150_000L);
  }

  @Test
  void refusesWhatItCannotHold() {
    assertThatThrownBy(() -> new LongFifoMap<String>(0, (k, v) -> { }))
        .isInstanceOf(IllegalArgumentException.class);
    LongFifoMap<String> m = new LongFifoMap<>(1, (k, v) -> { });
    assertThatThrownBy(() -> m.put(1, null)).isInstanceOf(NullPointerException.class);
  }
}
