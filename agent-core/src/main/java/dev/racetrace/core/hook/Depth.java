package dev.racetrace.core.hook;

import java.util.ArrayDeque;
import java.util.LinkedList;
import java.util.PriorityQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;

/**
 * Queue depth when it can be read in O(1) without a lock: LinkedBlockingQueue keeps an atomic
 * count; the non-concurrent JDK queues a plain size field. Others (ArrayBlockingQueue and
 * LinkedBlockingDeque take their lock in size(), ConcurrentLinkedQueue walks the list) give -1; the
 * analyzer can rebuild their depth from matched enqueues and dequeues.
 */
final class Depth {
  private Depth() {}

  static long of(Object q) {
    Class<?> k = q.getClass();
    if (k == LinkedBlockingQueue.class) {
      return ((LinkedBlockingQueue<?>) q).size();
    }
    if (k == ArrayDeque.class) {
      return ((ArrayDeque<?>) q).size();
    }
    if (k == LinkedList.class) {
      return ((LinkedList<?>) q).size();
    }
    if (k == PriorityQueue.class) {
      return ((PriorityQueue<?>) q).size();
    }
    if (k == SynchronousQueue.class) {
      return 0;
    }
    return -1;
  }
}
