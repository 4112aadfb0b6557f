package dev.racetrace.agent.export.assemble;

import dev.racetrace.agent.internal.LongFifoMap;

/**
 * Producers waiting for their consumer, by a long key (queue id and element identity hash for
 * enqueues, the seq for submits). Several producers under one key (the same element enqueued
 * twice) are kept in seq order; a consumer takes the earliest one older than itself. Bounded: past
 * the limit the oldest entries are evicted and counted.
 */
final class ProducerIndex {
  /** Producers kept under one key (the same element enqueued again before its dequeue was seen). */
  static final int MAX_CHAIN = 16;
  private final int limit;
  private final boolean consumeOnMatch;
  private long evicted;
  private final java.util.concurrent.atomic.AtomicLong dropped;
  private final LongFifoMap<Producer> heads;

  /**
   * @param consumeOnMatch true for enqueues (one dequeue each), false for submits (a periodic task
   *     starts many times)
   */
  ProducerIndex(int limit, boolean consumeOnMatch) {
    this(limit, consumeOnMatch, new java.util.concurrent.atomic.AtomicLong());
  }

  /** @param dropped counts evictions too (Counters#droppedState) */
  ProducerIndex(int limit, boolean consumeOnMatch, java.util.concurrent.atomic.AtomicLong dropped) {
    this.dropped = dropped;
    this.limit = limit;
    this.consumeOnMatch = consumeOnMatch;
    this.heads = new LongFifoMap<>(limit, (key, eldest) -> {
      evicted++;
      if (!eldest.matched) {
        dropped.incrementAndGet(); // a submit already matched loses nothing
      }
    });
  }

  void add(long key, Producer p) {
    Producer head = heads.get(key);
    if (head == null) {
      heads.put(key, p);
      return;
    }
    if (p.seq < head.seq) {
      p.next = head;
      heads.put(key, p);
      return;
    }
    Producer cur = head;
    int length = 1;
    while (cur.next != null && cur.next.seq < p.seq) {
      cur = cur.next;
      length++;
    }
    p.next = cur.next;
    cur.next = p;
    if (length >= MAX_CHAIN && head.next != null) {
      // one element enqueued again and again while its dequeues were dropped: forget the oldest
      heads.put(key, head.next);
      evicted++;
      dropped.incrementAndGet();
    }
  }

  /** The earliest producer under this key with a seq below {@code consumerSeq}, or null. */
  Producer match(long key, long consumerSeq) {
    Producer head = heads.get(key);
    if (head == null || head.seq >= consumerSeq) {
      return null;
    }
    head.matched = true;
    if (consumeOnMatch) {
      if (head.next == null) {
        heads.remove(key);
      } else {
        heads.put(key, head.next);
      }
    }
    return head;
  }

  long evicted() {
    return evicted;
  }

  int size() {
    return heads.size();
  }

  static long queueKey(int queueId, int elementId) {
    return ((long) queueId << 32) | (elementId & 0xFFFFFFFFL);
  }
}
