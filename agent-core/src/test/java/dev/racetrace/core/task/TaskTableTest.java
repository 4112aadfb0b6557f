package dev.racetrace.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TaskTableTest {
  @Test
  void aLinkedTaskIsFoundWithWhatItsSubmitStored() {
    TaskTable table = new TaskTable(64);
    Object task = new Object();
    long key = TaskTable.keyOf(task);
    assertThat(table.put(key, 42, 1000, 7, 99, 0)).isTrue();

    int slot = table.locate(key);
    long v = table.version(slot, key);
    assertThat(v).isNotNegative();
    assertThat(table.seq(slot)).isEqualTo(42);
    assertThat(table.readyNanos(slot)).isEqualTo(1000);
    assertThat(table.site(slot)).isEqualTo(7);
    assertThat(table.executorId(slot)).isEqualTo(99);
    assertThat(table.stillValid(slot, v)).isTrue();
  }

  @Test
  void anotherObjectIsNotMistakenForTheTaskEvenInTheSameSlot() {
    TaskTable table = new TaskTable(4); // one bucket: every key shares it
    Object task = new Object();
    table.put(TaskTable.keyOf(task), 1, 0, 0, 0, 0);
    assertThat(table.locate(TaskTable.keyOf("not the task"))).isEqualTo(-1);
  }

  @Test
  void aTakenLinkIsNotFoundAgainAndItsSlotIsFreeWithoutALoss() {
    TaskTable table = new TaskTable(4); // one bucket of 4
    long a = TaskTable.keyOf(new Object());
    table.put(a, 1, 0, 0, 0, 0);
    int slot = table.locate(a);
    table.take(slot, table.seq(slot));
    assertThat(table.version(slot, a)).as("a second run of the task is not linked").isEqualTo(-1);

    for (int i = 0; i < 4; i++) { // fills the bucket: the taken slot is one of the free ones
      table.put(TaskTable.keyOf(new Object()), 10 + i, 0, 0, 0, 0);
    }
    assertThat(table.lostLinks()).isZero();
  }

  @Test
  void aResubmitOfTheSameTaskIsLinkedAgainAfterItsRun() {
    TaskTable table = new TaskTable(16);
    long a = TaskTable.keyOf(new Object());
    table.put(a, 1, 0, 0, 0, 0);
    int slot = table.locate(a);
    table.take(slot, 1);
    table.put(a, 2, 0, 0, 0, 0);
    int again = table.locate(a);
    assertThat(table.version(again, a)).isNotNegative();
    assertThat(table.seq(again)).isEqualTo(2);
    assertThat(table.lostLinks()).isZero();
  }

  @Test
  void aLateTakeOfAnOldLinkLeavesTheNewLinkOfTheSameTaskPending() {
    TaskTable table = new TaskTable(16);
    long a = TaskTable.keyOf(new Object());
    table.put(a, 1, 0, 0, 0, 0);
    int slot = table.locate(a);
    table.put(a, 2, 0, 0, 0, 0); // resubmitted before its first run took the link
    table.take(slot, 1); // the first run, late
    int now = table.locate(a);
    assertThat(table.version(now, a)).as("the second submit's link").isNotNegative();
    assertThat(table.seq(now)).isEqualTo(2);
  }

  @Test
  void aFullBucketOverwritesItsOldestLinkAndCountsItLost() {
    TaskTable table = new TaskTable(4); // one bucket of 4
    long[] keys = new long[5];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = TaskTable.keyOf(new Object());
      table.put(keys[i], 10 + i, 0, 0, 0, 0);
    }
    assertThat(table.lostLinks()).isEqualTo(1);
    assertThat(table.locate(keys[0])).as("the oldest link").isEqualTo(-1);
    for (int i = 1; i < keys.length; i++) {
      assertThat(table.seq(table.locate(keys[i]))).isEqualTo(10 + i);
    }
  }

  @Test
  void aSecondPendingSubmitOfTheSameTaskReplacesTheFirst() {
    TaskTable table = new TaskTable(16);
    long a = TaskTable.keyOf(new Object());
    table.put(a, 1, 0, 0, 0, 0);
    table.put(a, 2, 0, 0, 0, 0);
    assertThat(table.seq(table.locate(a))).isEqualTo(2);
    assertThat(table.lostLinks()).isEqualTo(1);
  }

  @Test
  void aPeriodicTaskBecomesReadyAgainAtTheEndOfItsRun() {
    TaskTable table = new TaskTable(16);
    long key = TaskTable.keyOf(new Object());
    table.put(key, 5, 100, 0, 0, TaskTable.PERIODIC);
    table.ready(key, 5, 900);
    table.ready(key, 6, 1_000); // another submit's end: ignored
    assertThat(table.readyNanos(table.locate(key))).isEqualTo(900);
    assertThat(table.flags(table.locate(key))).isEqualTo(TaskTable.PERIODIC);
  }

  /**
   * One thread resubmits the same task over and over while another runs it (takes whatever link it
   * finds): a take of an older link never hides a newer one, so the last link is either still
   * pending or was taken by its own run. Many rounds with seeded jitter.
   */
  @Test
  void aRacingTakeNeverHidesTheNewestLinkOfTheTask() throws Exception {
    long seed = System.nanoTime();
    SplittableRandom rounds = new SplittableRandom(seed);
    for (int round = 0; round < 200; round++) {
      TaskTable table = new TaskTable(4);
      long key = TaskTable.keyOf(new Object());
      int last = 500 + rounds.nextInt(500);
      long jitterSeed = rounds.nextLong();
      AtomicBoolean submitting = new AtomicBoolean(true);
      AtomicLong lastTaken = new AtomicLong();
      Thread runner = new Thread(() -> {
        SplittableRandom jitter = new SplittableRandom(jitterSeed);
        boolean more = true;
        while (more) {
          more = submitting.get(); // one more pass after the submitter stopped
          int slot = table.locate(key);
          long v = slot < 0 ? -1 : table.version(slot, key);
          if (v >= 0) {
            long seq = table.seq(slot);
            for (int spin = jitter.nextInt(20); spin > 0; spin--) {
              Thread.onSpinWait(); // between the read and the take: where a resubmit can land
            }
            if (table.stillValid(slot, v)) {
              table.take(slot, seq);
              lastTaken.set(seq);
            }
          }
        }
      });
      runner.start();
      SplittableRandom jitter = new SplittableRandom(~jitterSeed);
      for (int seq = 1; seq <= last; seq++) {
        table.put(key, seq, 0, 0, 0, 0);
        for (int spin = jitter.nextInt(20); spin > 0; spin--) {
          Thread.onSpinWait();
        }
      }
      submitting.set(false);
      runner.join();
      int slot = table.locate(key);
      long v = slot < 0 ? -1 : table.version(slot, key);
      if (v >= 0) {
        assertThat(table.seq(slot)).as("round %d, seed %d", round, seed).isEqualTo(last);
      } else {
        assertThat(lastTaken.get()).as("the newest link is hidden only if taken: round %d, seed %d", round, seed)
            .isEqualTo(last);
      }
    }
  }

  @Test
  void aSubmitWhoseFreeSlotIsBeingWrittenTakesTheBucketsNextFreeSlot() throws Exception {
    TaskTable table = new TaskTable(4); // one bucket of 4
    long[] slots = slotsOf(table);
    slots[TaskTable.VERSION] = 1; // the bucket's first slot: another submit is writing it
    long a = TaskTable.keyOf(new Object());
    assertThat(table.put(a, 7, 0, 0, 0, 0)).isTrue();
    int slot = table.locate(a);
    assertThat(slot).as("linked in a slot nobody is writing").isGreaterThan(0);
    assertThat(table.seq(slot)).isEqualTo(7);
    assertThat(table.lostLinks()).isZero();
  }

  @Test
  void aSubmitIsLostOnlyWhenEverySlotOfItsBucketIsBeingWritten() throws Exception {
    TaskTable table = new TaskTable(4);
    long[] slots = slotsOf(table);
    for (int way = 0; way < TaskTable.WAYS; way++) {
      slots[(way << 3) + TaskTable.VERSION] = 1;
    }
    long a = TaskTable.keyOf(new Object());
    assertThat(table.put(a, 7, 0, 0, 0, 0)).isFalse();
    assertThat(table.locate(a)).isEqualTo(-1);
    assertThat(table.lostLinks()).isEqualTo(1);
  }

  /**
   * Two submitting threads share one bucket and each takes its link before its next submit, so at
   * most two links are pending and a free slot always exists: two submits racing for the same free
   * slot must both be linked (the loser takes another), so no link may be lost. Seeded jitter
   * between the steps moves the race around.
   */
  @Test
  void submitsRacingForOneFreeSlotAreAllLinked() throws Exception {
    long seed = System.nanoTime();
    SplittableRandom rounds = new SplittableRandom(seed);
    for (int round = 0; round < 20; round++) {
      TaskTable table = new TaskTable(4);
      long roundSeed = rounds.nextLong();
      AtomicLong unlinked = new AtomicLong();
      CountDownLatch start = new CountDownLatch(1);
      Thread[] submitters = new Thread[2];
      for (int t = 0; t < submitters.length; t++) {
        long threadSeed = roundSeed + t;
        submitters[t] = new Thread(() -> {
          SplittableRandom jitter = new SplittableRandom(threadSeed);
          Object[] tasks = {new Object(), new Object(), new Object()};
          awaitQuietly(start);
          for (int i = 1; i <= 20_000; i++) {
            long key = TaskTable.keyOf(tasks[i % tasks.length]);
            long seq = 2L * i + threadSeed - roundSeed; // unique over both threads, as submit seqs are
            if (!table.put(key, seq, 0, 0, 0, 0)) {
              unlinked.incrementAndGet();
            }
            for (int spin = jitter.nextInt(8); spin > 0; spin--) {
              Thread.onSpinWait();
            }
            int slot = table.locate(key);
            long v = slot < 0 ? -1 : table.version(slot, key);
            if (v < 0 || table.seq(slot) != seq) {
              unlinked.incrementAndGet();
            } else {
              table.take(slot, seq);
            }
          }
        });
        submitters[t].start();
      }
      start.countDown();
      for (Thread t : submitters) {
        t.join();
      }
      assertThat(table.lostLinks()).as("lost links: round %d, seed %d", round, seed).isZero();
      assertThat(unlinked.get()).as("submits not found linked: round %d, seed %d", round, seed).isZero();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long[] slotsOf(TaskTable table) throws ReflectiveOperationException {
    java.lang.reflect.Field f = TaskTable.class.getDeclaredField("slots");
    f.setAccessible(true);
    return (long[]) f.get(table);
  }

  @Test
  void capacityMustBeAPowerOfTwo() {
    assertThatThrownBy(() -> new TaskTable(100)).hasMessage("capacity must be a power of two >= 4 and <= 67108864: 100");
  }

  /**
   * Writers race on few slots while readers look up: a reader that finds a key and validates its
   * read always sees the fields written together with that key (seq = key-derived), never a mix.
   */
  @Test
  void readersNeverSeeATornLink() throws Exception {
    long seed = System.nanoTime();
    TaskTable table = new TaskTable(4);
    Object[] tasks = new Object[16];
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = new Object();
    }
    AtomicLong torn = new AtomicLong();
    CountDownLatch done = new CountDownLatch(3);
    Runnable writer = () -> {
      SplittableRandom r = new SplittableRandom(seed ^ Thread.currentThread().getId());
      for (int i = 0; i < 200_000; i++) {
        Object t = tasks[r.nextInt(tasks.length)];
        long key = TaskTable.keyOf(t);
        table.put(key, key * 31, key * 17, (int) key, (int) (key >>> 32), 0);
      }
      done.countDown();
    };
    Runnable reader = () -> {
      SplittableRandom r = new SplittableRandom(seed + 1);
      for (int i = 0; i < 400_000; i++) {
        long key = TaskTable.keyOf(tasks[r.nextInt(tasks.length)]);
        int slot = table.locate(key);
        long v = slot < 0 ? -1 : table.version(slot, key);
        if (v < 0) {
          continue;
        }
        long seq = table.seq(slot);
        long ready = table.readyNanos(slot);
        int site = table.site(slot);
        if (table.stillValid(slot, v) && (seq != key * 31 || ready != key * 17 || site != (int) key)) {
          torn.incrementAndGet();
        }
      }
      done.countDown();
    };
    new Thread(writer).start();
    new Thread(writer).start();
    new Thread(reader).start();
    done.await();
    assertThat(torn.get()).as("torn reads, seed %d", seed).isZero();
  }
}
