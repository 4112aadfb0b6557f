package dev.racetrace.agent.export;

import dev.racetrace.agent.config.OrderingRule;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.trace.data.EventData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Checks the configured ordering rules online, per key: an operation of a later step must
 * proceed (pass its last guard, or start if it has none) only after as many operations of the
 * step before it ended on this node. An operation is its work spans: the element's processing
 * plus the tasks it handed off with the same op and key.
 *
 * <p>Spans of operations that a rule checks are held until the check has run, a settle time
 * after the operation completed, so that events of other threads with smaller seqs have been
 * drained; a violation adds a {@code race.rule.violation} event to the span where the operation
 * proceeded. Exporter thread only; memory is bounded per key and in keys.
 */
final class RuleChecker {
  private static final int MAX_KEYS = 50_000;
  private static final int MAX_INSTANCES_PER_OP = 64;
  private static final int MAX_GUARDS = 8;

  /** One operation on one key. */
  static final class Instance {
    final String key;
    final String op;
    final long id;
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
  private final LinkedHashMap<String, Map<String, ArrayDeque<Instance>>> byKey =
      new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, ArrayDeque<Instance>>> eldest) {
          if (size() > MAX_KEYS) {
            for (ArrayDeque<Instance> list : eldest.getValue().values()) {
              list.forEach(RuleChecker.this::release);
            }
            return true;
          }
          return false;
        }
      };
  private final Map<String, Long> lastEnqueueSeq = new LinkedHashMap<>(1024, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > MAX_KEYS;
    }
  };
  private final List<Instance> due = new ArrayList<>();
  private long violations;

  RuleChecker(List<OrderingRule> rules, Consumer<RaceSpan> sink, LongSupplier clock, long settleNanos) {
    this.rules = rules;
    this.sink = sink;
    this.clock = clock;
    this.settleNanos = settleNanos;
    for (OrderingRule r : rules) {
      ruleOps.addAll(r.steps());
    }
  }

  boolean active() {
    return !rules.isEmpty();
  }

  long violations() {
    return violations;
  }

  /** An element of {@code op} on {@code key} was enqueued (kept to explain late predecessors). */
  void enqueued(String key, String op, long seq) {
    if (key != null && op != null && ruleOps.contains(op)) {
      lastEnqueueSeq.put(key + '\u0000' + op, seq);
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
      ArrayDeque<Instance> list = instances(w.key, w.op);
      list.addLast(inst);
      if (list.size() > MAX_INSTANCES_PER_OP) {
        release(list.pollFirst());
      }
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
    if (!w.task || w.ruleInstance == null) {
      return;
    }
    Instance own = (Instance) w.ruleInstance;
    Instance parent = continuationOf(w);
    if (parent == null || parent == own || own.openWorks != 1) {
      return;
    }
    instances(own.key, own.op).remove(own);
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

  /** A task was submitted from work {@code ctx}; with the same op and key it continues it. */
  void submitted(Work ctx, String key, String op, boolean willRun) {
    if (ctx != null && ctx.ruleInstance != null && willRun && op != null && op.equals(ctx.op)
        && key != null && key.equals(ctx.key)) {
      ((Instance) ctx.ruleInstance).pendingContinuations++;
    }
  }

  /** Work {@code ctx} opened guard {@code objectId} (a happens-before edge to later waiters). */
  void signalled(Work ctx, int objectId, long seq) {
    if (ctx == null || ctx.ruleInstance == null || objectId == 0) {
      return;
    }
    Instance inst = (Instance) ctx.ruleInstance;
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
    Instance inst = (Instance) ctx.ruleInstance;
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
    Instance inst = (Instance) ctx.ruleInstance;
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
    Instance inst = (Instance) w.ruleInstance;
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
      String a = rule.predecessorOf(b.op);
      if (a == null) {
        continue;
      }
      int bCount = 0;
      for (Instance x : instances(b.key, b.op)) {
        if (x.proceedSeq() <= proceed) {
          bCount++;
        }
      }
      int aEnded = 0;
      long lateEnd = -1;
      for (Instance x : instances(b.key, a)) {
        if (x.complete() && x.endSeq > 0 && x.endSeq < proceed || signalledBefore(x, b)) {
          aEnded++;
        } else if (x.endSeq >= proceed && (lateEnd < 0 || x.endSeq < lateEnd)) {
          lateEnd = x.endSeq;
        }
      }
      if (aEnded < bCount) {
        violations++;
        AttributesBuilder ev = Attributes.builder()
            .put(SpanSchema.RULE, rule.toString())
            .put(SpanSchema.KEY, b.key)
            .put(SpanSchema.OP, b.op)
            .put(SpanSchema.RULE_EXPECTED_BEFORE, a)
            .put(SpanSchema.RULE_PROCEED_SEQ, proceed)
            .put(SpanSchema.RULE_GUARDS, b.guards.isEmpty() ? "none" : String.join("; ", b.guards));
        if (lateEnd > 0) {
          ev.put(SpanSchema.RULE_PREDECESSOR_END_SEQ, lateEnd);
        }
        Long enq = lastEnqueueSeq.get(b.key + '\u0000' + a);
        if (enq != null) {
          ev.put(SpanSchema.RULE_PREDECESSOR_ENQUEUE_SEQ, enq);
        }
        Integer at = b.heldIndex.get(b.proceedWork);
        int index = at != null ? at : b.held.size() - 1;
        if (index >= 0) {
          RaceSpan s = b.held.get(index);
          b.held.set(index, s.with(EventData.create(s.getEndEpochNanos(), SpanSchema.RULE_VIOLATION_EVENT,
              ev.build()), Attributes.of(SpanSchema.RULE_VIOLATED, true)));
          violationSpan = b.held.get(index);
        }
      }
    }
    release(b);
    if (violationSpan != null) {
      onViolation.accept(violationSpan);
    }
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
