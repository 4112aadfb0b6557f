package dev.racetrace.agent.export;

import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.trace.data.EventData;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Checks one settled operation B against the rules: for each rule step A before B's op, the
 * earliest A on B's key initiated before B that did not precede it (ended before B proceeded, or
 * opened a guard B then waited on) is a violation, added as a {@code race.rule.violation} event to
 * the span where B proceeded. Then B's held spans are released. Exporter thread only.
 */
final class RuleViolations {
  private final List<OrderingRule> rules;
  private final RuleOperations ops;
  private final Consumer<RuleInstance> release;
  private Consumer<RaceSpan> onViolation = s -> { };
  private long violations;

  RuleViolations(List<OrderingRule> rules, RuleOperations ops, Consumer<RuleInstance> release) {
    this.rules = rules;
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
    release.accept(b);
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
  private Late overtaken(RuleInstance b, String a, long proceed) {
    Late late = null;
    for (RuleInstance x : ops.of(b.key, a)) {
      if (x.initSeq >= b.initSeq || (late != null && x.initSeq >= late.initSeq)) {
        continue;
      }
      boolean preceded = x.complete() && x.endSeq > 0 && x.endSeq < proceed || x.signalledBefore(b);
      if (!preceded) {
        late = new Late(a, x.initSeq, x.endSeq >= proceed ? x.endSeq : 0);
      }
    }
    ArrayDeque<Long> waiting = ops.notStarted(b.key, a);
    if (waiting != null) {
      for (long seq : waiting) {
        if (seq < b.initSeq && (late == null || seq < late.initSeq)) {
          late = new Late(a, seq, 0);
        }
      }
    }
    return late;
  }
}
