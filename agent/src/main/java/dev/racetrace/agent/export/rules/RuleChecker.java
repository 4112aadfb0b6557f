package dev.racetrace.agent.export.rules;

import dev.racetrace.agent.export.assemble.RaceSpan;
import dev.racetrace.agent.export.assemble.Work;
import dev.racetrace.schema.OrderingRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Checks the configured ordering rules online, per key, with the semantics the analyzer's check
 * shares ({@code dev.racetrace.schema.RuleCheck}, called by {@link RuleViolations}): for each pair A &lt; B of a rule (every
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
 *
 * <p>This class takes in what the assembler tells it (work opened, bound, closed; guards passed,
 * signalled, acquired) and schedules the checks; {@link RuleInstance} is one operation,
 * {@link RuleOperations} the bounded store of them, {@link RuleViolations} the check itself.
 */
public final class RuleChecker {
  private static final int DEFAULT_MAX_KEYS = 50_000;
  private static final int MAX_GUARDS = 8;

  /** How long the rule checker holds work for late events: a few export intervals, at least 200 ms. */
  public static long ruleSettleNanos(long intervalMillis) {
    return Math.max(200_000_000L, 3 * intervalMillis * 1_000_000L);
  }

  private final List<OrderingRule> rules;
  private final Set<String> ruleOps = new HashSet<>();
  private final Consumer<RaceSpan> sink;
  private final LongSupplier clock;
  private final long settleNanos;
  private final RuleOperations ops;
  private final RuleViolations verdicts;
  private final List<RuleInstance> due = new ArrayList<>();

  RuleChecker(List<OrderingRule> rules, Consumer<RaceSpan> sink, LongSupplier clock, long settleNanos) {
    this(rules, sink, clock, settleNanos, DEFAULT_MAX_KEYS, new java.util.concurrent.atomic.AtomicLong());
  }

  /**
   * @param maxKeys keys whose operations are kept (racetrace.memory.max); the least recently used
   *     key is released and counted in {@code dropped}
   */
  public RuleChecker(List<OrderingRule> rules, Consumer<RaceSpan> sink, LongSupplier clock, long settleNanos,
      int maxKeys, java.util.concurrent.atomic.AtomicLong dropped) {
    this.ops = new RuleOperations(maxKeys, dropped, this::release);
    this.verdicts = new RuleViolations(rules, ops, this::release);
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
  public int operationsKept() {
    return ops.count();
  }

  long violations() {
    return verdicts.count();
  }

  /** Called with the violating span after each violation (flight-recorder trigger). */
  void onViolation(Consumer<RaceSpan> listener) {
    verdicts.onViolation(listener);
  }

  /** An element of {@code op} on {@code key} was enqueued: initiated, not started. */
  public void enqueued(String key, String op, long seq) {
    initiated(key, op, seq);
  }

  private void initiated(String key, String op, long seq) {
    if (key != null && op != null && ruleOps.contains(op)) {
      ops.initiated(key, op, seq);
    }
  }

  public void workOpened(Work w) {
    if (w.key == null || w.op == null || !ruleOps.contains(w.op)) {
      return;
    }
    RuleInstance inst = w.task ? ops.continuationOf(w) : null;
    if (inst != null) {
      if (inst.pendingContinuations > 0) {
        inst.pendingContinuations--;
      }
    } else {
      inst = new RuleInstance(w.key, w.op, w.causalId);
      ops.started(w.key, w.op, w.causalId);
      ops.add(inst);
    }
    inst.openWorks++;
    inst.lastStartSeq = Math.max(inst.lastStartSeq, w.event.seq);
    if (inst.proceedWork == null || inst.lastGuardSeq == 0) {
      inst.proceedWork = w;
    }
    w.ruleInstance = inst;
  }

  /** A task run's submit arrived late: move it into the operation it continues. */
  public void workBound(Work w) {
    if (w.ruleInstance == null) {
      return;
    }
    RuleInstance own = w.ruleInstance;
    if (own.openWorks == 1 && w.causalId < own.initSeq) {
      own.initSeq = w.causalId;
      ops.started(own.key, own.op, w.causalId);
    }
    if (!w.task) {
      return;
    }
    RuleInstance parent = ops.continuationOf(w);
    if (parent == null || parent == own || own.openWorks != 1) {
      return;
    }
    ops.remove(own);
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
  public void submitted(Work ctx, String key, String op, boolean willRun, long seq) {
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
  public void signalled(Work ctx, int objectId, long seq) {
    if (ctx == null || ctx.ruleInstance == null || objectId == 0) {
      return;
    }
    RuleInstance inst = ctx.ruleInstance;
    if (inst.signalled.size() < MAX_GUARDS) {
      inst.signalled.merge(objectId, seq, Math::min);
    }
  }

  /**
   * Work {@code ctx} took lock {@code objectId} at {@code seq}: ordered after every earlier
   * release of it (release -> acquire), though taking a lock is no proceed point of its own.
   */
  public void acquired(Work ctx, int objectId, long seq) {
    if (ctx == null || ctx.ruleInstance == null || objectId == 0) {
      return;
    }
    RuleInstance inst = ctx.ruleInstance;
    if (inst.awaited.size() < MAX_GUARDS) {
      inst.awaited.merge(objectId, seq, Math::max);
    }
  }

  /**
   * Work {@code ctx} passed a guard check at {@code seq}.
   *
   * @param objectId the guard object for waits that returned without timing out, else 0
   */
  public void guardPassed(Work ctx, long seq, int objectId, String description) {
    if (ctx == null || ctx.ruleInstance == null) {
      return;
    }
    RuleInstance inst = ctx.ruleInstance;
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
  public boolean workClosed(Work w, RaceSpan span) {
    if (w.ruleInstance == null) {
      return false;
    }
    RuleInstance inst = w.ruleInstance;
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
  public void expire() {
    long now = clock.getAsLong();
    for (Iterator<RuleInstance> it = due.iterator(); it.hasNext(); ) {
      RuleInstance inst = it.next();
      if (now >= inst.dueNanos) {
        it.remove();
        verdicts.check(inst);
      }
    }
  }

  /** Shutdown: check everything that can be checked and release every held span. */
  public void flushAll() {
    for (RuleInstance inst : new ArrayList<>(due)) {
      verdicts.check(inst);
    }
    due.clear();
    ops.releaseAll();
  }

  private void release(RuleInstance inst) {
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
}
