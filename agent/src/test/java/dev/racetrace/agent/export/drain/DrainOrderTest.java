package dev.racetrace.agent.export.drain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.EventKind;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.buffer.RingRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exporter's drain, cut short by its per-cycle limit, still hands events to the assembler in
 * seq order: a dequeue is never assembled before the enqueue it consumed, whichever rings they sit
 * in and however busy one thread is.
 */
class DrainOrderTest {
  private static final long META = EventKind.QUEUE_ENQUEUE;

  /** Rings in a registry, with what was written to each, in order. */
  private static final class Rings {
    final RingRegistry registry = new RingRegistry();
    final List<EventRing> rings = new ArrayList<>();
    final Map<EventRing, List<Long>> written = new HashMap<>();
    long seq;

    EventRing add(long threadId, Thread owner) {
      EventRing r = new EventRing(1 << 16, false, threadId, "t" + threadId);
      registry.register(r, owner);
      rings.add(r);
      written.put(r, new ArrayList<>());
      return r;
    }

    void write(EventRing r) {
      long s = ++seq;
      assertThat(r.write(s, s, META, r.ownerThreadId(), 0, 0, 0, 0, null, null)).isTrue();
      written.get(r).add(s);
    }

    /** The lowest seq still in a ring (they are written in seq order), or MAX when empty. */
    long lowestLeft(EventRing r) {
      List<Long> w = written.get(r);
      long left = r.backlog();
      return left == 0 ? Long.MAX_VALUE : w.get((int) (w.size() - left));
    }
  }

  @Test
  void everyEventIsReleasedOnceInSeqOrderWhateverTheCyclesCut() {
    for (int repeat = 0; repeat < 50; repeat++) {
      long seed = System.nanoTime() + repeat;
      try {
        releasesInOrder(new Random(seed));
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  private static void releasesInOrder(Random rnd) {
    Rings rings = new Rings();
    int n = 2 + rnd.nextInt(5);
    for (int i = 0; i < n; i++) {
      rings.add(100 + i, Thread.currentThread());
    }
    RingDrainer drainer = new RingDrainer(rings.registry, new ThreadDirectory(), () -> rings.seq);
    InOrderRelease order = new InOrderRelease(100_000);
    List<Long> released = new ArrayList<>();
    int max = 1 + rnd.nextInt(64);
    for (int cycle = 0; cycle < 200; cycle++) {
      // one thread is much busier than the others
      int writes = rnd.nextInt(2 * max + 1);
      for (int i = 0; i < writes; i++) {
        rings.write(rings.rings.get(rnd.nextInt(4) == 0 ? rnd.nextInt(n) : 0));
      }
      List<Event> drained = drainer.drain(max, new ArrayList<>());
      long watermark = drainer.watermark();
      for (EventRing r : rings.rings) {
        if (!r.isEmpty()) {
          assertThat(rings.lowestLeft(r)).as("left in a ring at or below the watermark").isGreaterThan(watermark);
        }
      }
      for (Event e : order.release(drained, watermark, new ArrayList<>(), new ArrayList<>())) {
        released.add(e.seq);
      }
    }
    while (true) {
      List<Event> drained = drainer.drain(max, new ArrayList<>());
      for (Event e : order.release(drained, drainer.watermark(), new ArrayList<>(), new ArrayList<>())) {
        released.add(e.seq);
      }
      if (drained.isEmpty() && !drainer.cutShort()) {
        break;
      }
    }
    assertThat(order.held()).isZero();
    assertThat(released).hasSize((int) rings.seq);
    for (int i = 0; i < released.size(); i++) {
      assertThat(released.get(i)).as("release #" + i).isEqualTo(i + 1L);
    }
  }

  @Test
  void aRecordWrittenDuringAJournalPassIntoARingAlreadyVisitedHoldsTheWatermarkBelowIt() {
    Rings rings = new Rings();
    EventRing producer = rings.add(1, Thread.currentThread()); // visited first, empty then
    EventRing consumer = rings.add(2, Thread.currentThread());
    long enqueueSeq = ++rings.seq; // taken before the offer, written after it
    rings.write(consumer); // the consumer took the element and recorded first
    RingDrainer drainer = new RingDrainer(rings.registry, new ThreadDirectory(), () -> rings.seq);
    List<Long> journaled = new ArrayList<>();
    drainer.drainTo((longs, refs, i, name) -> {
      journaled.add(longs[i * EventRing.RECORD_LONGS + EventRing.HEADER]);
      if (producer.isEmpty() && journaled.size() == 1) {
        // the producer's record lands while the pass is on the consumer's ring
        assertThat(producer.write(enqueueSeq, enqueueSeq, META, 1, 0, 0, 0, 0, null, null)).isTrue();
      }
    }, Integer.MAX_VALUE, new ArrayList<>());

    assertThat(journaled).containsExactly(enqueueSeq + 1);
    assertThat(drainer.watermark()).as("the consumer's record must wait for the producer's")
        .isLessThan(enqueueSeq);
  }

  @Test
  void aDrainLimitNeverLeavesAnEventsStateValuesForTheNextPass() {
    for (boolean journal : new boolean[] {false, true}) {
      Rings rings = new Rings();
      EventRing ring = rings.add(1, Thread.currentThread());
      long stateMeta = EventKind.STATE;
      assertThat(ring.write(5, 5, EventKind.QUEUE_DEQUEUE, 1, 0, 0, 0, 0, null, null)).isTrue();
      assertThat(ring.write(5, 5, stateMeta, 1, 0, 0, 11, 0, null, null)).isTrue(); // probe 0 = 11
      assertThat(ring.write(5, 5, stateMeta, 1, 0, 1, 22, 0, null, null)).isTrue(); // probe 1 = 22
      assertThat(ring.write(6, 6, EventKind.QUEUE_DEQUEUE, 1, 0, 0, 0, 0, null, null)).isTrue();
      RingDrainer drainer = new RingDrainer(rings.registry, new ThreadDirectory(), () -> 6);
      if (journal) {
        List<Long> seqs = new ArrayList<>();
        drainer.drainTo((longs, refs, i, name) -> seqs.add(longs[i * EventRing.RECORD_LONGS + EventRing.HEADER]),
            1, new ArrayList<>());
        assertThat(seqs).as("a pass of one record takes the event with its values").containsExactly(5L, 5L, 5L);
      } else {
        List<Event> first = drainer.drain(1, new ArrayList<>());
        assertThat(first).hasSize(1);
        assertThat(first.get(0).stateCount).as("the values of the event a pass of one took").isEqualTo(2);
        assertThat(first.get(0).state).startsWith(0, 11, 1, 22);
        assertThat(drainer.drain(1, new ArrayList<>())).extracting(e -> e.seq).containsExactly(6L);
      }
    }
  }

  @Test
  void olderEventsLeaveFirstWhicheverRingHoldsThem() {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    Rings rings = new Rings();
    EventRing busy = rings.add(1, Thread.currentThread());
    List<EventRing> quiet = new ArrayList<>();
    for (int i = 0; i < 3 + rnd.nextInt(4); i++) {
      quiet.add(rings.add(10 + i, Thread.currentThread()));
    }
    for (int i = 0; i < 40; i++) {
      rings.write(busy);
    }
    for (EventRing q : quiet) {
      for (int i = 0; i < 1 + rnd.nextInt(5); i++) {
        rings.write(q); // older than most of the busy thread's events
      }
    }
    for (int i = 0; i < 10_000; i++) {
      rings.write(busy);
    }
    RingDrainer drainer = new RingDrainer(rings.registry, new ThreadDirectory(), () -> rings.seq);
    List<Event> drained = drainer.drain(100, new ArrayList<>());
    assertThat(drained).as("seed " + seed).extracting(e -> e.seq).hasSize(100)
        .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(1, 100).boxed()
            .collect(java.util.stream.Collectors.toList()));
    for (EventRing q : quiet) {
      assertThat(q.isEmpty()).as("seed " + seed + ": a quiet thread's older events are drained").isTrue();
    }
    assertThat(drainer.watermark()).as("seed " + seed).isEqualTo(100);
  }

  private static Event event(long seq, long threadId) {
    Event e = new Event();
    e.seq = seq;
    e.threadId = threadId;
    return e;
  }

  @Test
  void aThreadsEndWaitsForItsHeldEvents() {
    InOrderRelease order = new InOrderRelease(1_000);
    List<Long> endedNow = new ArrayList<>();
    List<Event> now = order.release(new ArrayList<>(List.of(event(1, 1), event(6, 2), event(7, 2))), 5,
        new ArrayList<>(List.of(2L)), endedNow);
    assertThat(now).extracting(e -> e.seq).containsExactly(1L);
    assertThat(endedNow).as("its events 6 and 7 are still held").isEmpty();

    now = order.release(new ArrayList<>(List.of(event(5, 1))), 10, new ArrayList<>(), endedNow);
    assertThat(now).extracting(e -> e.seq).containsExactly(5L, 6L, 7L);
    assertThat(endedNow).containsExactly(2L);
    assertThat(order.held()).isZero();
  }

  @Test
  void aSliceReleasesTheEarliestAndHoldsTheRestInOrder() {
    // live export assembles in slices: what a slice leaves must follow later, in seq order, with a
    // thread's end after its last event
    InOrderRelease order = new InOrderRelease(1_000);
    List<Event> drained = new ArrayList<>();
    for (long s = 1; s <= 10; s++) {
      drained.add(event(s, s <= 3 ? 1 : 2));
    }
    java.util.Collections.reverse(drained);
    List<Long> endedNow = new ArrayList<>();
    List<Event> now = order.release(drained, 100, new ArrayList<>(List.of(1L)), endedNow, 4);
    assertThat(now).extracting(e -> e.seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(endedNow).as("thread 1's events have all gone").containsExactly(1L);
    assertThat(order.held()).isEqualTo(6);

    now = order.release(new ArrayList<>(List.of(event(11, 2))), 100, new ArrayList<>(List.of(2L)), endedNow, 4);
    assertThat(now).extracting(e -> e.seq).containsExactly(5L, 6L, 7L, 8L);
    assertThat(endedNow).as("thread 2 still has 9..11 held").containsExactly(1L);
    now = order.release(new ArrayList<>(), 100, new ArrayList<>(), endedNow, 4);
    assertThat(now).extracting(e -> e.seq).containsExactly(9L, 10L, 11L);
    assertThat(endedNow).containsExactly(1L, 2L);
    assertThat(order.held()).isZero();
  }

  @Test
  void aSliceNeverReleasesAboveTheWatermark() {
    InOrderRelease order = new InOrderRelease(1_000);
    List<Event> drained = new ArrayList<>();
    for (long s = 1; s <= 10; s++) {
      drained.add(event(s, 1));
    }
    assertThat(order.release(drained, 2, new ArrayList<>(), new ArrayList<>(), 5))
        .extracting(e -> e.seq).containsExactly(1L, 2L);
    assertThat(order.held()).isEqualTo(8);
  }

  @Test
  void pastTheBoundNothingIsHeld() {
    InOrderRelease order = new InOrderRelease(5);
    List<Event> drained = new ArrayList<>();
    for (long s = 1; s <= 10; s++) {
      drained.add(event(s, 1));
      drained.add(event(30 + s, 2));
    }
    // ten events above the watermark to hold, over the bound of five: all go
    List<Event> now = order.release(drained, 10, new ArrayList<>(), new ArrayList<>());
    assertThat(order.held()).isZero();
    assertThat(now).extracting(e -> e.seq).isSorted().doesNotHaveDuplicates().hasSize(20);
  }

  @Test
  void underTheBoundEventsAboveTheWatermarkWait() {
    InOrderRelease order = new InOrderRelease(1_000);
    List<Event> drained = new ArrayList<>();
    for (long s = 1; s <= 10; s++) {
      drained.add(event(30 + s, 2));
      drained.add(event(s, 1));
    }
    List<Event> now = order.release(drained, 10, new ArrayList<>(), new ArrayList<>());
    assertThat(now).extracting(e -> e.seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(order.held()).isEqualTo(10);
  }

  @Test
  void aRunFromTheOldestRingMayOvershootAndWhatItTookTooEarlyWaits() {
    Rings rings = new Rings();
    EventRing a = rings.add(1, Thread.currentThread());
    EventRing b = rings.add(2, Thread.currentThread());
    rings.write(a); // 1
    for (int i = 0; i < 9; i++) {
      rings.write(b); // 2..10
    }
    for (int i = 0; i < 100; i++) {
      rings.write(a); // 11..110
    }
    RingDrainer drainer = new RingDrainer(rings.registry, new ThreadDirectory(), () -> rings.seq);
    InOrderRelease order = new InOrderRelease(1_000);
    List<Event> now = order.release(drainer.drain(20, new ArrayList<>()), drainer.watermark(),
        new ArrayList<>(), new ArrayList<>());
    assertThat(drainer.watermark()).as("b's 2..10 still wait").isEqualTo(1);
    assertThat(now).extracting(e -> e.seq).containsExactly(1L);
    now = order.release(drainer.drain(1_000, new ArrayList<>()), drainer.watermark(), new ArrayList<>(),
        new ArrayList<>());
    assertThat(now).extracting(e -> e.seq).hasSize(109).isSorted().startsWith(2L, 3L);
    assertThat(order.held()).isZero();
  }

  @Test
  void onlyTheLimitMakesADrainShort() {
    // "short" sends the exporter straight into another cycle without resting: it must mean the
    // limit left events behind, not that the application recorded more meanwhile
    Rings rings = new Rings();
    EventRing a = rings.add(1, Thread.currentThread());
    for (int i = 0; i < 150; i++) {
      rings.write(a);
    }
    RingDrainer drainer = new RingDrainer(rings.registry, new ThreadDirectory(), () -> rings.seq);
    assertThat(drainer.drain(100, new ArrayList<>())).hasSize(100);
    assertThat(drainer.cutShort()).isTrue();
    assertThat(drainer.drain(100, new ArrayList<>())).hasSize(50);
    assertThat(drainer.cutShort()).isFalse();
    assertThat(drainer.watermark()).isEqualTo(150);
  }

  @Test
  void eventsTakenDuringADrainWaitForTheNext() {
    Rings rings = new Rings();
    EventRing a = rings.add(1, Thread.currentThread());
    EventRing b = rings.add(2, Thread.currentThread());
    for (int i = 0; i < 10; i++) {
      rings.write(a); // 1..10
    }
    for (int i = 0; i < 10; i++) {
      rings.write(b); // 11..20
    }
    // when the drain began only 15 had been handed out: a thread that took 14 may not have written
    // it yet to a ring drained first, while 16..20 are already in rings drained later
    long[] issued = {15};
    RingDrainer drainer = new RingDrainer(rings.registry, new ThreadDirectory(), () -> issued[0]);
    InOrderRelease order = new InOrderRelease(1_000);
    List<Event> now = order.release(drainer.drain(1_000, new ArrayList<>()), drainer.watermark(),
        new ArrayList<>(), new ArrayList<>());
    assertThat(drainer.cutShort()).isFalse();
    assertThat(now).extracting(e -> e.seq).hasSize(15).isSorted();
    assertThat(order.held()).isEqualTo(5);
    issued[0] = 20;
    now = order.release(drainer.drain(1_000, new ArrayList<>()), drainer.watermark(), new ArrayList<>(),
        new ArrayList<>());
    assertThat(now).extracting(e -> e.seq).containsExactly(16L, 17L, 18L, 19L, 20L);
  }
}
