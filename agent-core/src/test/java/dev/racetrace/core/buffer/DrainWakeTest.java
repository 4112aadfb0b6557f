package dev.racetrace.core.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A ring tells its {@link DrainWake} when it passes half full, once per crossing: what lets the
 * exporter drain a burst before a default ring overflows, at a cost of one compare per record.
 */
class DrainWakeTest {
  private static final int L = EventRing.RECORD_LONGS;

  private static boolean write(EventRing ring, long seq) {
    return ring.write(seq, 0, 0, 1, 0, 0, 0, 0, null, null);
  }

  private static int drain(EventRing ring, int max) {
    return ring.drainTo(new long[max * L], new Object[max * 2], max);
  }

  @Test
  void ownedRingWakesOnceWhenItReachesHalfFullAndNotAgainWhileAbove() {
    DrainWake wake = new DrainWake();
    EventRing ring = new EventRing(16, false, 1, "t", wake);
    for (int seq = 1; seq <= 8; seq++) {
      write(ring, seq);
    }
    assertThat(wake.wakes()).as("7 records then the 8th (half of 16)").isEqualTo(0);
    write(ring, 9);
    assertThat(wake.wakes()).as("the record that finds 8 waiting").isEqualTo(1);
    for (int seq = 10; seq <= 16; seq++) {
      write(ring, seq);
    }
    assertThat(write(ring, 17)).as("full").isFalse();
    assertThat(wake.wakes()).as("above half, full, dropping: no second wake").isEqualTo(1);
  }

  @Test
  void wakesAgainAfterTheConsumerDrainedAndTheRingFillsAgain() {
    DrainWake wake = new DrainWake();
    EventRing ring = new EventRing(16, false, 1, "t", wake);
    long seq = 1;
    for (int round = 1; round <= 5; round++) {
      while (ring.backlog() < 9) {
        write(ring, seq++);
      }
      assertThat(wake.wakes()).as("round %d", round).isEqualTo(round);
      assertThat(drain(ring, 16)).isEqualTo(9);
    }
  }

  @Test
  void aConsumerThatKeepsUpIsNeverWoken() {
    DrainWake wake = new DrainWake();
    EventRing ring = new EventRing(16, false, 1, "t", wake);
    for (long seq = 1; seq <= 10_000; seq++) {
      write(ring, seq);
      if (seq % 7 == 0) { // a consumer that drains every 7 records: never 8 waiting
        drain(ring, 16);
      }
    }
    assertThat(wake.wakes()).isZero();
    assertThat(ring.dropped()).isZero();
  }

  @Test
  void sharedRingWakesOncePerCrossingToo() {
    DrainWake wake = new DrainWake();
    EventRing ring = new EventRing(16, true, -1, null, wake);
    long seq = 1;
    for (int i = 0; i < 20; i++) {
      write(ring, seq++);
    }
    assertThat(wake.wakes()).isEqualTo(1);
    assertThat(ring.dropped()).isEqualTo(4);
    drain(ring, 16);
    for (int i = 0; i < 9; i++) {
      write(ring, seq++);
    }
    assertThat(wake.wakes()).isEqualTo(2);
  }

  @Test
  void unparksTheConsumerThread() {
    DrainWake wake = new DrainWake();
    wake.consumer(Thread.currentThread());
    EventRing ring = new EventRing(4, false, 1, "t", wake);
    Thread.interrupted(); // park returns at once on an interrupt: start without one
    for (int seq = 1; seq <= 3; seq++) {
      write(ring, seq);
    }
    assertThat(wake.wakes()).isEqualTo(1);
    // the wake left a permit: this park returns at once instead of after 20 s
    long start = System.nanoTime();
    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(20));
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
  }

  @Test
  void ringWithoutWakeBehavesAsBefore() {
    EventRing ring = new EventRing(4, false, 1, "t");
    for (int seq = 1; seq <= 6; seq++) {
      write(ring, seq);
    }
    assertThat(ring.dropped()).isEqualTo(2);
    assertThat(drain(ring, 4)).isEqualTo(4);
  }
}
