package dev.racetrace.agent.export.rules;

import dev.racetrace.agent.export.assemble.Work;
import dev.racetrace.agent.internal.BoundedMap;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The operations the rule checker keeps, per key and op, and the initiated operations whose work
 * has not started yet. Bounded: at most {@link #MAX_INSTANCES_PER_OP} per key and op, and past
 * {@code maxKeys} operations over all keys the least recently used keys go; the spans an
 * operation let go of still held are exported unchecked ({@code release}) and the drop counted.
 * Exporter thread only.
 */
final class RuleOperations {
  static final int MAX_INSTANCES_PER_OP = 64;

  private final int maxKeys;
  private final AtomicLong dropped;
  private final Consumer<RuleInstance> release;
  private final BoundedMap<String, Map<String, ArrayDeque<RuleInstance>>> byKey;
  /** Per key and op, the seqs of enqueues and submits whose work has not started yet. */
  private final Map<String, ArrayDeque<Long>> notStarted;
  /** Operations kept over all keys; bounded by maxKeys too (a key may hold several). */
  private int instanceCount;

  /** @param release exports the spans an operation still holds when it is let go */
  RuleOperations(int maxKeys, AtomicLong dropped, Consumer<RuleInstance> release) {
    this.maxKeys = maxKeys;
    this.dropped = dropped;
    this.release = release;
    this.byKey = BoundedMap.lru(maxKeys, (key, ops) -> {
      dropped.incrementAndGet();
      for (ArrayDeque<RuleInstance> list : ops.values()) {
        instanceCount -= list.size();
        list.forEach(release);
      }
    });
    this.notStarted = BoundedMap.lru(maxKeys);
  }

  /** Operations kept over all keys. */
  int count() {
    return instanceCount;
  }

  /** An operation was initiated (enqueued, submitted) and has not started. */
  void initiated(String key, String op, long seq) {
    ArrayDeque<Long> seqs = notStarted.computeIfAbsent(key + '\u0000' + op, k -> new ArrayDeque<>(2));
    seqs.addLast(seq);
    if (seqs.size() > MAX_INSTANCES_PER_OP) {
      seqs.pollFirst();
    }
  }

  /** The operation initiated at {@code initSeq} started. */
  void started(String key, String op, long initSeq) {
    ArrayDeque<Long> seqs = notStarted.get(key + '\u0000' + op);
    if (seqs != null) {
      seqs.remove(initSeq);
    }
  }

  /** Seqs of the operations {@code op} on {@code key} initiated and not started, or null. */
  ArrayDeque<Long> notStarted(String key, String op) {
    return notStarted.get(key + '\u0000' + op);
  }

  /** Keeps a new operation; past the caps the oldest of its op, then the least recent keys, go. */
  void add(RuleInstance inst) {
    ArrayDeque<RuleInstance> list = of(inst.key, inst.op);
    list.addLast(inst);
    instanceCount++;
    if (list.size() > MAX_INSTANCES_PER_OP) {
      release.accept(list.pollFirst());
      instanceCount--;
    }
    dropLeastRecentKeysOverCap();
  }

  /** Forgets an operation (merged into another); its held spans stay with it. */
  void remove(RuleInstance inst) {
    if (of(inst.key, inst.op).remove(inst)) {
      instanceCount--;
    }
  }

  /** The operation a task run continues (its parent causal id), or null. */
  RuleInstance continuationOf(Work w) {
    if (w.parentCausalId == 0) {
      return null;
    }
    for (RuleInstance inst : of(w.key, w.op)) {
      if (inst.id == w.parentCausalId) {
        return inst;
      }
    }
    return null;
  }

  /** The operations {@code op} on {@code key}, earliest first. */
  ArrayDeque<RuleInstance> of(String key, String op) {
    return byKey.computeIfAbsent(key, k -> new HashMap<>(4)).computeIfAbsent(op, k -> new ArrayDeque<>(2));
  }

  /** Shutdown: releases every operation's held spans. */
  void releaseAll() {
    for (Map<String, ArrayDeque<RuleInstance>> ops : byKey.values()) {
      for (ArrayDeque<RuleInstance> list : ops.values()) {
        list.forEach(release);
      }
    }
  }

  /**
   * Past maxKeys operations over all keys (racetrace.memory.max), the least recently used keys are
   * let go: their held spans are exported unchecked and the drop is counted.
   */
  private void dropLeastRecentKeysOverCap() {
    Iterator<Map.Entry<String, Map<String, ArrayDeque<RuleInstance>>>> it = byKey.entrySet().iterator();
    while (instanceCount > maxKeys && byKey.size() > 1 && it.hasNext()) {
      Map.Entry<String, Map<String, ArrayDeque<RuleInstance>>> eldest = it.next();
      for (ArrayDeque<RuleInstance> list : eldest.getValue().values()) {
        instanceCount -= list.size();
        list.forEach(release);
      }
      it.remove();
      dropped.incrementAndGet();
    }
  }
}
