package dev.racetrace.agent.export.flight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.export.assemble.Ids;
import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.site.CallSites;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Flight mode on the journal: the timeout trigger is found on the raw records, with the span
 * assembler's semantics (an expired timed wait that the thread's next event shows went on), and
 * without decoding an event or building a span.
 */
class FlightTriggersTest {
  private static final int AWAIT = CallSites.register("com.acme.Node", "start", 12, "CountDownLatch.await", "Node.ready");
  private static final int PUT = CallSites.register("com.acme.Feed", "send", 11, "BlockingQueue.put", "Node.inbox");
  private static final int POLL = CallSites.register("com.acme.Worker", "loop", 30, "BlockingQueue.poll", "Node.inbox");
  private static final int SLEEP = CallSites.register("com.acme.Worker", "idle", 40, "Thread.sleep", null);

  private final long[] longs = new long[64 * EventRing.RECORD_LONGS];
  private final Object[] refs = new Object[64 * EventRing.RECORD_REFS];
  private final List<String> dumps = new ArrayList<>();
  private final List<Long> suppressed = new ArrayList<>();
  private final AtomicLong droppedState = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private long journaled;
  private long seq = 1;

  private FlightRecorder flight(String... triggers) {
    FlightRecorder f = new FlightRecorder(1, Set.of(triggers), s -> { }, new Ids("n", 60_000), Resource::getDefault,
        InstrumentationScopeInfo.create("test"));
    f.dumpTo(new FlightRecorder.Dumps() {
      @Override
      public void dump(String reason, long suppressedTimeouts) {
        dumps.add(reason);
        suppressed.add(suppressedTimeouts);
      }

      @Override
      public boolean holdsAnything() {
        return true;
      }
    });
    f.timeoutsFromRecords();
    return f;
  }

  private FlightTriggers triggers(FlightRecorder f, int maxThreads) {
    return new FlightTriggers((l, r, i, name) -> journaled++, f, new Naming(OpNames.none()), maxThreads, droppedState);
  }

  /** Writes one record into slot {@code i} of the drain buffer and hands it to {@code t}. */
  private void record(FlightTriggers t, int i, int kind, int outcome, int site, long thread, int objId) {
    int o = i * EventRing.RECORD_LONGS;
    longs[o + EventRing.HEADER] = seq++;
    longs[o + EventRing.TIME] = 1_700_000_000_000_000_000L + seq;
    longs[o + EventRing.META] = kind | ((long) outcome << 8) | ((long) site << 32);
    longs[o + EventRing.THREAD] = thread;
    longs[o + EventRing.IDS] = objId;
    longs[o + EventRing.A] = 1;
    longs[o + EventRing.B] = 1_000_000;
    longs[o + EventRing.C] = 1_000_000;
    refs[i * EventRing.RECORD_REFS] = null;
    refs[i * EventRing.RECORD_REFS + 1] = null;
    t.record(longs, refs, i, "worker");
  }

  private void expiredWait(FlightTriggers t, long thread, int latch) {
    record(t, 0, EventKind.LATCH_AWAIT, Outcome.TIMED_OUT, AWAIT, thread, latch);
  }

  private void put(FlightTriggers t, long thread) {
    record(t, 1, EventKind.QUEUE_ENQUEUE, Outcome.OK, PUT, thread, 0x51);
  }

  @Test
  void anExpiredTimedWaitThatTheCodeWentOnFromFiresTheTimeoutTriggerFromItsRecords() {
    FlightRecorder f = flight("timeout", "violation");
    FlightTriggers t = triggers(f, 64);
    expiredWait(t, 7, 0x77);
    f.dumpIfTriggered();
    assertThat(dumps).as("went on or retried is decided by the thread's next event").isEmpty();

    put(t, 7);
    f.dumpIfTriggered();

    assertThat(dumps).containsExactly("timed wait on Node.ready expired and the code went on");
    assertThat(journaled).as("every record still goes to the journal").isEqualTo(2);
    assertThat(t.held()).isZero();
  }

  @Test
  void aRetriedWaitOnTheSameObjectAnInOrderSequenceAndOtherThreadsFireNothing() {
    FlightRecorder f = flight("timeout", "violation");
    FlightTriggers t = triggers(f, 64);
    expiredWait(t, 7, 0x77);
    put(t, 8); // another thread's event says nothing about thread 7
    expiredWait(t, 7, 0x77); // the retry loop around a timed await
    record(t, 2, EventKind.LATCH_AWAIT, Outcome.OK, AWAIT, 7, 0x77); // the retry succeeds
    for (int i = 0; i < 100; i++) { // in-order work: puts, successful waits and polls, a sleep that expired
      put(t, 9);
      record(t, 2, EventKind.LATCH_AWAIT, Outcome.OK, AWAIT, 9, 0x78);
      record(t, 3, EventKind.QUEUE_DEQUEUE, Outcome.TIMED_OUT, POLL, 9, 0x51); // a timed poll: no guard wait
      record(t, 4, EventKind.SLEEP, Outcome.TIMED_OUT, SLEEP, 9, 0);
      put(t, 9);
    }
    f.dumpIfTriggered();

    assertThat(dumps).isEmpty();
    assertThat(t.fired()).isZero();
    assertThat(t.held()).isZero();
  }

  @Test
  void aThreadThatEndsAfterItsWaitExpiredWentOn() {
    FlightRecorder f = flight("timeout");
    FlightTriggers t = triggers(f, 64);
    expiredWait(t, 7, 0x77);
    t.threadEnded(8);
    f.dumpIfTriggered();
    assertThat(dumps).isEmpty();

    t.threadEnded(7);
    f.dumpIfTriggered();
    assertThat(dumps).containsExactly("timed wait on Node.ready expired and the code went on");
  }

  @Test
  void withoutTheTimeoutTriggerNothingFires() {
    FlightRecorder f = flight("violation", "shutdown");
    FlightTriggers t = triggers(f, 64);
    expiredWait(t, 7, 0x77);
    put(t, 7);
    f.dumpIfTriggered();
    assertThat(dumps).isEmpty();
  }

  @Test
  void theTimeoutRateLimitStillAppliesAndCountsWhatItSuppressed() {
    FlightRecorder f = flight("timeout");
    f.limitTimeoutDumps(60_000, nanos::get);
    FlightTriggers t = triggers(f, 64);
    for (int i = 0; i < 3; i++) {
      expiredWait(t, 7, 0x77);
      put(t, 7);
      f.dumpIfTriggered();
      nanos.addAndGet(1_000_000_000L);
    }
    assertThat(dumps).hasSize(1);
    nanos.addAndGet(60_000_000_000L);
    expiredWait(t, 7, 0x77);
    put(t, 7);
    f.dumpIfTriggered();
    assertThat(dumps).hasSize(2);
    assertThat(suppressed).containsExactly(0L, 2L);
  }

  @Test
  void theThreadsHoldingAnExpiredWaitAreBoundedAndTheOnesLetGoAreCounted() {
    FlightRecorder f = flight("timeout");
    f.limitTimeoutDumps(60_000, nanos::get);
    FlightTriggers t = triggers(f, 8);
    for (long thread = 1; thread <= 1000; thread++) {
      expiredWait(t, thread, 0x77);
      assertThat(t.held()).isLessThanOrEqualTo(8);
    }
    assertThat(t.held()).isEqualTo(8);
    assertThat(droppedState.get()).isEqualTo(992);
    assertThat(t.fired()).as("let go at the cap: went on, as the assembler counts it").isEqualTo(992);
    for (long thread = 1; thread <= 1000; thread++) {
      put(t, thread);
    }
    assertThat(t.held()).isZero();
    assertThat(t.fired()).isEqualTo(1000);
  }

  @Test
  void theTableAgreesWithAMapUnderRandomHoldsAndReleases() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    FlightRecorder f = flight("timeout");
    FlightTriggers t = triggers(f, 64);
    Map<Long, Boolean> model = new HashMap<>();
    long expectedFired = 0;
    for (int step = 0; step < 20_000; step++) {
      long thread = 1 + random.nextInt(48); // below the cap: nothing is let go
      if (random.nextBoolean()) {
        if (model.containsKey(thread)) {
          expectedFired++; // an expired wait on another object: the first one went on
        }
        record(t, 0, EventKind.LATCH_AWAIT, Outcome.TIMED_OUT, AWAIT, thread, 0x100 + step);
        model.put(thread, true);
      } else {
        if (model.remove(thread) != null) {
          expectedFired++;
        }
        put(t, thread);
      }
      assertThat(t.held()).as("seed %d, step %d", seed, step).isEqualTo(model.size());
      assertThat(t.fired()).as("seed %d, step %d", seed, step).isEqualTo(expectedFired);
    }
    assertThat(droppedState.get()).as("seed %d", seed).isZero();
  }

  @Test
  void checkingRecordsAllocatesNothingInSteadyState() {
    FlightRecorder f = flight("timeout", "violation");
    f.limitTimeoutDumps(60_000, nanos::get);
    FlightTriggers t = triggers(f, 64);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    int rounds = 20_000;
    long perEvent = -1;
    for (int warm = 0; warm < 2; warm++) {
      long before = mx.getThreadAllocatedBytes(id);
      for (int r = 0; r < rounds; r++) {
        put(t, 7);
        expiredWait(t, 7, 0x77); // held ...
        expiredWait(t, 7, 0x77); // ... retried: nothing fires
        record(t, 2, EventKind.LATCH_AWAIT, Outcome.OK, AWAIT, 7, 0x77);
        record(t, 3, EventKind.STATE, Outcome.OK, 0, 7, 0);
      }
      perEvent = (mx.getThreadAllocatedBytes(id) - before) / (5L * rounds);
    }
    assertThat(perEvent).as("bytes allocated per checked record").isZero();
    assertThat(t.fired()).isZero();
  }
}
