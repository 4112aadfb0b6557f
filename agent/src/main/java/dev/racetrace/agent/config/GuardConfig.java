package dev.racetrace.agent.config;

import dev.racetrace.schema.OrderingRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parsed "what to look at" settings: key extractors, operation names, state probes, readiness
 * flags, guard methods and ordering rules. Syntax is checked here; whether the named classes and
 * members exist is checked by {@link ClassChecker}.
 */
public final class GuardConfig {
  private static final Pattern OP_NAME = Pattern.compile("[A-Za-z0-9_.:-]+");
  private static final Pattern STATE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  /** Longest sample interval of a state probe. */
  static final long MAX_SAMPLE_MILLIS = 3_600_000;

  /** A state probe: name, the static member, and a minimum interval between reads (0 = every time). */
  public static final class Probe {
    public final String name;
    public final MemberRef member;
    public final long sampleMillis;

    Probe(String name, MemberRef member, long sampleMillis) {
      this.name = name;
      this.member = member;
      this.sampleMillis = sampleMillis;
    }
  }

  public final List<MemberRef> keys;
  public final Map<String, String> ops;
  public final List<Probe> state;
  public final List<MemberRef> flags;
  public final List<MemberRef> guardMethods;
  public final List<OrderingRule> rules;
  public final List<DelayConfig.Rule> delays;

  private GuardConfig(List<MemberRef> keys, Map<String, String> ops, List<Probe> state,
      List<MemberRef> flags, List<MemberRef> guardMethods, List<OrderingRule> rules,
      List<DelayConfig.Rule> delays) {
    this.keys = Collections.unmodifiableList(keys);
    this.ops = Collections.unmodifiableMap(ops);
    this.state = Collections.unmodifiableList(state);
    this.flags = Collections.unmodifiableList(flags);
    this.guardMethods = Collections.unmodifiableList(guardMethods);
    this.rules = Collections.unmodifiableList(rules);
    this.delays = delays;
  }

  static GuardConfig parse(Map<String, String> values) throws ConfigException {
    return new GuardConfig(
        members(ConfigKey.KEYS, values.get(ConfigKey.KEYS.key())),
        ops(values.get(ConfigKey.OPS.key())),
        probes(values.get(ConfigKey.STATE.key())),
        members(ConfigKey.GUARDS_FLAGS, values.get(ConfigKey.GUARDS_FLAGS.key())),
        members(ConfigKey.GUARDS_METHODS, values.get(ConfigKey.GUARDS_METHODS.key())),
        rules(values.get(ConfigKey.RULES.key())),
        DelayConfig.parse(values.get(ConfigKey.DELAY.key())));
  }

  private static List<MemberRef> members(ConfigKey key, String value) throws ConfigException {
    List<MemberRef> out = new ArrayList<>();
    for (String entry : ValueType.splitList(value)) {
      out.add(MemberRef.parse(key.key(), value, entry));
    }
    return out;
  }

  private static Map<String, String> ops(String value) throws ConfigException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String entry : ValueType.splitList(value)) {
      int eq = entry.indexOf('=');
      String cls = eq > 0 ? entry.substring(0, eq).trim() : "";
      String name = eq > 0 ? entry.substring(eq + 1).trim() : "";
      if (!ValueType.PACKAGE.matcher(cls).matches() || !OP_NAME.matcher(name).matches()) {
        throw new ConfigException(ConfigKey.OPS.key(), value,
            "'" + entry + "' is not ClassName=op-name");
      }
      out.put(cls, name);
    }
    return out;
  }

  private static List<Probe> probes(String value) throws ConfigException {
    List<Probe> out = new ArrayList<>();
    for (String entry : ValueType.splitList(value)) {
      int eq = entry.indexOf('=');
      String name = eq > 0 ? entry.substring(0, eq).trim() : "";
      String spec = eq > 0 ? entry.substring(eq + 1).trim() : "";
      if (!STATE_NAME.matcher(name).matches()) {
        throw new ConfigException(ConfigKey.STATE.key(), value,
            "'" + entry + "' is not name=Class#staticMember[/sample-interval]");
      }
      long sample = 0;
      int slash = spec.indexOf('/');
      if (slash >= 0) {
        try {
          sample = ValueType.parseMillis(ConfigKey.STATE.key(), spec.substring(slash + 1));
        } catch (ConfigException e) {
          throw new ConfigException(ConfigKey.STATE.key(), value,
              "'" + entry + "' has a sample interval that is not a duration (e.g. 250ms, 5s, 2m)");
        }
        if (sample > MAX_SAMPLE_MILLIS) {
          throw new ConfigException(ConfigKey.STATE.key(), value,
              "'" + entry + "' has a sample interval above the maximum 1h");
        }
        spec = spec.substring(0, slash);
      }
      out.add(new Probe(name, MemberRef.parse(ConfigKey.STATE.key(), value, spec), sample));
    }
    return out;
  }

  /**
   * Parses one ordering rule with the shared grammar ({@link OrderingRule}: the same for
   * {@code racetrace.rules} and {@code analyze --rule}); a malformed rule is a ConfigException
   * naming the key, the whole value and what is wrong with the rule.
   */
  public static OrderingRule parseRule(String key, String wholeValue, String rule) throws ConfigException {
    try {
      return OrderingRule.parse(rule);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, wholeValue, e.getMessage());
    }
  }

  private static List<OrderingRule> rules(String value) throws ConfigException {
    List<OrderingRule> out = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return out;
    }
    for (String r : value.split(";")) {
      if (!r.isBlank()) {
        out.add(parseRule(ConfigKey.RULES.key(), value, r));
      }
    }
    List<String> cycle = cycle(out);
    if (!cycle.isEmpty()) {
      throw new ConfigException(ConfigKey.RULES.key(), value, "the rules order "
          + String.join(" < ", cycle) + ", a cycle no run can satisfy");
    }
    return out;
  }

  /**
   * A cycle of "before" edges across all rules ({@code a < b; b < a}), as the operations along it
   * with the first repeated at the end, or empty when the rules can all hold at once.
   */
  static List<String> cycle(List<OrderingRule> rules) {
    Map<String, List<String>> after = new LinkedHashMap<>();
    for (OrderingRule r : rules) {
      List<String> steps = r.ops();
      for (int i = 0; i + 1 < steps.size(); i++) {
        after.computeIfAbsent(steps.get(i), k -> new ArrayList<>()).add(steps.get(i + 1));
      }
    }
    Map<String, Integer> state = new HashMap<>(); // absent: unseen, 1: on the path, 2: done
    List<String> path = new ArrayList<>();
    for (String start : after.keySet()) {
      List<String> c = visit(start, after, state, path);
      if (!c.isEmpty()) {
        return c;
      }
    }
    return Collections.emptyList();
  }

  private static List<String> visit(String op, Map<String, List<String>> after, Map<String, Integer> state,
      List<String> path) {
    Integer s = state.get(op);
    if (s != null && s == 2) {
      return Collections.emptyList();
    }
    if (s != null) {
      List<String> c = new ArrayList<>(path.subList(path.indexOf(op), path.size()));
      c.add(op);
      return c;
    }
    state.put(op, 1);
    path.add(op);
    for (String next : after.getOrDefault(op, Collections.emptyList())) {
      List<String> c = visit(next, after, state, path);
      if (!c.isEmpty()) {
        return c;
      }
    }
    path.remove(path.size() - 1);
    state.put(op, 2);
    return Collections.emptyList();
  }
}
