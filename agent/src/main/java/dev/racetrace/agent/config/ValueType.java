package dev.racetrace.agent.config;

import dev.racetrace.agent.instrument.PackageFilter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** How a configuration value is written and checked. Each check throws with the reason shown to the user. */
public enum ValueType {
  BOOLEAN("true or false") {
    @Override
    void check(String key, String value) throws ConfigException {
      if (!value.equals("true") && !value.equals("false")) {
        throw new ConfigException(key, value, "not a boolean (true or false)");
      }
    }
  },
  POWER_OF_TWO("a power-of-two integer") {
    @Override
    void check(String key, String value) throws ConfigException {
      int n;
      try {
        n = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new ConfigException(key, value, "not a power-of-two integer");
      }
      if (n <= 0 || Integer.bitCount(n) != 1) {
        throw new ConfigException(key, value, "not a power-of-two integer");
      }
    }
  },
  POSITIVE_INT("a positive integer") {
    @Override
    void check(String key, String value) throws ConfigException {
      try {
        if (Integer.parseInt(value) > 0) {
          return;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new ConfigException(key, value, "not a positive integer");
    }
  },
  DURATION("a duration such as 250ms, 5s, 2m or 1h") {
    @Override
    void check(String key, String value) throws ConfigException {
      parseMillis(key, value);
    }
  },
  PACKAGES("comma-separated package or class names, e.g. com.acme,org.example.service.Cache") {
    @Override
    void check(String key, String value) throws ConfigException {
      for (String p : splitList(value)) {
        String name = stripWildcard(p);
        if (!PACKAGE.matcher(name).matches()) {
          throw new ConfigException(key, value, "'" + p + "' is not a package or class name");
        }
        if (PackageFilter.neverTransformed(name)) {
          throw new ConfigException(key, value,
              "'" + p + "' cannot be instrumented (JDK and racetrace packages are never transformed)");
        }
      }
    }
  },
  PATH("a file or directory path") {
    @Override
    void check(String key, String value) throws ConfigException {
      if (value.isBlank()) {
        throw new ConfigException(key, value, "empty path");
      }
    }
  },
  EXPORTER("auto, journal, otlp-json, otel or both") {
    @Override
    void check(String key, String value) throws ConfigException {
      requireOneOf(key, value, ExporterChoice.parse(value), "auto, journal, otlp-json, otel, both");
    }
  },
  FILE_ENCODER("racetrace or otel-sdk") {
    @Override
    void check(String key, String value) throws ConfigException {
      requireOneOf(key, value, FileEncoder.parse(value), "racetrace, otel-sdk");
    }
  },
  LONG("an integer") {
    @Override
    void check(String key, String value) throws ConfigException {
      try {
        Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new ConfigException(key, value, "not an integer");
      }
    }
  },
  MODE("stream or flight") {
    @Override
    void check(String key, String value) throws ConfigException {
      requireOneOf(key, value, RecordingMode.parse(value), "stream, flight");
    }
  },
  TRIGGERS("comma-separated: violation, timeout, shutdown") {
    @Override
    void check(String key, String value) throws ConfigException {
      if (splitList(value).isEmpty()) {
        throw new ConfigException(key, value,
            "empty: name at least one of violation, timeout, shutdown (a dump request always exports)");
      }
      for (String t : splitList(value)) {
        if (!t.equals("violation") && !t.equals("timeout") && !t.equals("shutdown")) {
          throw new ConfigException(key, value, "'" + t + "' is not one of violation, timeout, shutdown");
        }
      }
    }
  },
  RECORD_FAMILIES("all, or comma-separated event families: " + RecordFamily.allIds()) {
    @Override
    void check(String key, String value) throws ConfigException {
      if (splitList(value).isEmpty()) {
        throw new ConfigException(key, value, "empty: name at least one of all, " + RecordFamily.allIds());
      }
      for (String f : splitList(value)) {
        if (!f.equals("all") && RecordFamily.byId(f) == null) {
          throw new ConfigException(key, value,
              "'" + f + "' is not an event family (all, " + RecordFamily.allIds() + ")");
        }
      }
    }
  },
  SIZE("a size in bytes such as 512k, 4m or 1g (k, m, g: powers of 1024)") {
    @Override
    void check(String key, String value) throws ConfigException {
      parseBytes(key, value);
    }
  },
  PERCENT("a whole percentage of one core such as 5% or 50%") {
    @Override
    void check(String key, String value) throws ConfigException {
      parsePercent(key, value);
    }
  },
  /** Parsed and checked by the feature that uses it; only syntax is checked here. */
  TEXT("text") {
    @Override
    void check(String key, String value) {}
  };

  static final Pattern PACKAGE =
      Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

  private final String expected;

  ValueType(String expected) {
    this.expected = expected;
  }

  /** What a valid value looks like, for --help and the docs. */
  public String expected() {
    return expected;
  }

  abstract void check(String key, String value) throws ConfigException;

  /** Fails unless {@code parsed}, what {@code value} parsed to, is one of {@code choices} (null: none). */
  private static void requireOneOf(String key, String value, Object parsed, String choices)
      throws ConfigException {
    if (parsed == null) {
      throw new ConfigException(key, value, "not one of " + choices);
    }
  }

  /** Splits a comma-separated list, trimming entries and dropping empty ones. */
  public static List<String> splitList(String value) {
    if (value == null || value.isBlank()) {
      return Collections.emptyList();
    }
    List<String> out = new ArrayList<>();
    for (String s : value.split(",")) {
      String t = s.trim();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /** {@code com.acme.*} and {@code com.acme} mean the same package tree. */
  public static String stripWildcard(String p) {
    if (p.endsWith(".*")) {
      return p.substring(0, p.length() - 2);
    }
    if (p.endsWith("*")) {
      return p.substring(0, p.length() - 1);
    }
    return p;
  }

  /**
   * Parses durations like {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, or a bare number of
   * milliseconds. A value too large for a long number of milliseconds is rejected, never wrapped.
   */
  public static long parseMillis(String key, String value) throws ConfigException {
    String v = value.trim().toLowerCase(Locale.ROOT);
    long factor = 1;
    String digits = v;
    if (v.endsWith("h")) {
      digits = v.substring(0, v.length() - 1);
      factor = 3_600_000;
    } else if (v.endsWith("ms")) {
      digits = v.substring(0, v.length() - 2);
    } else if (v.endsWith("s")) {
      digits = v.substring(0, v.length() - 1);
      factor = 1000;
    } else if (v.endsWith("m")) {
      digits = v.substring(0, v.length() - 1);
      factor = 60_000;
    }
    long n;
    try {
      n = Long.parseLong(digits.trim());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 0 || digits.isBlank() || !digits.trim().chars().allMatch(Character::isDigit)) {
      if (digits.trim().matches("[0-9]{19,}")) {
        throw new ConfigException(key, value, "too large a duration");
      }
      throw new ConfigException(key, value, "not a duration (e.g. 250ms, 5s, 2m)");
    }
    try {
      return Math.multiplyExact(n, factor);
    } catch (ArithmeticException e) {
      throw new ConfigException(key, value, "too large a duration");
    }
  }

  /**
   * Parses sizes like {@code 512k}, {@code 4m}, {@code 1g} (powers of 1024, case-insensitive, an
   * optional trailing {@code b}), or a bare number of bytes. Too large a value is rejected, never
   * wrapped.
   */
  /** A whole percentage, written {@code 5%} (or {@code 5}). */
  public static long parsePercent(String key, String value) throws ConfigException {
    String v = value.trim();
    if (v.endsWith("%")) {
      v = v.substring(0, v.length() - 1).trim();
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "not a whole percentage (e.g. 5%)");
    }
  }

  public static long parseBytes(String key, String value) throws ConfigException {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.endsWith("b") && v.length() > 1 && !Character.isDigit(v.charAt(v.length() - 2))) {
      v = v.substring(0, v.length() - 1); // 4mb, 512kb
    }
    int shift = 0;
    if (v.endsWith("k")) {
      shift = 10;
    } else if (v.endsWith("m")) {
      shift = 20;
    } else if (v.endsWith("g")) {
      shift = 30;
    }
    String digits = shift == 0 ? v : v.substring(0, v.length() - 1).trim();
    if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
      throw new ConfigException(key, value, "not a size (e.g. 512k, 4m, 1g)");
    }
    if (digits.length() > 18 || Long.parseLong(digits) > (Long.MAX_VALUE >> shift)) {
      throw new ConfigException(key, value, "too large a size");
    }
    return Long.parseLong(digits) << shift;
  }
}
