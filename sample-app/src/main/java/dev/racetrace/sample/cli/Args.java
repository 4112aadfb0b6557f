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
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Command-line options of the form {@code --name value}, {@code --name=value}, or, for the flags
 * declared boolean, a bare {@code --name} (= true) or {@code --name true|false}. picocli parses
 * them (from a command model built out of the option names); this class keeps the typed reads and
 * the messages the commands print: unknown options and malformed values fail with a message that
 * names the option and the value. A repeated option keeps its last value.
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
    CommandSpec spec = CommandSpec.create();
    for (String name : new TreeSet<>(options)) {
      OptionSpec.Builder option = OptionSpec.builder("--" + name).paramLabel("VALUE");
      if (flags.contains(name)) {
        // a bare flag is "true"; an explicit true/false after it is its value
        option.type(String.class).arity("0..1").fallbackValue("true");
      } else {
        option.type(String.class).arity("1");
      }
      spec.addOption(option.build());
    }
    CommandLine cl = new CommandLine(spec)
        .setOverwrittenOptionsAllowed(true)
        .setExpandAtFiles(false)
        .setUnmatchedOptionsArePositionalParams(false)
        .setTrimQuotes(false);
    ParseResult parsed;
    try {
      parsed = cl.parseArgs(argv.toArray(new String[0]));
    } catch (CommandLine.UnmatchedArgumentException e) {
      String a = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
      if (!a.startsWith("--") || a.length() == 2) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'", e);
      }
      int eq = a.indexOf('=');
      throw new IllegalArgumentException("unknown option " + (eq < 0 ? a : a.substring(0, eq))
          + " (known: " + String.join(", ", new TreeSet<>(options)) + ")", e);
    } catch (CommandLine.MissingParameterException e) {
      String name = e.getMissing().isEmpty() ? "?" : ((OptionSpec) e.getMissing().get(0)).longestName();
      throw new IllegalArgumentException("option " + name + " needs a value", e);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String a : argv) { // in the order given, as given() reports them
      if (a.startsWith("--")) {
        String name = a.substring(2).split("=", 2)[0];
        OptionSpec o = parsed.matchedOption("--" + name);
        if (o != null) {
          values.put(name, o.getValue());
        }
      }
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
