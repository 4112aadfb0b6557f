package dev.racetrace.agent.config;

/**
 * The range a key's value must lie in so that racetrace keeps its promises (bounded memory, no
 * busy loop, no overflow), shown in the "limits" column of {@code docs/configuration.md}. Limits
 * that depend on the heap are checked together by {@link MemoryBudget}; this class checks the
 * fixed ones.
 */
public final class Bound {
  /** Longest value racetrace accepts for any key, in characters. */
  public static final int MAX_VALUE_CHARS = 65_536;

  private final long min;
  private final long max;
  private final boolean millis;
  private final String note;

  private final boolean bytes;
  private final boolean percent;

  private Bound(long min, long max, boolean millis, String note) {
    this(min, max, millis, note, false, false);
  }

  private Bound(long min, long max, boolean millis, String note, boolean bytes) {
    this(min, max, millis, note, bytes, false);
  }

  private Bound(long min, long max, boolean millis, String note, boolean bytes, boolean percent) {
    this.min = min;
    this.max = max;
    this.millis = millis;
    this.note = note;
    this.bytes = bytes;
    this.percent = percent;
  }

  private static Bound percent(long min, long max, String note) {
    return new Bound(min, max, false, note, false, true);
  }

  private static Bound count(long min, long max, String note) {
    return new Bound(min, max, false, note);
  }

  private static Bound duration(long minMillis, long maxMillis, String note) {
    return new Bound(minMillis, maxMillis, true, note);
  }

  /** A limit checked elsewhere (or none beyond the value's type and length), only documented. */
  private static Bound size(long minBytes, long maxBytes, String note) {
    return new Bound(minBytes, maxBytes, false, note, true);
  }

  private static Bound note(String note) {
    return new Bound(Long.MIN_VALUE, Long.MAX_VALUE, false, note);
  }

  /** The bound of {@code key}. Keys without a specific one are limited in length only. */
  static Bound of(ConfigKey key) {
    switch (key) {
      case CONFIG:
        return note("a regular file (not a FIFO, device or directory) of at most 1 MiB");
      case INCLUDE:
        return note("no JDK or racetrace package, nor a parent of one (e.g. com, dev.racetrace); "
            + "packages and classes");
      case EXCLUDE:
        return note("no JDK or racetrace package; packages and classes");
      case BUFFER_SIZE:
        return count(16, 1 << 20, "ring memory (see racetrace.buffer.threads) within 1/8 of the max heap; "
            + "unset: 4096, lowered on a heap under 10 MiB");
      case BUFFER_THREADS:
        return count(1, 65_536, "(threads + shared rings) x buffer.size x 72 B <= 1/8 of the max heap; "
            + "unset: 512, lowered to what fits");
      case MEMORY_MAX:
        return size(256 << 10, 1L << 30, "at most 1/4 of the max heap; unset: 8m, lowered to 1/8 of "
            + "the max heap when that is less");
      case OUT_MAX:
        return size(64 << 10, 1L << 40, "");
      case EXPORT_INTERVAL:
        return duration(1, 60_000, "");
      case EXPORT_CPU:
        return percent(1, 100, "of one core");
      case SHUTDOWN_TIMEOUT:
        return duration(0, 600_000, "");
      case TRACE_WINDOW:
        return duration(1, 86_400_000, "");
      case FLIGHT_SIZE:
        return count(1, 1_000_000, "in flight mode x 1 KiB <= 1/8 of the max heap; unset: 20000, "
            + "lowered to what fits");
      case FLIGHT_MAXSIZE:
        return size(1 << 20, 1L << 30, "in flight mode <= 1/8 of the max heap; unset: 16m, lowered to "
            + "what fits (at least 1m)");
      case FLIGHT_MAXAGE:
        return duration(1_000, 86_400_000, "");
      case FLIGHT_TRIGGERS:
        return note("at least one");
      case FLIGHT_TIMEOUT_INTERVAL:
        return duration(0, 86_400_000, "");
      case RECORD:
        return note("at least one family");
      case RULES:
        return note("no cycle, within a rule or across rules");
      case STATE:
        return note("sample interval at most 1h");
      case DELAY:
        return note("each delay and each jitter at most 10m; probability in (0, 1]");
      case DELAY_SEED:
        return note("any 64-bit integer");
      default:
        return note("");
    }
  }

  /** Checks a value that already has the key's type. */
  void check(String key, String value) throws ConfigException {
    if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
      return;
    }
    long n = millis ? ValueType.parseMillis(key, value)
        : percent ? ValueType.parsePercent(key, value)
        : bytes ? ValueType.parseBytes(key, value) : Long.parseLong(value.trim());
    if (n < min) {
      throw new ConfigException(key, value, "below the minimum " + format(min));
    }
    if (n > max) {
      throw new ConfigException(key, value, "above the maximum " + format(max));
    }
  }

  /** The limits as shown in the docs' table. */
  public String describe() {
    String range = min == Long.MIN_VALUE && max == Long.MAX_VALUE ? ""
        : format(min) + " to " + format(max);
    if (range.isEmpty()) {
      return note;
    }
    return note.isEmpty() ? range : range + "; " + note;
  }

  private String format(long n) {
    if (percent) {
      return n + "%";
    }
    if (bytes) {
      return n % (1 << 30) == 0 ? (n >> 30) + "g" : n % (1 << 20) == 0 ? (n >> 20) + "m" : (n >> 10) + "k";
    }
    if (!millis) {
      return Long.toString(n);
    }
    if (n != 0 && n % 3_600_000 == 0) {
      return n / 3_600_000 + "h";
    }
    if (n != 0 && n % 60_000 == 0) {
      return n / 60_000 + "m";
    }
    if (n != 0 && n % 1000 == 0) {
      return n / 1000 + "s";
    }
    return n + "ms";
  }
}
