package dev.racetrace.agent.export.assemble;

import dev.racetrace.agent.export.rules.RuleChecker;
import dev.racetrace.agent.internal.Counters;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Matches consumers to their producers: each dequeue to the enqueue of its element (queue and
 * element identity, earliest enqueue first) and each task run to its submit (the submit's seq). A
 * consumer whose producer was not seen yet is parked for {@link #PARK_NANOS} of exporter time and
 * bound when the producer arrives; a consumer whose producer never comes is emitted unmatched and
 * counted. Bounded: past {@link StateLimits#parked} the consumer parked longest goes. Exporter
 * thread only.
 */
final class CausalMatcher {
  /** How long a consumer whose producer was not seen yet waits for it (exporter time). */
  static final long PARK_NANOS = 2_000_000_000L;

  private final ProducerIndex enqueues;
  private final ProducerIndex submits;
  /** Oldest first (insertion order), so the cap drops the consumer parked longest. */
  private final LinkedHashMap<Long, List<Work>> parkedDequeues = new LinkedHashMap<>();
  private final LinkedHashMap<Long, List<Work>> parkedRuns = new LinkedHashMap<>();
  private int parkedCount;
  private final int maxParked;
  private final Counters counters;
  private final LongSupplier clock;
  private final RuleChecker rules;
  /** Emits a consumer's work span once it is closed and no longer waits for its producer. */
  private final Consumer<Work> emitWork;

  CausalMatcher(StateLimits limits, Counters counters, LongSupplier clock, RuleChecker rules,
      Consumer<Work> emitWork) {
    this.enqueues = new ProducerIndex(limits.enqueues, true, counters.droppedState());
    this.submits = new ProducerIndex(limits.submits, false, counters.droppedState());
    this.maxParked = limits.parked;
    this.counters = counters;
    this.clock = clock;
    this.rules = rules;
    this.emitWork = emitWork;
  }

  // ------------------------------------------------------------------ enqueue <-> dequeue

  /** A successful enqueue: binds the earliest parked dequeue of the element after it, else is kept. */
  void enqueued(int queueId, int elementId, Producer p) {
    long qk = ProducerIndex.queueKey(queueId, elementId);
    Work parked = unpark(parkedDequeues, qk, p.seq);
    if (parked != null) {
      bind(parked, p, parked.event.time - p.time);
    } else {
      enqueues.add(qk, p);
    }
  }

  /** The enqueue of this dequeue's element, or null (then {@link #parkDequeue}). */
  Producer enqueueOf(int queueId, int elementId, long dequeueSeq) {
    return enqueues.match(ProducerIndex.queueKey(queueId, elementId), dequeueSeq);
  }

  void parkDequeue(int queueId, int elementId, Work w) {
    park(parkedDequeues, ProducerIndex.queueKey(queueId, elementId), w);
  }

  // ------------------------------------------------------------------ submit <-> run

  /** A wrapped, accepted submit: binds the runs of the task already seen, and is kept. */
  void submitted(Producer p) {
    // consumers seldom wait for their producer: look (and box the key) only when some do
    List<Work> waiting = parkedRuns.isEmpty() ? null : parkedRuns.remove(p.seq);
    if (waiting != null) {
      parkedCount -= waiting.size();
      for (Work w : waiting) {
        bind(w, p, w.queueWaitNs);
      }
    }
    submits.add(p.seq, p);
  }

  /** The submit of the task with this causal id (the submit's seq), or null (then {@link #parkRun}). */
  Producer submitOf(long causalId, long startSeq) {
    return submits.match(causalId, startSeq);
  }

  void parkRun(long causalId, Work w) {
    park(parkedRuns, causalId, w);
  }

  // ------------------------------------------------------------------ parking

  private void park(Map<Long, List<Work>> parked, long key, Work w) {
    if (parkedCount >= maxParked) {
      dropOldestParked();
    }
    parkedCount++;
    w.awaitingProducer = true;
    w.parkedUntilNanos = clock.getAsLong() + PARK_NANOS;
    parked.computeIfAbsent(key, k -> new ArrayList<>(1)).add(w);
  }

  /** At the cap: the consumer parked longest is emitted without its producer, and counted. */
  private void dropOldestParked() {
    LinkedHashMap<Long, List<Work>> from = parkedDequeues.isEmpty() ? parkedRuns : parkedDequeues;
    Iterator<List<Work>> it = from.values().iterator();
    if (!it.hasNext()) {
      return;
    }
    List<Work> list = it.next();
    Work w = list.remove(0);
    if (list.isEmpty()) {
      it.remove();
    }
    parkedCount--;
    counters.droppedState().incrementAndGet();
    counters.unmatchedDequeues().incrementAndGet();
    w.awaitingProducer = false;
    if (w.closed) {
      emitWork.accept(w);
    }
  }

  /** Removes and returns the earliest parked consumer under this key newer than the producer. */
  private Work unpark(Map<Long, List<Work>> parked, long key, long producerSeq) {
    List<Work> list = parked.isEmpty() ? null : parked.get(key);
    if (list == null) {
      return null;
    }
    Work best = null;
    for (Work w : list) {
      if (w.event.seq > producerSeq && (best == null || w.event.seq < best.event.seq)) {
        best = w;
      }
    }
    if (best != null) {
      parkedCount--;
      list.remove(best);
      if (list.isEmpty()) {
        parked.remove(key);
      }
    }
    return best;
  }

  private void bind(Work w, Producer p, long queueWaitNs) {
    w.awaitingProducer = false;
    w.link = p;
    w.causalId = w.task ? w.causalId : p.seq;
    w.parentCausalId = p.parentCausalId;
    w.queueWaitNs = queueWaitNs;
    rules.workBound(w);
    if (w.closed) {
      emitWork.accept(w);
    }
  }

  /** Emits the parked consumers whose park time is over at {@code now} (all: {@code Long.MAX_VALUE}). */
  void expire(long now) {
    expireParked(parkedDequeues, now);
    expireParked(parkedRuns, now);
  }

  private void expireParked(Map<Long, List<Work>> parked, long now) {
    for (Iterator<List<Work>> it = parked.values().iterator(); it.hasNext(); ) {
      List<Work> list = it.next();
      for (Iterator<Work> wi = list.iterator(); wi.hasNext(); ) {
        Work w = wi.next();
        if (now >= w.parkedUntilNanos) {
          wi.remove();
          parkedCount--;
          w.awaitingProducer = false;
          counters.unmatchedDequeues().incrementAndGet();
          if (w.closed) {
            emitWork.accept(w);
          }
        }
      }
      if (list.isEmpty()) {
        it.remove();
      }
    }
  }

  /** Producers evicted before their consumer was seen. */
  long evictedProducers() {
    return enqueues.evicted() + submits.evicted();
  }
}
