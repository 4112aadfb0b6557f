package dev.racetrace.core;

import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.buffer.RingRegistry;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one static entry point of the hot path: hooks call it to take a {@code seq} and to write an
 * event into the calling thread's ring. It never blocks, never takes a lock and, once a thread has
 * its ring, never allocates. Any failure inside it is counted and swallowed: the application's call
 * always proceeds as if racetrace were absent.
 *
 * <p>Until {@link #start} is called by the agent, {@link #isRecording()} is false and hooks only
 * delegate, so the public API is a no-op without the agent.
 *
 * <p>Over 300 lines on purpose: it is the hot path's one entry point, and its memory-ordering and
 * failure-containment notes stay next to the code they govern.
 */
public final class Recorder {
  private static final Sequence SEQ = new Sequence();
  private static final RingRegistry REGISTRY = new RingRegistry();
  private static final AtomicLong INTERNAL_ERRORS = new AtomicLong();
  private static final AtomicLong RING_ALLOCATION_FAILURES = new AtomicLong();
  private static final MethodHandle IS_VIRTUAL = findIsVirtual();

  private static volatile boolean recording;
  private static volatile Settings settings;
  private static EventRing[] sharedRings = new EventRing[0];
  private static volatile boolean ownedRingsFailed;
  private static volatile boolean released;
  /** The ring of threads first seen after {@link #release()}: never written (recording is off). */
  private static final EventRing RELEASED_RING = new EventRing(16, true, -1, null);

  private static final ThreadLocal<ThreadState> STATE = new ThreadLocal<>() {
    @Override
    protected ThreadState initialValue() {
      return newThreadState();
    }
  };

  private Recorder() {}

  /** Recorder settings fixed at start. */
  public static final class Settings {
    final int ringCapacity;
    final int maxOwnedRings;
    final int sharedRings;

    /**
     * @param ringCapacity records per ring, a power of two
     * @param maxOwnedRings platform threads beyond this many write to shared rings
     * @param sharedRings number of shared rings (power of two) for virtual and surplus threads
     */
    public Settings(int ringCapacity, int maxOwnedRings, int sharedRings) {
      this.ringCapacity = ringCapacity;
      this.maxOwnedRings = maxOwnedRings;
      this.sharedRings = sharedRings;
    }
  }

  /** Starts recording. Called once by the agent. */
  public static synchronized void start(Settings s) {
    if (recording) {
      return;
    }
    EventRing[] shared = new EventRing[s.sharedRings];
    for (int i = 0; i < shared.length; i++) {
      shared[i] = new EventRing(s.ringCapacity, true, -1, null, REGISTRY.wake());
      REGISTRY.register(shared[i], null);
    }
    sharedRings = shared;
    settings = s;
    recording = true;
  }

  /** Stops recording; later hook calls only delegate. */
  public static void stop() {
    recording = false;
  }

  /**
   * Stops recording for good and lets go of the rings racetrace holds (the shared rings and the
   * registry's references), after an {@code Error} in racetrace's own threads: the hooks only
   * delegate from now on (one volatile read), threads first seen later get no ring of their own,
   * and a live thread's own ring goes with its thread.
   */
  public static void release() {
    released = true; // volatile: read when a thread is first seen, never on the hot path
    recording = false; // volatile
    sharedRings = new EventRing[0];
    REGISTRY.clear();
  }

  /** Whether events are being recorded (false without the agent). */
  public static boolean isRecording() {
    return recording; // volatile
  }

  /**
   * Whether the calling thread should record its next event: recording is on and its ring has
   * room. When the ring is full the event is counted as dropped here, before any seq, clock read
   * or hash is paid for, so an overloaded exporter costs the application almost nothing.
   */
  public static boolean shouldRecord() {
    if (!recording) { // volatile
      return false;
    }
    try {
      EventRing ring = STATE.get().ring;
      if (ring.isFull()) {
        ring.countSkipped();
        return false;
      }
      return true;
    } catch (Throwable t) {
      INTERNAL_ERRORS.incrementAndGet();
      return false;
    }
  }

  /** Next value of the global sequence. */
  public static long nextSeq() {
    return SEQ.next();
  }

  /**
   * The seq of a call that publishes to other threads (an enqueue, a submit, a release, a signal),
   * taken before the call: the calling thread's ring marks it until its record is written, and the
   * exporter assembles no later seq meanwhile ({@link EventRing#beginPublishing}), so a consumer's
   * event is never put before the enqueue it depends on.
   *
   * @param ts the calling thread's state, never null
   */
  public static long publishingSeq(ThreadState ts) {
    long seq = SEQ.next();
    ts.ring.beginPublishing(seq);
    return seq;
  }

  /** The publishing call of {@code seq} returned: see {@link EventRing#publishingReturned}. */
  public static void publishingReturned(ThreadState ts, long seq) {
    ts.ring.publishingReturned(seq);
  }

  /** The last sequence number handed out. */
  public static long currentSeq() {
    return SEQ.current();
  }

  /** Rings for the exporter. */
  public static RingRegistry registry() {
    return REGISTRY;
  }

  /** Failures swallowed inside the recorder (should stay 0). */
  public static long internalErrors() {
    return INTERNAL_ERRORS.get();
  }

  /** Counts a failure inside racetrace code that ran on an application thread. */
  public static void countInternalError() {
    INTERNAL_ERRORS.incrementAndGet();
  }

  /** The calling thread's state. */
  static ThreadState threadState() {
    return STATE.get();
  }

  /**
   * Returned by {@link #enterOp} when the call must only delegate: nothing is recorded, or an
   * operation on the same object is already in progress on this thread.
   */
  public static final Object SKIP = new Object();


  /**
   * The calling thread's state while recording, else null. A hook that records more than once per
   * call (enter, exit, record) looks it up once here and passes it to the {@code ThreadState}
   * forms below: each lookup is a ThreadLocal get, a few ns on the hot path.
   */
  public static ThreadState recordingState() {
    if (!recording) { // volatile
      return null;
    }
    try {
      return STATE.get();
    } catch (Throwable t) {
      INTERNAL_ERRORS.incrementAndGet();
      return null;
    }
  }

  /**
   * {@link #shouldRecord()} that returns the calling thread's state to record with (one lookup for
   * the whole hook), or null when nothing is to be recorded (the event then counted as dropped).
   */
  public static ThreadState stateWithRoom() {
    if (!recording) { // volatile
      return null;
    }
    try {
      ThreadState ts = STATE.get();
      EventRing ring = ts.ring;
      if (ring.isFull()) {
        ring.countSkipped();
        return null;
      }
      return ts;
    } catch (Throwable t) {
      INTERNAL_ERRORS.incrementAndGet();
      return null;
    }
  }

  /** After a Condition wait on this thread: whether it timed out (read by the loop's check). */
  public static void conditionWaited(ThreadState ts, boolean timedOut) {
    ts.conditionTimedOut = timedOut;
  }

  /**
   * At a Condition loop's predicate check: whether the last wait before it timed out; clears it,
   * so a later check that needed no wait reads false.
   */
  public static boolean takeConditionTimedOut(ThreadState ts) {
    boolean timedOut = ts.conditionTimedOut;
    ts.conditionTimedOut = false;
    return timedOut;
  }

  /**
   * Enters one operation on {@code target} (a queue's offer, an executor's execute), seen by a
   * call-site hook or a type's advice, whichever comes first. One logical operation records once:
   * calls on the same object made inside it (an addFirst that calls offerFirst, a submit that calls
   * execute) are its implementation and return {@link #SKIP}; calls on another object (an
   * executor's execute offering to its queue) are operations of their own. O(1), no allocation.
   *
   * @param ts the state from {@link #recordingState()}; null returns {@link #SKIP}
   * @return {@link #SKIP}, or the marker to give back to {@link #exitOp} when the call returns
   */
  public static Object enterOp(ThreadState ts, Object target) {
    if (ts == null) {
      return SKIP;
    }
    Object outer = ts.opTarget;
    if (outer == target) {
      return SKIP;
    }
    EventRing ring = ts.ring;
    if (ring.isFull()) {
      ring.countSkipped();
      return SKIP;
    }
    ts.opTarget = target;
    return outer;
  }

  /** Leaves the operation entered by {@link #enterOp} (no-op for {@link #SKIP}), with the state given to it. */
  public static void exitOp(ThreadState ts, Object outer) {
    if (outer != SKIP) {
      ts.opTarget = outer;
    }
  }

  /**
   * {@link #record} with the calling thread's state already looked up (never null); called by
   * {@link dev.racetrace.core.hook.Events}' writers.
   */
  public static void record(ThreadState ts, int kind, int outcome, int small, int site, Object obj,
      Object elem, long a, long b, long c, long seq, long time, Object key, Object aux) {
    try {
      write(ts, kind, outcome, small, site, obj, elem, a, b, c, seq, time, key, aux);
    } catch (Throwable t) {
      INTERNAL_ERRORS.incrementAndGet();
    }
  }

  /** {@link #recordWithState} with the calling thread's state already looked up (never null). */
  public static void recordWithState(ThreadState ts, int kind, int outcome, int small, int site,
      Object obj, Object elem, long a, long b, long c, long seq, long time, Object key, Object aux) {
    recordWithStateFor(ts, kind, outcome, small, site, System.identityHashCode(obj), elem, a, b, c, seq,
        time, key, aux);
  }

  /**
   * A linked task starts running: what it does is the application's work, recorded in full even
   * when an executor's own method runs it inline (its calls on that executor are its own
   * operations). @return the marker to give back to {@link #resumeOp} when the task ends
   */
  public static Object suspendOp(ThreadState ts) {
    Object outer = ts.opTarget;
    ts.opTarget = null;
    return outer;
  }

  /** A linked task ended; see {@link #suspendOp}. */
  public static void resumeOp(ThreadState ts, Object outer) {
    if (outer != null) {
      ts.opTarget = outer;
    }
  }

  /**
   * Like {@link #recordWithState}, for an object known only by its identity hash (a linked task's
   * executor, of which racetrace keeps no reference). Used for a task's start, which is recorded
   * even inside an instrumented executor's own method (see {@link #suspendOp}).
   */
  public static void recordWithStateFor(ThreadState ts, int kind, int outcome, int small, int site,
      int objId, Object elem, long a, long b, long c, long seq, long time, Object key, Object aux) {
    try {
      writeWithState(ts, kind, outcome, small, site, objId, elem, a, b, c, seq, time, key, aux);
    } catch (Throwable t) {
      INTERNAL_ERRORS.incrementAndGet();
    }
  }

  /**
   * Writes one event for the calling thread. The object is identified by its identity hash code;
   * the element (when there is one, else {@code aux}) and the key are stored by reference, never
   * copied or read here. The slots {@code a}, {@code b}, {@code c} and {@code small} are positional:
   * racetrace's own code writes through {@link dev.racetrace.core.hook.Events}, whose writer per
   * kind names what each slot holds.
   */
  public static void record(int kind, int outcome, int small, int site, Object obj, Object elem,
      long a, long b, long c, long seq, long time, Object key, Object aux) {
    try {
      ThreadState ts = STATE.get();
      write(ts, kind, outcome, small, site, obj, elem, a, b, c, seq, time, key, aux);
    } catch (Throwable t) {
      INTERNAL_ERRORS.incrementAndGet();
    }
  }

  /**
   * Like {@link #record}, then records the registered state probes' values ("what the thread could
   * see") tagged with the same seq. Used when work starts and at guard checks.
   */
  public static void recordWithState(int kind, int outcome, int small, int site, Object obj,
      Object elem, long a, long b, long c, long seq, long time, Object key, Object aux) {
    try {
      ThreadState ts = STATE.get();
      writeWithState(ts, kind, outcome, small, site, System.identityHashCode(obj), elem, a, b, c, seq,
          time, key, aux);
    } catch (Throwable t) {
      INTERNAL_ERRORS.incrementAndGet();
    }
  }

  static void write(ThreadState ts, int kind, int outcome, int small, int site, Object obj,
      Object elem, long a, long b, long c, long seq, long time, Object key, Object aux) {
    write(ts, kind, outcome, small, site, System.identityHashCode(obj), elem, a, b, c, seq, time, key, aux);
  }

  private static void write(ThreadState ts, int kind, int outcome, int small, int site, int objId,
      Object elem, long a, long b, long c, long seq, long time, Object key, Object aux) {
    try {
      long position = writeHeld(ts, kind, outcome, small, site, objId, elem, a, b, c, seq, time, key, aux);
      if (position >= 0) {
        ts.ring.commit(position, seq);
      }
    } finally {
      ts.ring.endPublishing(seq); // written, refused or skipped: the exporter need not wait for it
    }
  }

  /**
   * As {@link #write}, with the state probes' values ("what the thread could see") written behind
   * the event and, in a thread's own ring, committed with it: a drain pass takes the event with all
   * its values or waits (a shared ring's are committed one by one, as other threads write behind).
   */
  private static void writeWithState(ThreadState ts, int kind, int outcome, int small, int site,
      int objId, Object elem, long a, long b, long c, long seq, long time, Object key, Object aux) {
    try {
      long position = writeHeld(ts, kind, outcome, small, site, objId, elem, a, b, c, seq, time, key, aux);
      if (position < 0) {
        return;
      }
      if (ts.ring.isShared()) {
        // other threads write behind it: they must not wait while this one reads its probes
        ts.ring.commit(position, seq);
        StateProbes.recordAll(ts, seq, time);
        return;
      }
      try {
        StateProbes.recordAll(ts, seq, time);
      } finally {
        ts.ring.commit(position, seq); // always: an uncommitted record would stop the ring
      }
    } finally {
      ts.ring.endPublishing(seq);
    }
  }

  /** The event's record, not committed yet. @return its ring position, or -1 when not written */
  private static long writeHeld(ThreadState ts, int kind, int outcome, int small, int site, int objId,
      Object elem, long a, long b, long c, long seq, long time, Object key, Object aux) {
    if (ts.inCallout) {
      // a state probe or key extractor called instrumented code: not recorded
      return -1;
    }
    long meta = (kind & 0xFFL) | ((outcome & 0xFFL) << 8) | ((small & 0xFFFFL) << 16)
        | ((long) site << 32);
    // the element's identity hash and class are taken off this thread by the exporter, from the
    // element reference itself (the first identity hash of a fresh object is the costly one)
    long ids = objId & 0xFFFFFFFFL;
    if (!AppSpans.track(ts, seq, time, site)) {
      ts.ring.countSkipped();
      return -1;
    }
    return ts.ring.writeHeld(time, meta, ts.threadId, ids, a, b, c, key, elem != null ? elem : aux);
  }

  private static ThreadState newThreadState() {
    Thread t = Thread.currentThread();
    @SuppressWarnings("deprecation") // Thread.threadId() needs JDK 19
    long id = t.getId();
    Settings s = settings;
    if (s == null) {
      s = new Settings(1024, 0, 1);
    }
    boolean virtual = isVirtual(t);
    if (released) { // volatile
      return new ThreadState(RELEASED_RING, id);
    }
    EventRing ring = null;
    if (!virtual && !ownedRingsFailed && REGISTRY.ownedCount() < s.maxOwnedRings) {
      ring = newOwnedRing(s.ringCapacity, id, t.getName());
      if (ring != null) {
        REGISTRY.register(ring, t);
      }
    }
    if (ring == null) {
      EventRing[] shared = sharedRings;
      if (shared.length == 0) {
        shared = new EventRing[] {new EventRing(s.ringCapacity, true, -1, null, REGISTRY.wake())};
        sharedRings = shared;
        REGISTRY.register(shared[0], null);
      }
      ring = shared[(int) (mix(id) & (shared.length - 1))];
      ThreadNames.publish(id, t.getName(), virtual);
    }
    return new ThreadState(ring, id);
  }

  /**
   * A ring for one thread, or null when the heap cannot hold it. A failed allocation is counted
   * once and no thread tries again (this thread and all later ones use the shared rings), so a full
   * heap never makes every event retry a large allocation.
   */
  private static EventRing newOwnedRing(int capacity, long id, String name) {
    try {
      return new EventRing(capacity, false, id, name, REGISTRY.wake());
    } catch (OutOfMemoryError e) {
      ownedRingsFailed = true; // volatile: read once per new thread, never on the hot path
      RING_ALLOCATION_FAILURES.incrementAndGet();
      INTERNAL_ERRORS.incrementAndGet();
      return null;
    }
  }

  /** Per-thread rings that could not be allocated (then all threads share the striped rings). */
  public static long ringAllocationFailures() {
    return RING_ALLOCATION_FAILURES.get();
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return x;
  }

  private static boolean isVirtual(Thread t) {
    if (IS_VIRTUAL == null) {
      return false;
    }
    try {
      return (boolean) IS_VIRTUAL.invokeExact(t);
    } catch (Throwable e) {
      return false;
    }
  }

  private static MethodHandle findIsVirtual() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
    } catch (ReflectiveOperationException e) {
      return null; // JDK 17-18: no virtual threads
    }
  }
}
