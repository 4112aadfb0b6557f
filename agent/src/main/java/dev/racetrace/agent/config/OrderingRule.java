package dev.racetrace.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code load-metadata < derive < publish per key}: on one node, for each key, every operation of
 * a later step must start (pass its guards) only after a matching earlier-step operation ended.
 */
public final class OrderingRule {
  private static final Pattern OP = Pattern.compile("[A-Za-z0-9_.:-]+");

  private final List<String> steps;
  private final String text;

  private OrderingRule(List<String> steps, String text) {
    this.steps = Collections.unmodifiableList(steps);
    this.text = text;
  }

  /**
   * Parses one rule with the analyzer's grammar ({@code a < b [< c ...] [per key]}, so a rule
   * means the same to {@code racetrace.rules} and to {@code analyze --rule}); operation names
   * must also be names {@code racetrace.ops} can give. The error names the key and the whole value.
   */
  public static OrderingRule parse(String key, String wholeValue, String rule) throws ConfigException {
    dev.racetrace.analyzer.rules.OrderingRule parsed;
    try {
      parsed = dev.racetrace.analyzer.rules.OrderingRule.parse(rule);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, wholeValue, e.getMessage());
    }
    for (String op : parsed.ops()) {
      if (!OP.matcher(op).matches()) {
        throw new ConfigException(key, wholeValue, "rule \"" + rule.trim() + "\": '" + op
            + "' is not an operation name (letters, digits and _ . : - only)");
      }
    }
    return new OrderingRule(new ArrayList<>(parsed.ops()), parsed.text());
  }

  /** Operation names, earliest first. */
  public List<String> steps() {
    return steps;
  }

  /** The step before {@code op}, or null when op is first or not in this rule. */
  public String predecessorOf(String op) {
    int i = steps.indexOf(op);
    return i > 0 ? steps.get(i - 1) : null;
  }

  @Override
  public String toString() {
    return text;
  }
}
