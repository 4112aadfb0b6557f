package dev.racetrace.sample.node;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fix: per-entity synchronization. Each key has a lane; at most one of the key's operations
 * is on the work queue or running at a time, and later ones wait in the lane, in log order. When
 * the running one finishes, the worker that ran it takes the key's next operation out of the lane
 * and runs it ({@link #next}, called from the worker's {@code finally}): success, failure and
 * no-op paths all hand on, so no operation waits for a signal that never comes.
 *
 * <p>Waiting operations hold no worker thread (a blocked worker could starve the very
 * {@code load-metadata} it waits for, since background work sits behind the burst), and there is
 * no global lock: each lane has its own, held only to move one operation. Work without a key
 * (compaction) is not gated.
 *
 * <p>For the analyzer the order is <em>enforced</em>: the next operation of a key is dequeued from
 * its lane by the thread that ran the previous one, after it finished (program order), or, when
 * the lane was empty, admitted later under the lane's lock that the finishing thread released.
 */
final class DependencyGate implements Admission {
  private final Node node;
  private final ConcurrentMap<String, KeyLane> lanes = new ConcurrentHashMap<>();

  DependencyGate(Node node) {
    this.node = node;
  }

  /** One key's lane. {@link #lock} guards both fields. */
  private static final class KeyLane {
    final ReentrantLock lock = new ReentrantLock();
    final ArrayDeque<Operation> waiting = new ArrayDeque<>();
    Operation inFlight;
  }

  @Override
  public void admit(Operation op) {
    if (op.key() == null) {
      enqueue(op);
      return;
    }
    KeyLane lane = lanes.computeIfAbsent(op.key(), k -> new KeyLane());
    boolean runNow;
    lane.lock.lock();
    try {
      runNow = lane.inFlight == null;
      if (runNow) {
        lane.inFlight = op;
      } else {
        lane.waiting.addLast(op);
      }
    } finally {
      lane.lock.unlock();
    }
    if (runNow) {
      enqueue(op);
    }
  }

  @Override
  public Operation next(Operation finished) {
    if (finished.key() == null) {
      return null;
    }
    KeyLane lane = lanes.get(finished.key());
    if (lane == null) {
      return null;
    }
    lane.lock.lock();
    try {
      if (lane.inFlight != finished) {
        return null;
      }
      lane.inFlight = lane.waiting.pollFirst();
      return lane.inFlight;
    } finally {
      lane.lock.unlock();
    }
  }

  /** Operations waiting behind an earlier one of the same key (visible for testing). */
  int waiting(String key) {
    KeyLane lane = lanes.get(key);
    if (lane == null) {
      return 0;
    }
    lane.lock.lock();
    try {
      return lane.waiting.size();
    } finally {
      lane.lock.unlock();
    }
  }

  private void enqueue(Operation op) {
    if (!node.workQueue.offer(op)) {
      throw new IllegalStateException("work queue refused " + op);
    }
  }
}
