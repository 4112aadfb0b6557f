package dev.racetrace.schema;

import java.util.List;

/**
 * What an ordering rule asks of one operation B, stated once for the agent's online check and the
 * analyzer's: for each step A before B's op in the rule (every earlier step, not only the
 * neighbour), every A on B's key initiated (enqueued, submitted, started) before B must precede
 * B. An A initiated after B does not count: a key's dependency may come from elsewhere and be
 * updated later. An A initiated but not started when B proceeded cannot have preceded it.
 *
 * <p>The break reported is the first step, in rule order, with an A that did not precede B, and of
 * those A the earliest initiated. Whether A preceded B is the caller's {@link Operations#precedes}:
 * A ended before B proceeded, or a recorded happens-before path leads from A to B's proceed point;
 * online that path is a guard A opened and B then waited on, offline any path the analyzer's
 * happens-before graph holds ({@code RuleCheckAgreementTest} holds the two checks to the same
 * verdicts).
 *
 * @param <O> how the caller represents one operation
 */
public final class RuleCheck<O> {
  /** How the caller sees the operations on B's key. */
  public interface Operations<O> {
    /** The operations {@code op} on B's key, started or only initiated, in any order. */
    Iterable<? extends O> of(String op);

    /** The seq of the enqueue or submit that initiated {@code o}, or of its start. */
    long initSeq(O o);

    /** Whether {@code a} preceded {@code b}; false for an {@code a} that has not started. */
    boolean precedes(O a, O b);
  }

  /** An operation of an earlier step that did not precede B. */
  public static final class Late<O> {
    private final String op;
    private final O operation;

    Late(String op, O operation) {
      this.op = op;
      this.operation = operation;
    }

    /** The step (op name) it belongs to. */
    public String op() {
      return op;
    }

    /** The operation. */
    public O operation() {
      return operation;
    }
  }

  private final List<OrderingRule> rules;

  /** @param rules the rules to check */
  public RuleCheck(List<OrderingRule> rules) {
    this.rules = rules;
  }

  /** The rules. */
  public List<OrderingRule> rules() {
    return rules;
  }

  /**
   * The break {@code rule} finds at {@code b}, an operation {@code bOp} initiated at
   * {@code bInitSeq}, or null when every earlier step's operations initiated before it preceded it
   * (or the rule does not name {@code bOp}).
   */
  public Late<O> overtaken(OrderingRule rule, String bOp, long bInitSeq, O b, Operations<O> ops) {
    List<String> steps = rule.ops();
    int at = steps.indexOf(bOp);
    for (int i = 0; i < at; i++) {
      O late = earliestNotPreceding(ops.of(steps.get(i)), bInitSeq, b, ops);
      if (late != null) {
        return new Late<>(steps.get(i), late);
      }
    }
    return null;
  }

  private static <O> O earliestNotPreceding(Iterable<? extends O> as, long bInitSeq, O b,
      Operations<O> ops) {
    O late = null;
    long lateInit = Long.MAX_VALUE;
    for (O a : as) {
      long init = ops.initSeq(a);
      if (init < bInitSeq && init < lateInit && !ops.precedes(a, b)) {
        late = a;
        lateInit = init;
      }
    }
    return late;
  }
}
