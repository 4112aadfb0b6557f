package dev.racetrace.agent.export;

import dev.racetrace.agent.internal.BoundedMap;
import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.trace.data.EventData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Checks the configured ordering rules online, per key, with the analyzer's semantics
 * ({@code dev.racetrace.analyzer.rules.RuleChecker}): for each pair A &lt; B of a rule (every
 * pair, not only neighbours), every A initiated (enqueued, submitted, started) before a B must
 * have ended before that B proceeded (passed its last guard, or started if it has none), or have
 * opened a guard that B then waited on. An A initiated after B does not count, and an A still
 * waiting in a queue when B proceeded does. An operation is its work spans: the element's
 * processing plus the tasks it handed off with the same op and key.
 *
 * <p>Spans of operations that a rule checks are held until the check has run, a settle time
 * after the operation completed, so that events of other threads with smaller seqs have been
 * drained; a violation adds a {@code race.rule.violation} event to the span where the operation
 * proceeded. Exporter thread only; memory is bounded per key and in keys.
 */
final class RuleChecker {
  private static final int DEFAULT_MAX_KEYS = 50_000;
  private final int maxKeys;
  private final java.util.concurrent.atomic.AtomicLong dropped;
  private static final int MAX_INSTANCES_PER_OP = 64;
  private static final int MAX_GUARDS = 8;

  /** One operation on one key. */
  static final class Instance {
    final String key;
    final String op;
    final long id;
    /** Seq of the enqueue or submit that initiated it, or of its start when none was seen. */
    long initSeq;
    int openWorks;
    int pendingContinuations;
    long endSeq;
    long lastStartSeq;
    long lastGuardSeq;
    Work proceedWork;
    final List<String> guards = new ArrayList<>(2);
    /** Guard objects this operation signalled (countDown, release, signal, unlock), with the seq. */
    final Map<Integer, Long> signalled = new HashMap<>(2);
    /** Guard objects this operation waited on successfully, with the seq the wait returned. */
    final Map<Integer, Long> awaited = new HashMap<>(2);
    final List<RaceSpan> held = new ArrayList<>(2);
    final Map<Work, Integer> heldIndex = new HashMap<>();
    long dueNanos = -1;
    boolean checked;

    Instance(String key, String op, long id) {
      this.key = key;
      this.op = op;
      this.id = id;
      this.initSeq = id;
    }

    boolean complete() {
      return openWorks == 0 && pendingContinuations == 0;
    }

    long proceedSeq() {
      return lastGuardSeq > 0 ? lastGuardSeq : lastStartSeq;
    }
  }

  private final List<OrderingRule> rules;
  private final Set<String> ruleOps = new HashSet<>();
  private final Consumer<RaceSpan> sink;
  private final LongSupplier clock;
  private final long settleNanos;
  private final BoundedMap<String, Map<String, ArrayDeque<Instance>>> byKey;
  /** Per key and op, the seqs of enqueues and submits whose work has not started yet. */
  private final Map<String, ArrayDeque<Long>> notStarted;
  private final List<Instance> due = new ArrayList<>();
  /** Operations kept over all keys; bounded by maxKeys too (a key may hold several). */
  private int instanceCount;
  private long violations;

  RuleChecker(List<OrderingRule> rules, Consumer<RaceSpan> sink, LongSupplier clock, long settleNanos) {
    this(rules, sink, clock, settleNanos, DEFAULT_MAX_KEYS, new java.util.concurrent.atomic.AtomicLong());
  }

  /**
   * @param maxKeys keys whose operations are kept (racetrace.memory.max); the least recently used
   *     key is released and counted in {@code dropped}
   */
  RuleChecker(List<OrderingRule> rules, Consumer<RaceSpan> sink, LongSupplier clock, long settleNanos,
      int maxKeys, java.util.concurrent.atomic.AtomicLong dropped) {
    this.maxKeys = maxKeys;
    this.dropped = dropped;
    this.byKey = BoundedMap.lru(maxKeys, (key, ops) -> {
      dropped.incrementAndGet();
      for (ArrayDeque<Instance> list : ops.values()) {
        instanceCount -= list.size();
        list.forEach(this::release);
      }
    });
    this.notStarted = BoundedMap.lru(maxKeys);
    this.rules = rules;
    this.sink = sink;
    this.clock = clock;
    this.settleNanos = settleNanos;
    for (OrderingRule r : rules) {
      ruleOps.addAll(r.ops());
    }
  }

  boolean active() {
    return !rules.isEmpty();
  }

  /** Operations kept over all keys (visible for testing). */
  int operationsKept() {
    return instanceCount;
  }

  long violations() {
    return violations;
  }

  /** An element of {@code op} on {@code key} was enqueued: initiated, not started. */
  void enqueued(String key, String op, long seq) {
    initiated(key, op, seq);
  }

  private void initiated(String key, String op, long seq) {
    if (key != null && op != null && ruleOps.contains(op)) {
      ArrayDeque<Long> seqs = notStarted.computeIfAbsent(key + '\u0000' + op, k -> new ArrayDeque<>(2));
      seqs.addLast(seq);
      if (seqs.size() > MAX_INSTANCES_PER_OP) {
        seqs.pollFirst();
      }
    }
  }

  private void started(String key, String op, long initSeq) {
    ArrayDeque<Long> seqs = notStarted.get(key + '\u0000' + op);
    if (seqs != null) {
      seqs.remove(initSeq);
    }
  }

  void workOpened(Work w) {
    if (w.key == null || w.op == null || !ruleOps.contains(w.op)) {
      return;
    }
    Instance inst = w.task ? continuationOf(w) : null;
    if (inst != null) {
      if (inst.pendingContinuations > 0) {
        inst.pendingContinuations--;
      }
    } else {
      inst = new Instance(w.key, w.op, w.causalId);
      started(w.key, w.op, w.causalId);
      ArrayDeque<Instance> list = instances(w.key, w.op);
      list.addLast(inst);
      instanceCount++;
      if (list.size() > MAX_INSTANCES_PER_OP) {
        release(list.pollFirst());
        instanceCount--;
      }
      dropLeastRecentKeysOverCap();
    }
    inst.openWorks++;
    inst.lastStartSeq = Math.max(inst.lastStartSeq, w.event.seq);
    if (inst.proceedWork == null || inst.lastGuardSeq == 0) {
      inst.proceedWork = w;
    }
    w.ruleInstance = inst;
  }

  /** A task run's submit arrived late: move it into the operation it continues. */
  void workBound(Work w) {
    if (w.ruleInstance == null) {
      return;
    }
    Instance own = w.ruleInstance;
    if (own.openWorks == 1 && w.causalId < own.initSeq) {
      own.initSeq = w.causalId;
      started(own.key, own.op, w.causalId);
    }
    if (!w.task) {
      return;
    }
    Instance parent = continuationOf(w);
    if (parent == null || parent == own || own.openWorks != 1) {
      return;
    }
    if (instances(own.key, own.op).remove(own)) {
      instanceCount--;
    }
    parent.openWorks++;
    if (parent.pendingContinuations > 0) {
      parent.pendingContinuations--;
    }
    parent.lastStartSeq = Math.max(parent.lastStartSeq, own.lastStartSeq);
    if (own.lastGuardSeq > parent.lastGuardSeq) {
      parent.lastGuardSeq = own.lastGuardSeq;
      parent.proceedWork = w;
      parent.guards.addAll(own.guards);
    }
    w.ruleInstance = parent;
  }

  /**
   * A task was submitted at {@code seq} from work {@code ctx}: with the same op and key it
   * continues that work's operation, otherwise it initiates one.
   */
  void submitted(Work ctx, String key, String op, boolean willRun, long seq) {
    if (!willRun) {
      return;
    }
    if (ctx != null && ctx.ruleInstance != null && op != null && op.equals(ctx.op)
        && key != null && key.equals(ctx.key)) {
      ctx.ruleInstance.pendingContinuations++;
    } else {
      initiated(key, op, seq);
    }
  }

  /** Work {@code ctx} opened guard {@code objectId} (a happens-before edge to later waiters). */
  void signalled(Work ctx, int objectId, long seq) {
    if (ctx == null || ctx.ruleInstance == null || objectId == 0) {
      return;
    }
    Instance inst = ctx.ruleInstance;
    if (inst.signalled.size() < MAX_GUARDS) {
      inst.signalled.merge(objectId, seq, Math::min);
    }
  }

  /**
   * Work {@code ctx} took lock {@code objectId} at {@code seq}: ordered after every earlier
   * release of it (release -> acquire), though taking a lock is no proceed point of its own.
   */
  void acquired(Work ctx, int objectId, long seq) {
    if (ctx == null || ctx.ruleInstance == null || objectId == 0) {
      return;
    }
    Instance inst = ctx.ruleInstance;
    if (inst.awaited.size() < MAX_GUARDS) {
      inst.awaited.merge(objectId, seq, Math::max);
    }
  }

  /**
   * Work {@code ctx} passed a guard check at {@code seq}.
   *
   * @param objectId the guard object for waits that returned without timing out, else 0
   */
  void guardPassed(Work ctx, long seq, int objectId, String description) {
    if (ctx == null || ctx.ruleInstance == null) {
      return;
    }
    Instance inst = ctx.ruleInstance;
    if (objectId != 0 && inst.awaited.size() < MAX_GUARDS) {
      inst.awaited.merge(objectId, seq, Math::max);
    }
    inst.lastGuardSeq = Math.max(inst.lastGuardSeq, seq);
    inst.proceedWork = ctx;
    if (inst.guards.size() < MAX_GUARDS) {
      inst.guards.add(description);
    }
  }

  /** @return true if the span is held until the rule check ran */
  boolean workClosed(Work w, RaceSpan span) {
    if (w.ruleInstance == null) {
      return false;
    }
    Instance inst = w.ruleInstance;
    inst.openWorks--;
    inst.endSeq = Math.max(inst.endSeq, w.endInferred ? w.event.seq : w.endSeq);
    boolean checked = hasPredecessor(inst.op) && !inst.checked;
    if (checked) {
      inst.heldIndex.put(w, inst.held.size());
      inst.held.add(span);
    }
    if (inst.complete() && checked && inst.dueNanos < 0) {
      inst.dueNanos = clock.getAsLong() + settleNanos;
      due.add(inst);
    }
    return checked;
  }

  /** Runs the checks whose settle time has passed. */
  void expire() {
    long now = clock.getAsLong();
    for (Iterator<Instance> it = due.iterator(); it.hasNext(); ) {
      Instance inst = it.next();
      if (now >= inst.dueNanos) {
        it.remove();
        check(inst);
      }
    }
  }

  /** Shutdown: check everything that can be checked and release every held span. */
  void flushAll() {
    for (Instance inst : new ArrayList<>(due)) {
      check(inst);
    }
    due.clear();
    for (Map<String, ArrayDeque<Instance>> ops : byKey.values()) {
      for (ArrayDeque<Instance> list : ops.values()) {
        list.forEach(this::release);
      }
    }
  }

  private void check(Instance b) {
    b.checked = true;
    long proceed = b.proceedSeq();
    RaceSpan violationSpan = null;
    for (OrderingRule rule : rules) {
      int at = rule.ops().indexOf(b.op);
      Late late = null;
      for (int i = 0; i < at && late == null; i++) {
        late = overtaken(b, rule.ops().get(i), proceed);
      }
      if (late == null) {
        continue;
      }
      violations++;
      AttributesBuilder ev = Attributes.builder()
          .put(SpanSchema.RULE, rule.toString())
          .put(SpanSchema.KEY, b.key)
          .put(SpanSchema.OP, b.op)
          .put(SpanSchema.RULE_EXPECTED_BEFORE, late.op)
          .put(SpanSchema.RULE_PROCEED_SEQ, proceed)
          .put(SpanSchema.RULE_GUARDS, b.guards.isEmpty() ? "none" : String.join("; ", b.guards));
      if (late.endSeq > 0) {
        ev.put(SpanSchema.RULE_PREDECESSOR_END_SEQ, late.endSeq);
      }
      ev.put(SpanSchema.RULE_PREDECESSOR_ENQUEUE_SEQ, late.initSeq);
      Integer index = b.heldIndex.get(b.proceedWork);
      int i = index != null ? index : b.held.size() - 1;
      if (i >= 0) {
        RaceSpan s = b.held.get(i);
        b.held.set(i, s.with(EventData.create(s.getEndEpochNanos(), SpanSchema.RULE_VIOLATION_EVENT,
            ev.build()), Attributes.of(SpanSchema.RULE_VIOLATED, true)));
        violationSpan = b.held.get(i);
      }
    }
    release(b);
    if (violationSpan != null) {
      onViolation.accept(violationSpan);
    }
  }

  /** An operation of a rule's earlier step that did not precede the checked one. */
  private static final class Late {
    final String op;
    final long initSeq;
    /** Its end seq when it ended after the checked operation proceeded, else 0. */
    final long endSeq;

    Late(String op, long initSeq, long endSeq) {
      this.op = op;
      this.initSeq = initSeq;
      this.endSeq = endSeq;
    }
  }

  /**
   * The earliest-initiated operation {@code a} on b's key that was initiated before b and did
   * not precede it (ended before b proceeded, or opened a guard b then waited on), or null.
   */
  private Late overtaken(Instance b, String a, long proceed) {
    Late late = null;
    for (Instance x : instances(b.key, a)) {
      if (x.initSeq >= b.initSeq || (late != null && x.initSeq >= late.initSeq)) {
        continue;
      }
      boolean preceded = x.complete() && x.endSeq > 0 && x.endSeq < proceed || signalledBefore(x, b);
      if (!preceded) {
        late = new Late(a, x.initSeq, x.endSeq >= proceed ? x.endSeq : 0);
      }
    }
    ArrayDeque<Long> waiting = notStarted.get(b.key + '\u0000' + a);
    if (waiting != null) {
      for (long seq : waiting) {
        if (seq < b.initSeq && (late == null || seq < late.initSeq)) {
          late = new Late(a, seq, 0);
        }
      }
    }
    return late;
  }

  /** Whether {@code a} opened a guard that {@code b} then waited on successfully. */
  private static boolean signalledBefore(Instance a, Instance b) {
    for (Map.Entry<Integer, Long> w : b.awaited.entrySet()) {
      Long signal = a.signalled.get(w.getKey());
      if (signal != null && signal < w.getValue()) {
        return true;
      }
    }
    return false;
  }

  private Consumer<RaceSpan> onViolation = s -> { };

  /** Called with the violating span after each violation (flight-recorder trigger). */
  void onViolation(Consumer<RaceSpan> listener) {
    this.onViolation = listener;
  }

  /**
   * Past maxKeys operations over all keys (racetrace.memory.max), the least recently used keys are
   * let go: their held spans are exported unchecked and the drop is counted.
   */
  private void dropLeastRecentKeysOverCap() {
    Iterator<Map.Entry<String, Map<String, ArrayDeque<Instance>>>> it = byKey.entrySet().iterator();
    while (instanceCount > maxKeys && byKey.size() > 1 && it.hasNext()) {
      Map.Entry<String, Map<String, ArrayDeque<Instance>>> eldest = it.next();
      for (ArrayDeque<Instance> list : eldest.getValue().values()) {
        instanceCount -= list.size();
        list.forEach(this::release);
      }
      it.remove();
      dropped.incrementAndGet();
    }
  }

  private void release(Instance inst) {
    for (RaceSpan s : inst.held) {
      sink.accept(s);
    }
    inst.held.clear();
    inst.heldIndex.clear();
  }

  private boolean hasPredecessor(String op) {
    for (OrderingRule r : rules) {
      if (r.predecessorOf(op) != null) {
        return true;
      }
    }
    return false;
  }

  private Instance continuationOf(Work w) {
    if (w.parentCausalId == 0) {
      return null;
    }
    for (Instance inst : instances(w.key, w.op)) {
      if (inst.id == w.parentCausalId) {
        return inst;
      }
    }
    return null;
  }

  private ArrayDeque<Instance> instances(String key, String op) {
    return byKey.computeIfAbsent(key, k -> new HashMap<>(4)).computeIfAbsent(op, k -> new ArrayDeque<>(2));
  }
}
