package dev.racetrace.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An ordering rule such as {@code load-metadata < derive < publish per key}: on every node, for
 * every key, each operation must come after the ones left of it. "A before B" means A ended
 * before B proceeded, or a recorded happens-before path leads from A to B's proceed point.
 *
 * <p>The one grammar of {@code racetrace.rules} (the agent's online check) and {@code analyze
 * --rule}: {@code op < op [< op ...] [per key]}. An operation is any text without {@code <} (the
 * {@code race.op} it matches, e.g. a {@code RaceTrace.mark} name); {@code per key} is the only
 * scope and may be omitted.
 */
public final class OrderingRule {
  private static final String PER_KEY = "per key";
  private final List<String> ops;

  private OrderingRule(List<String> ops) {
    this.ops = Collections.unmodifiableList(ops);
  }

  /**
   * Parses {@code "a < b < c per key"} ({@code per key} may be omitted: it is the only scope).
   *
   * @throws IllegalArgumentException naming the rule when it is not of that form
   */
  public static OrderingRule parse(String text) {
    String t = text.trim();
    if (t.endsWith(PER_KEY)) {
      t = t.substring(0, t.length() - PER_KEY.length()).trim();
    } else if (t.matches(".*\\bper\\s+\\S+$")) {
      throw new IllegalArgumentException("rule \"" + text + "\": only \"per key\" is supported");
    }
    String[] parts = t.split("<", -1);
    List<String> ops = new ArrayList<>();
    for (String p : parts) {
      String op = p.trim();
      if (op.isEmpty()) {
        throw new IllegalArgumentException("rule \"" + text
            + "\": expected operations separated by '<', e.g. \"load-metadata < derive per key\"");
      }
      if (ops.contains(op)) {
        throw new IllegalArgumentException("rule \"" + text + "\": operation " + op
            + " appears twice");
      }
      ops.add(op);
    }
    if (ops.size() < 2 && ops.get(0).matches(".*\\s.*")) {
      // "derive before publish": words where '<' belongs
      throw new IllegalArgumentException("rule \"" + text
          + "\": expected operations separated by '<', e.g. \"load-metadata < derive per key\"");
    }
    if (ops.size() < 2) {
      throw new IllegalArgumentException("rule \"" + text
          + "\": needs at least two operations, e.g. \"load-metadata < derive per key\"");
    }
    return new OrderingRule(ops);
  }

  /** The operations, first to last. */
  public List<String> ops() {
    return ops;
  }

  /** The operation before {@code op}, or null when op is first or not in this rule. */
  public String predecessorOf(String op) {
    int i = ops.indexOf(op);
    return i > 0 ? ops.get(i - 1) : null;
  }

  /** The last operation: the one that publishes what the others prepared. */
  public String last() {
    return ops.get(ops.size() - 1);
  }

  /** Canonical text, {@code a < b < c per key}. */
  public String text() {
    return String.join(" < ", ops) + " " + PER_KEY;
  }

  /** The chain without the scope, {@code a < b < c}. */
  public String chain() {
    return String.join(" < ", ops);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OrderingRule && ((OrderingRule) o).ops.equals(ops);
  }

  @Override
  public int hashCode() {
    return ops.hashCode();
  }

  @Override
  public String toString() {
    return text();
  }
}
