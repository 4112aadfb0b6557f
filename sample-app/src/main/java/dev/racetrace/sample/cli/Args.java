package dev.racetrace.sample.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Command-line options of the form {@code --name value}, {@code --name=value}, or, for the flags
 * declared boolean, a bare {@code --name} (= true). Unknown options and malformed values fail with
 * a message that names the option and the value.
 */
public final class Args {
  private final Map<String, String> values;

  private Args(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code argv}.
   *
   * @param argv the arguments after the sub-command
   * @param options every accepted option name, without {@code --}
   * @param flags the subset that may appear without a value
   * @throws IllegalArgumentException on an unknown option, a positional argument or a missing value
   */
  public static Args parse(List<String> argv, Set<String> options, Set<String> flags) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      if (!a.startsWith("--") || a.length() == 2) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'");
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!options.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + " (known: "
            + String.join(", ", new TreeSet<>(options)) + ")");
      }
      if (value == null) {
        boolean hasNext = i + 1 < argv.size() && !argv.get(i + 1).startsWith("--");
        if (flags.contains(name) && (!hasNext || !isBoolean(argv.get(i + 1)))) {
          value = "true";
        } else if (hasNext) {
          value = argv.get(++i);
        } else {
          throw new IllegalArgumentException("option --" + name + " needs a value");
        }
      }
      values.put(name, value);
    }
    return new Args(Collections.unmodifiableMap(values));
  }

  private static boolean isBoolean(String s) {
    String l = s.toLowerCase(Locale.ROOT);
    return l.equals("true") || l.equals("false");
  }

  /** Whether the option was given. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The option's value, if given. */
  public Optional<String> string(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** The option's value, or {@code dflt}. */
  public String string(String name, String dflt) {
    return values.getOrDefault(name, dflt);
  }

  /** An integer option within [min, max]. */
  public int integer(String name, int dflt, int min, int max) {
    long v = longValue(name, dflt);
    if (v < min || v > max) {
      throw new IllegalArgumentException("--" + name + " " + v + ": expected " + min + ".." + max);
    }
    return (int) v;
  }

  /** A long option. */
  public long longValue(String name, long dflt) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " " + v + ": not an integer");
    }
  }

  /** A boolean option: {@code true} or {@code false}. */
  public boolean bool(String name, boolean dflt) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    if (!isBoolean(v)) {
      throw new IllegalArgumentException("--" + name + " " + v + ": expected true or false");
    }
    return Boolean.parseBoolean(v);
  }

  /** The raw values, for messages. */
  public List<String> given() {
    return new ArrayList<>(values.keySet());
  }
}
