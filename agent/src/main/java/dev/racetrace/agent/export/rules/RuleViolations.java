package dev.racetrace.agent.export.rules;

import dev.racetrace.agent.export.assemble.RaceSpan;
import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.schema.OrderingRule;
import dev.racetrace.schema.RuleCheck;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.trace.data.EventData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Checks one settled operation B against the rules, with the one rule semantics the analyzer uses
 * too ({@link RuleCheck}): for each rule step A before B's op, the earliest A on B's key initiated
 * before B that did not precede it (ended before B proceeded, or opened a guard B then waited on;
 * an A initiated and not started cannot have) is a violation, added as a
 * {@code race.rule.violation} event to the span where B proceeded. Then B's held spans are
 * released. Exporter thread only.
 */
final class RuleViolations {
  private final RuleCheck<Object> check;
  private final RuleOperations ops;
  private final Consumer<RuleInstance> release;
  private Consumer<RaceSpan> onViolation = s -> { };
  private long violations;

  RuleViolations(List<OrderingRule> rules, RuleOperations ops, Consumer<RuleInstance> release) {
    this.check = new RuleCheck<>(rules);
    this.ops = ops;
    this.release = release;
  }

  long count() {
    return violations;
  }

  /** Called with the violating span after each violation (flight-recorder trigger). */
  void onViolation(Consumer<RaceSpan> listener) {
    this.onViolation = listener;
  }

  void check(RuleInstance b) {
    b.checked = true;
    long proceed = b.proceedSeq();
    RaceSpan violationSpan = null;
    KeyOperations view = new KeyOperations(b.key);
    for (OrderingRule rule : check.rules()) {
      RuleCheck.Late<Object> overtaken = check.overtaken(rule, b.op, b.initSeq, b, view);
      if (overtaken == null) {
        continue;
      }
      Late late = Late.of(overtaken, proceed);
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
    release.accept(b);
    if (violationSpan != null) {
      onViolation.accept(violationSpan);
    }
  }

  /** An operation of a rule's earlier step that did not precede the checked one, as reported. */
  private static final class Late {
    final String op;
    final long initSeq;
    /** Its end seq when it ended after the checked operation proceeded, else 0. */
    final long endSeq;

    private Late(String op, long initSeq, long endSeq) {
      this.op = op;
      this.initSeq = initSeq;
      this.endSeq = endSeq;
    }

    static Late of(RuleCheck.Late<Object> late, long proceed) {
      Object a = late.operation();
      if (a instanceof RuleInstance) {
        RuleInstance x = (RuleInstance) a;
        return new Late(late.op(), x.initSeq, x.endSeq >= proceed ? x.endSeq : 0);
      }
      return new Late(late.op(), (Long) a, 0); // initiated, not started
    }
  }

  /**
   * The operations on one key as the rule check sees them: the kept {@link RuleInstance}s, and the
   * seqs of operations initiated but not started ({@link RuleOperations#notStarted}), which cannot
   * have preceded anything.
   */
  private final class KeyOperations implements RuleCheck.Operations<Object> {
    private final String key;

    KeyOperations(String key) {
      this.key = key;
    }

    @Override
    public Iterable<?> of(String op) {
      ArrayDeque<RuleInstance> started = ops.of(key, op);
      ArrayDeque<Long> waiting = ops.notStarted(key, op);
      if (waiting == null || waiting.isEmpty()) {
        return started;
      }
      List<Object> all = new ArrayList<>(started.size() + waiting.size());
      all.addAll(started);
      all.addAll(waiting);
      return all;
    }

    @Override
    public long initSeq(Object o) {
      return o instanceof RuleInstance ? ((RuleInstance) o).initSeq : (Long) o;
    }

    @Override
    public boolean precedes(Object a, Object b) {
      if (!(a instanceof RuleInstance)) {
        return false; // initiated, not started
      }
      RuleInstance x = (RuleInstance) a;
      RuleInstance y = (RuleInstance) b;
      return x.complete() && x.endSeq > 0 && x.endSeq < y.proceedSeq() || x.signalledBefore(y);
    }
  }
}
