package dev.racetrace.core.hook;

import dev.racetrace.core.Clock;
import dev.racetrace.core.Delays;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.ThreadState;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.RandomAccess;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Call-site hooks for Queue, Deque, BlockingQueue and BlockingDeque. Each hook has the signature of
 * the method it replaces, with the receiver first and the call-site id last; it calls the original
 * method and records one event. Return values, exceptions, interrupt status and blocking are those
 * of the original call.
 *
 * <p>Seq and timestamp are taken before a publishing call (enqueue) and after a consuming one
 * (dequeue), so every element's enqueue has a smaller seq than its dequeue.
 *
 * <p>Long on purpose: one hand-expanded hook per JDK method, each making the application's own call
 * itself (no helper or lambda in between), so that stack traces, exceptions and blocking stay the
 * application's and nothing is allocated. {@code HookCopiesTest} keeps the copies of one body
 * alike.
 */
public final class QueueHooks {
  private QueueHooks() {}

  // ---------------------------------------------------------------- enqueue

  public static boolean offer(Queue<Object> q, Object e, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.offer(e);
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    boolean ok;
    try {
      ok = q.offer(e);
    } catch (Throwable t) {
      Events.queueEnqueue(ts, site, q, e, seq, time, 0, -1, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    Events.queueEnqueue(ts, site, q, e, seq, time, 0, -1, ok ? Outcome.OK : Outcome.REJECTED);
    return ok;
  }

  public static boolean add(Queue<Object> q, Object e, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.add(e);
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    boolean ok;
    try {
      ok = q.add(e);
    } catch (Throwable t) {
      Events.queueEnqueue(ts, site, q, e, seq, time, 0, -1, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    Events.queueEnqueue(ts, site, q, e, seq, time, 0, -1, ok ? Outcome.OK : Outcome.REJECTED);
    return ok;
  }

  public static boolean offer(BlockingQueue<Object> q, Object e, long timeout, TimeUnit unit, int site)
      throws InterruptedException {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.offer(e, timeout, unit);
    }
    long seq = Recorder.publishingSeq(ts);
    long t0 = System.nanoTime();
    long timeoutNs = nanos(timeout, unit);
    boolean ok;
    try {
      ok = q.offer(e, timeout, unit);
    } catch (Throwable t) {
      Events.queueEnqueue(ts, site, q, e, seq, Clock.fromNanoTime(t0), System.nanoTime() - t0, timeoutNs, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    Events.queueEnqueue(ts, site, q, e, seq, Clock.fromNanoTime(t0), System.nanoTime() - t0, timeoutNs,
        ok ? Outcome.OK : Outcome.TIMED_OUT);
    return ok;
  }

  public static void put(BlockingQueue<Object> q, Object e, int site) throws InterruptedException {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      q.put(e);
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long t0 = System.nanoTime();
    try {
      q.put(e);
    } catch (Throwable t) {
      Events.queueEnqueue(ts, site, q, e, seq, Clock.fromNanoTime(t0), System.nanoTime() - t0, -1, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    Events.queueEnqueue(ts, site, q, e, seq, Clock.fromNanoTime(t0), System.nanoTime() - t0, -1, Outcome.OK);
  }

  public static void push(Deque<Object> q, Object e, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      q.push(e);
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    try {
      q.push(e);
    } catch (Throwable t) {
      Events.queueEnqueue(ts, site, q, e, seq, time, 0, -1, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    Events.queueEnqueue(ts, site, q, e, seq, time, 0, -1, Outcome.OK);
  }

  public static void addFirst(Deque<Object> q, Object e, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      q.addFirst(e);
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    try {
      q.addFirst(e);
    } catch (Throwable t) {
      Events.queueEnqueue(ts, site, q, e, seq, time, 0, -1, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    Events.queueEnqueue(ts, site, q, e, seq, time, 0, -1, Outcome.OK);
  }

  public static void addLast(Deque<Object> q, Object e, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      q.addLast(e);
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    try {
      q.addLast(e);
    } catch (Throwable t) {
      Events.queueEnqueue(ts, site, q, e, seq, time, 0, -1, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    Events.queueEnqueue(ts, site, q, e, seq, time, 0, -1, Outcome.OK);
  }

  public static boolean offerFirst(Deque<Object> q, Object e, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.offerFirst(e);
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    boolean ok;
    try {
      ok = q.offerFirst(e);
    } catch (Throwable t) {
      Events.queueEnqueue(ts, site, q, e, seq, time, 0, -1, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    Events.queueEnqueue(ts, site, q, e, seq, time, 0, -1, ok ? Outcome.OK : Outcome.REJECTED);
    return ok;
  }

  public static boolean offerLast(Deque<Object> q, Object e, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.offerLast(e);
    }
    long seq = Recorder.publishingSeq(ts);
    long time = Clock.now();
    boolean ok;
    try {
      ok = q.offerLast(e);
    } catch (Throwable t) {
      Events.queueEnqueue(ts, site, q, e, seq, time, 0, -1, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    Events.queueEnqueue(ts, site, q, e, seq, time, 0, -1, ok ? Outcome.OK : Outcome.REJECTED);
    return ok;
  }

  public static void putFirst(BlockingDeque<Object> q, Object e, int site) throws InterruptedException {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      q.putFirst(e);
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long t0 = System.nanoTime();
    try {
      q.putFirst(e);
    } catch (Throwable t) {
      Events.queueEnqueue(ts, site, q, e, seq, Clock.fromNanoTime(t0), System.nanoTime() - t0, -1, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    Events.queueEnqueue(ts, site, q, e, seq, Clock.fromNanoTime(t0), System.nanoTime() - t0, -1, Outcome.OK);
  }

  public static void putLast(BlockingDeque<Object> q, Object e, int site) throws InterruptedException {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      q.putLast(e);
      return;
    }
    long seq = Recorder.publishingSeq(ts);
    long t0 = System.nanoTime();
    try {
      q.putLast(e);
    } catch (Throwable t) {
      Events.queueEnqueue(ts, site, q, e, seq, Clock.fromNanoTime(t0), System.nanoTime() - t0, -1, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    Events.queueEnqueue(ts, site, q, e, seq, Clock.fromNanoTime(t0), System.nanoTime() - t0, -1, Outcome.OK);
  }

  public static boolean offerFirst(BlockingDeque<Object> q, Object e, long timeout, TimeUnit unit,
      int site) throws InterruptedException {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.offerFirst(e, timeout, unit);
    }
    long seq = Recorder.publishingSeq(ts);
    long t0 = System.nanoTime();
    long timeoutNs = nanos(timeout, unit);
    boolean ok;
    try {
      ok = q.offerFirst(e, timeout, unit);
    } catch (Throwable t) {
      Events.queueEnqueue(ts, site, q, e, seq, Clock.fromNanoTime(t0), System.nanoTime() - t0, timeoutNs, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    Events.queueEnqueue(ts, site, q, e, seq, Clock.fromNanoTime(t0), System.nanoTime() - t0, timeoutNs,
        ok ? Outcome.OK : Outcome.TIMED_OUT);
    return ok;
  }

  public static boolean offerLast(BlockingDeque<Object> q, Object e, long timeout, TimeUnit unit,
      int site) throws InterruptedException {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.offerLast(e, timeout, unit);
    }
    long seq = Recorder.publishingSeq(ts);
    long t0 = System.nanoTime();
    long timeoutNs = nanos(timeout, unit);
    boolean ok;
    try {
      ok = q.offerLast(e, timeout, unit);
    } catch (Throwable t) {
      Events.queueEnqueue(ts, site, q, e, seq, Clock.fromNanoTime(t0), System.nanoTime() - t0, timeoutNs, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    Events.queueEnqueue(ts, site, q, e, seq, Clock.fromNanoTime(t0), System.nanoTime() - t0, timeoutNs,
        ok ? Outcome.OK : Outcome.TIMED_OUT);
    return ok;
  }

  // ---------------------------------------------------------------- dequeue

  public static Object poll(Queue<Object> q, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.poll();
    }
    Object e;
    try {
      e = q.poll();
    } catch (Throwable t) {
      dequeued(ts, site, q, null, Recorder.nextSeq(), Clock.now(), 0, -1, Outcome.of(t), 0);
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    dequeued(ts, site, q, e, Recorder.nextSeq(), Clock.now(), 0, -1, e != null ? Outcome.OK : Outcome.EMPTY, 0);
    return e;
  }

  public static Object remove(Queue<Object> q, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.remove();
    }
    Object e;
    try {
      e = q.remove();
    } catch (Throwable t) {
      dequeued(ts, site, q, null, Recorder.nextSeq(), Clock.now(), 0, -1, Outcome.of(t), 0);
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    dequeued(ts, site, q, e, Recorder.nextSeq(), Clock.now(), 0, -1, Outcome.OK, 0);
    return e;
  }

  public static Object pop(Deque<Object> q, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.pop();
    }
    Object e;
    try {
      e = q.pop();
    } catch (Throwable t) {
      dequeued(ts, site, q, null, Recorder.nextSeq(), Clock.now(), 0, -1, Outcome.of(t), 0);
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    dequeued(ts, site, q, e, Recorder.nextSeq(), Clock.now(), 0, -1, Outcome.OK, 0);
    return e;
  }

  public static Object pollFirst(Deque<Object> q, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.pollFirst();
    }
    Object e;
    try {
      e = q.pollFirst();
    } catch (Throwable t) {
      dequeued(ts, site, q, null, Recorder.nextSeq(), Clock.now(), 0, -1, Outcome.of(t), 0);
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    dequeued(ts, site, q, e, Recorder.nextSeq(), Clock.now(), 0, -1, e != null ? Outcome.OK : Outcome.EMPTY, 0);
    return e;
  }

  public static Object pollLast(Deque<Object> q, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.pollLast();
    }
    Object e;
    try {
      e = q.pollLast();
    } catch (Throwable t) {
      dequeued(ts, site, q, null, Recorder.nextSeq(), Clock.now(), 0, -1, Outcome.of(t), 0);
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    dequeued(ts, site, q, e, Recorder.nextSeq(), Clock.now(), 0, -1, e != null ? Outcome.OK : Outcome.EMPTY, 0);
    return e;
  }

  public static Object removeFirst(Deque<Object> q, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.removeFirst();
    }
    Object e;
    try {
      e = q.removeFirst();
    } catch (Throwable t) {
      dequeued(ts, site, q, null, Recorder.nextSeq(), Clock.now(), 0, -1, Outcome.of(t), 0);
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    dequeued(ts, site, q, e, Recorder.nextSeq(), Clock.now(), 0, -1, Outcome.OK, 0);
    return e;
  }

  public static Object removeLast(Deque<Object> q, int site) {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.removeLast();
    }
    Object e;
    try {
      e = q.removeLast();
    } catch (Throwable t) {
      dequeued(ts, site, q, null, Recorder.nextSeq(), Clock.now(), 0, -1, Outcome.of(t), 0);
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    dequeued(ts, site, q, e, Recorder.nextSeq(), Clock.now(), 0, -1, Outcome.OK, 0);
    return e;
  }

  public static Object take(BlockingQueue<Object> q, int site) throws InterruptedException {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.take();
    }
    long t0 = Events.queueDequeueBegin(ts, site, q, -1);
    Object e;
    try {
      e = q.take();
    } catch (Throwable t) {
      dequeuedAfter(ts, site, q, null, t0, -1, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    dequeuedAfter(ts, site, q, e, t0, -1, Outcome.OK);
    return e;
  }

  public static Object takeFirst(BlockingDeque<Object> q, int site) throws InterruptedException {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.takeFirst();
    }
    long t0 = Events.queueDequeueBegin(ts, site, q, -1);
    Object e;
    try {
      e = q.takeFirst();
    } catch (Throwable t) {
      dequeuedAfter(ts, site, q, null, t0, -1, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    dequeuedAfter(ts, site, q, e, t0, -1, Outcome.OK);
    return e;
  }

  public static Object takeLast(BlockingDeque<Object> q, int site) throws InterruptedException {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.takeLast();
    }
    long t0 = Events.queueDequeueBegin(ts, site, q, -1);
    Object e;
    try {
      e = q.takeLast();
    } catch (Throwable t) {
      dequeuedAfter(ts, site, q, null, t0, -1, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    dequeuedAfter(ts, site, q, e, t0, -1, Outcome.OK);
    return e;
  }

  public static Object poll(BlockingQueue<Object> q, long timeout, TimeUnit unit, int site)
      throws InterruptedException {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.poll(timeout, unit);
    }
    long t0 = Events.queueDequeueBegin(ts, site, q, -1);
    long timeoutNs = nanos(timeout, unit);
    Object e;
    try {
      e = q.poll(timeout, unit);
    } catch (Throwable t) {
      dequeuedAfter(ts, site, q, null, t0, timeoutNs, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    dequeuedAfter(ts, site, q, e, t0, timeoutNs, e != null ? Outcome.OK : Outcome.TIMED_OUT);
    return e;
  }

  public static Object pollFirst(BlockingDeque<Object> q, long timeout, TimeUnit unit, int site)
      throws InterruptedException {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.pollFirst(timeout, unit);
    }
    long t0 = Events.queueDequeueBegin(ts, site, q, -1);
    long timeoutNs = nanos(timeout, unit);
    Object e;
    try {
      e = q.pollFirst(timeout, unit);
    } catch (Throwable t) {
      dequeuedAfter(ts, site, q, null, t0, timeoutNs, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    dequeuedAfter(ts, site, q, e, t0, timeoutNs, e != null ? Outcome.OK : Outcome.TIMED_OUT);
    return e;
  }

  public static Object pollLast(BlockingDeque<Object> q, long timeout, TimeUnit unit, int site)
      throws InterruptedException {
    ThreadState ts = Recorder.recordingState();
    Object outer = Recorder.enterOp(ts, q);
    if (outer == Recorder.SKIP) {
      return q.pollLast(timeout, unit);
    }
    long t0 = Events.queueDequeueBegin(ts, site, q, -1);
    long timeoutNs = nanos(timeout, unit);
    Object e;
    try {
      e = q.pollLast(timeout, unit);
    } catch (Throwable t) {
      dequeuedAfter(ts, site, q, null, t0, timeoutNs, Outcome.of(t));
      throw t;
    } finally {
      Recorder.exitOp(ts, outer);
    }
    dequeuedAfter(ts, site, q, e, t0, timeoutNs, e != null ? Outcome.OK : Outcome.TIMED_OUT);
    return e;
  }

  // Each drainTo hook makes the queue's call itself (no shared helper in between), so that an
  // exception from drainTo shows one racetrace frame, as every hook does (DifferentialIT checks it).

  public static int drainTo(BlockingQueue<Object> q, Collection<Object> c, int site) {
    if (!Recorder.shouldRecord()) {
      return q.drainTo(c);
    }
    int before = sizeBefore(c);
    int n;
    try {
      n = q.drainTo(c);
    } catch (Throwable t) {
      drainFailed(q, -1, site, t);
      throw t;
    }
    drained(q, c, -1, site, before, n);
    return n;
  }

  public static int drainTo(BlockingQueue<Object> q, Collection<Object> c, int max, int site) {
    if (!Recorder.shouldRecord()) {
      return q.drainTo(c, max);
    }
    int before = sizeBefore(c);
    int n;
    try {
      n = q.drainTo(c, max);
    } catch (Throwable t) {
      drainFailed(q, max, site, t);
      throw t;
    }
    drained(q, c, max, site, before, n);
    return n;
  }

  /** Only a random-access list lets us name the drained elements in O(drained) after the call. */
  private static int sizeBefore(Collection<Object> c) {
    return c instanceof List && c instanceof RandomAccess ? c.size() : -1;
  }

  /** @param max the bound, -1 for an unbounded drainTo */
  private static void drainFailed(BlockingQueue<Object> q, int max, int site, Throwable t) {
    ThreadState ts = Recorder.recordingState();
    if (ts != null) {
      Events.queueDrain(ts, site, q, 0, max, Outcome.of(t), Recorder.nextSeq(), Clock.now());
    }
  }

  /** @param max the bound, -1 for an unbounded drainTo */
  private static void drained(BlockingQueue<Object> q, Collection<Object> c, int max, int site, int before, int n) {
    ThreadState ts = Recorder.recordingState();
    if (ts == null) {
      return; // recording stopped during the call
    }
    long time = Clock.now();
    Events.queueDrain(ts, site, q, n, max, Outcome.OK, Recorder.nextSeq(), time);
    if (before >= 0 && n > 0) {
      List<?> list = (List<?>) c;
      int end = Math.min(list.size(), before + n);
      for (int i = before; i < end; i++) {
        Object e = list.get(i);
        dequeued(ts, site, q, e, Recorder.nextSeq(), time, 0, -1, Outcome.OK, 1);
      }
    }
  }

  // ---------------------------------------------------------------- peek

  public static Object peek(Queue<Object> q, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return q.peek();
    }
    Object e = q.peek();
    Events.queuePeek(ts, site, q, e);
    return e;
  }

  public static Object peekFirst(Deque<Object> q, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return q.peekFirst();
    }
    Object e = q.peekFirst();
    Events.queuePeek(ts, site, q, e);
    return e;
  }

  public static Object peekLast(Deque<Object> q, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return q.peekLast();
    }
    Object e = q.peekLast();
    Events.queuePeek(ts, site, q, e);
    return e;
  }

  // ---------------------------------------------------------------- recording

  private static void dequeuedAfter(ThreadState ts, int site, Object q, Object e, long t0, long timeoutNs, int outcome) {
    long t1 = System.nanoTime();
    dequeued(ts, site, q, e, Recorder.nextSeq(), Clock.fromNanoTime(t1), t1 - t0, timeoutNs, outcome, 0);
  }

  /** @param drained 1 for an element taken by drainTo (it does not end its siblings' processing) */
  private static void dequeued(ThreadState ts, int site, Object q, Object e, long seq, long time, long blocked,
      long timeoutNs, int outcome, int drained) {
    Object key = Events.queueDequeue(ts, site, q, e, seq, time, blocked, timeoutNs, outcome, drained != 0);
    if (e != null) {
      Delays.atDequeue(e, key, site);
    }
  }

  static long nanos(long timeout, TimeUnit unit) {
    return unit == null ? -1 : unit.toNanos(timeout);
  }
}
