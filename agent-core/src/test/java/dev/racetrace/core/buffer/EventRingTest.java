package dev.racetrace.core.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class EventRingTest {
  private static final int L = EventRing.RECORD_LONGS;

  @Test
  void drainsRecordsInWriteOrderWithAllFields() {
    EventRing ring = new EventRing(8, false, 7, "t");
    Object key = "k1";
    assertThat(ring.write(5, 100, 3, 7, 9, 11, 12, 13, key, String.class)).isTrue();
    assertThat(ring.write(6, 101, 4, 7, 10, 21, 22, 23, null, null)).isTrue();

    long[] dst = new long[8 * L];
    Object[] refs = new Object[8 * 2];
    int n = ring.drainTo(dst, refs, 8);

    assertThat(n).isEqualTo(2);
    assertThat(dst[EventRing.HEADER]).isEqualTo(5);
    assertThat(dst[EventRing.TIME]).isEqualTo(100);
    assertThat(dst[EventRing.META]).isEqualTo(3);
    assertThat(dst[EventRing.THREAD]).isEqualTo(7);
    assertThat(dst[EventRing.IDS]).isEqualTo(9);
    assertThat(dst[EventRing.A]).isEqualTo(11);
    assertThat(dst[EventRing.B]).isEqualTo(12);
    assertThat(dst[EventRing.C]).isEqualTo(13);
    assertThat(refs[0]).isSameAs(key);
    assertThat(refs[1]).isSameAs(String.class);
    assertThat(dst[L + EventRing.HEADER]).isEqualTo(6);
    assertThat(dst[L + EventRing.C]).isEqualTo(23);
    assertThat(ring.isEmpty()).isTrue();
  }

  @Test
  void fullRingRefusesNewestAndCountsIt() {
    EventRing ring = new EventRing(4, false, 1, "t");
    for (int i = 1; i <= 4; i++) {
      assertThat(ring.write(i, 0, 0, 0, 0, 0, 0, 0, null, null)).isTrue();
    }
    assertThat(ring.write(5, 0, 0, 0, 0, 0, 0, 0, null, null)).isFalse();
    assertThat(ring.write(6, 0, 0, 0, 0, 0, 0, 0, null, null)).isFalse();
    assertThat(ring.dropped()).isEqualTo(2);

    long[] dst = new long[4 * L];
    assertThat(ring.drainTo(dst, new Object[8], 4)).isEqualTo(4);
    assertThat(dst[3 * L]).isEqualTo(4);
    // space is reusable after draining
    assertThat(ring.write(7, 0, 0, 0, 0, 0, 0, 0, null, null)).isTrue();
  }

  @Test
  void rejectsCapacityThatIsNotAPowerOfTwo() {
    assertThatThrownBy(() -> new EventRing(12, false, 1, "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be a power of two >= 2: 12");
  }

  /** One producer, one consumer, concurrently: every record arrives once, in order, or is counted. */
  @Test
  void ownedRingDeliversEveryRecordOnceInOrder() throws Exception {
    long seed = System.nanoTime();
    for (int iteration = 0; iteration < 20; iteration++) {
      SplittableRandom rnd = new SplittableRandom(seed + iteration);
      EventRing ring = new EventRing(64, false, 1, "t");
      int total = 20_000;
      Thread producer = new Thread(() -> {
        SplittableRandom r = rnd.split();
        for (int i = 1; i <= total; i++) {
          while (!ring.write(i, i, 0, 0, 0, i * 3L, 0, 0, null, null)) {
            jitter(r);
          }
          if (r.nextInt(64) == 0) {
            jitter(r);
          }
        }
      });
      producer.start();
      long expected = 1;
      long[] dst = new long[64 * L];
      Object[] refs = new Object[128];
      while (expected <= total) {
        int n = ring.drainTo(dst, refs, 64);
        for (int i = 0; i < n; i++) {
          long seq = dst[i * L];
          assertThat(seq).as("seed %d iteration %d", seed, iteration).isEqualTo(expected);
          assertThat(dst[i * L + EventRing.A]).as("seed %d", seed).isEqualTo(expected * 3);
          expected++;
        }
        if (n == 0) {
          Thread.onSpinWait();
        }
      }
      producer.join();
    }
  }

  /** Many producers on a shared ring: no record lost or duplicated; each producer's order kept. */
  @Test
  void sharedRingDeliversEveryRecordOnce() throws Exception {
    long seed = System.nanoTime();
    for (int iteration = 0; iteration < 10; iteration++) {
      EventRing ring = new EventRing(128, true, -1, null);
      int producers = 4;
      int perProducer = 10_000;
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        final int id = p;
        final SplittableRandom r = new SplittableRandom(seed + iteration * 31L + p);
        Thread t = new Thread(() -> {
          await(start);
          for (int i = 1; i <= perProducer; i++) {
            while (!ring.write(id * 1_000_000L + i, 0, 0, id, 0, i, 0, 0, null, null)) {
              jitter(r);
            }
          }
        });
        threads.add(t);
        t.start();
      }
      start.countDown();
      long[] lastPerProducer = new long[producers];
      int received = 0;
      long[] dst = new long[128 * L];
      Object[] refs = new Object[256];
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (received < producers * perProducer && System.nanoTime() < deadline) {
        int n = ring.drainTo(dst, refs, 128);
        for (int i = 0; i < n; i++) {
          int producer = (int) dst[i * L + EventRing.THREAD];
          long value = dst[i * L + EventRing.A];
          assertThat(value).as("seed %d iteration %d producer %d", seed, iteration, producer)
              .isEqualTo(lastPerProducer[producer] + 1);
          lastPerProducer[producer] = value;
        }
        received += n;
      }
      for (Thread t : threads) {
        t.join();
      }
      assertThat(received).as("seed %d", seed).isEqualTo(producers * perProducer);
    }
  }

  private static void jitter(SplittableRandom r) {
    if (r.nextBoolean()) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(r.nextInt(1_000, 20_000));
    }
  }

  private static void await(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
