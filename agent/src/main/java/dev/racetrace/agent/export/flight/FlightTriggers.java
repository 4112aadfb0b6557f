package dev.racetrace.agent.export.flight;

import dev.racetrace.agent.export.assemble.GuardSpans;
import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.assemble.SpanAssembler;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.schema.EventRole;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Flight mode on the journal: the {@code timeout} trigger found on the raw records as the journal
 * takes them, with no event decoded and no span assembled. Each record is handed to the journal
 * first, then its fields are read where they lie in the drain buffer.
 *
 * <p>The semantics are the span assembler's ({@link SpanAssembler}, {@code race.guard.timed_out} and
 * {@code race.guard.went_on}): a guard wait (latch, condition, semaphore, future, barrier, ... not a
 * sleep) whose record says it timed out is held for its thread; the thread's next record decides:
 * another wait on the same object is a retry (nothing fires), anything else means the code went on
 * and the trigger fires ({@link FlightRecorder#timedWaitWentOn}, which applies
 * racetrace.flight.timeout.interval). A thread that ends, or is let go at the table's cap, with an
 * expired wait held went on too, as in the assembler; at exit the held waits fire nothing, as the
 * assembler's {@code flushAll} exports them without {@code went_on}.
 *
 * <p>Memory: one open-addressed table of the threads holding an expired wait, allocated once and
 * sized for {@code maxThreads} (racetrace.memory.max's thread cap); at the cap the wait held longest
 * in the probe's way is let go as "went on" and counted as dropped state. No allocation per record;
 * only a firing trigger builds its reason. Exporter thread only.
 */
public final class FlightTriggers implements RingDrainer.RecordSink {
  /** Kinds that are guard waits (span verb {@code await}): a retry of an expired one is another of these. */
  private static final boolean[] AWAIT = new boolean[256];
  /** Kinds whose timed-out record is an expired timed wait (guard waits other than sleep). */
  private static final boolean[] TIMED_WAIT = new boolean[256];

  static {
    for (int k = 0; k < 256; k++) {
      AWAIT[k] = GuardSpans.guardKind(k) != null && GuardSpans.guardRole(k) == EventRole.AWAIT;
      TIMED_WAIT[k] = AWAIT[k] && k != EventKind.SLEEP;
    }
  }

  private final RingDrainer.RecordSink journal;
  private final FlightRecorder flight;
  private final Naming naming;
  private final AtomicLong droppedState;
  private final int maxThreads;
  private final int mask;
  /** Thread id of each slot, 0 when empty (thread ids are positive). */
  private final long[] threadIds;
  /** The expired wait held for that thread: its object, call site and kind. */
  private final int[] objIds;
  private final int[] sites;
  private final int[] kinds;
  private int held;
  private long fired;

  /**
   * @param journal where every record goes first
   * @param flight the flight recorder the trigger fires on (its rate limit applies)
   * @param naming names the waited-on object in the trigger's reason (fed the allocation records)
   * @param maxThreads threads holding an expired wait at most (racetrace.memory.max)
   * @param droppedState counts the waits let go at that cap
   */
  FlightTriggers(RingDrainer.RecordSink journal, FlightRecorder flight, Naming naming, int maxThreads,
      AtomicLong droppedState) {
    this.journal = journal;
    this.flight = flight;
    this.naming = naming;
    this.droppedState = droppedState;
    this.maxThreads = Math.max(1, maxThreads);
    int capacity = Integer.highestOneBit(Math.max(2, this.maxThreads) * 2 - 1) * 2;
    this.mask = capacity - 1;
    this.threadIds = new long[capacity];
    this.objIds = new int[capacity];
    this.sites = new int[capacity];
    this.kinds = new int[capacity];
  }

  @Override
  public void appContext(long threadId, Object context) {
    journal.appContext(threadId, context);
  }
  @Override
  public void record(long[] longs, Object[] refs, int i, String threadName) {
    journal.record(longs, refs, i, threadName);
    int o = i * EventRing.RECORD_LONGS;
    long meta = longs[o + EventRing.META];
    int kind = (int) (meta & 0xFF);
    if (kind == EventKind.STATE) {
      return; // a state probe belongs to the record before it: not the thread's next event
    }
    int objId = (int) longs[o + EventRing.IDS];
    int site = (int) (meta >>> 32);
    if (kind == EventKind.OBJECT_NEW) {
      naming.allocated(objId, site); // names the object in a reason; not the thread's next event either
      return;
    }
    long threadId = longs[o + EventRing.THREAD];
    if (held > 0) {
      int slot = find(threadId);
      if (slot >= 0) {
        boolean retried = AWAIT[kind] && objId == objIds[slot] && objId != 0;
        if (!retried) {
          fire(slot);
        }
        remove(slot);
      }
    }
    int outcome = (int) ((meta >>> 8) & 0xFF);
    if (outcome == Outcome.TIMED_OUT && TIMED_WAIT[kind]) {
      hold(threadId, objId, site, kind);
    }
  }

  /** A thread ended: a wait it held expired and the code went on (its thread finished). */
  void threadEnded(long threadId) {
    if (held > 0) {
      int slot = find(threadId);
      if (slot >= 0) {
        fire(slot);
        remove(slot);
      }
    }
  }

  /** Expired waits held now (visible for testing: bounded by maxThreads). */
  int held() {
    return held;
  }

  /** Expired waits found to have gone on so far, rate-limited or not (visible for testing). */
  long fired() {
    return fired;
  }

  private void fire(int slot) {
    fired++;
    int objId = objIds[slot];
    int site = sites[slot];
    String kind = GuardSpans.guardKind(kinds[slot]);
    flight.timedWaitWentOn(() -> naming.object(objId, site,
        Character.toUpperCase(kind.charAt(0)) + kind.substring(1)));
  }

  private void hold(long threadId, int objId, int site, int kind) {
    if (held >= maxThreads) {
      // at the cap the entry where this thread would go is let go, as the assembler lets the
      // quietest thread go: its wait counts as gone on
      int victim = home(threadId);
      while (threadIds[victim] == 0) {
        victim = (victim + 1) & mask;
      }
      droppedState.incrementAndGet();
      fire(victim);
      remove(victim);
    }
    int slot = home(threadId);
    while (threadIds[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    threadIds[slot] = threadId;
    objIds[slot] = objId;
    sites[slot] = site;
    kinds[slot] = kind;
    held++;
  }

  private int home(long threadId) {
    long h = threadId * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private int find(long threadId) {
    for (int slot = home(threadId); ; slot = (slot + 1) & mask) {
      long id = threadIds[slot];
      if (id == threadId) {
        return slot;
      }
      if (id == 0) {
        return -1;
      }
    }
  }

  /** Linear probing's deletion: the entries after the hole that belong before it move back. */
  private void remove(int slot) {
    held--;
    int hole = slot;
    for (int next = (hole + 1) & mask; threadIds[next] != 0; next = (next + 1) & mask) {
      int want = home(threadIds[next]);
      // move next into the hole unless its home lies cyclically in (hole, next]
      boolean stays = hole <= next ? hole < want && want <= next : hole < want || want <= next;
      if (!stays) {
        threadIds[hole] = threadIds[next];
        objIds[hole] = objIds[next];
        sites[hole] = sites[next];
        kinds[hole] = kinds[next];
        hole = next;
      }
    }
    threadIds[hole] = 0;
  }
}
