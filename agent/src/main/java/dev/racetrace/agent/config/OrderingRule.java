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

  /** Parses one rule; the error names the key and the whole value. */
  public static OrderingRule parse(String key, String wholeValue, String rule) throws ConfigException {
    String r = rule.trim();
    if (!r.endsWith(" per key")) {
      throw new ConfigException(key, wholeValue, "rule '" + r + "' must read 'a < b [< c ...] per key'");
    }
    String chain = r.substring(0, r.length() - " per key".length());
    List<String> steps = new ArrayList<>();
    for (String s : chain.split("<")) {
      String op = s.trim();
      if (!OP.matcher(op).matches()) {
        throw new ConfigException(key, wholeValue, "rule '" + r + "' must read 'a < b [< c ...] per key'");
      }
      if (steps.contains(op)) {
        throw new ConfigException(key, wholeValue, "rule '" + r + "' names '" + op + "' twice");
      }
      steps.add(op);
    }
    if (steps.size() < 2) {
      throw new ConfigException(key, wholeValue, "rule '" + r + "' must order at least two operations");
    }
    return new OrderingRule(steps, String.join(" < ", steps) + " per key");
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
