package dev.racetrace.analyzer.report;

import dev.racetrace.analyzer.input.SpanRecord;
import dev.racetrace.schema.SchemaNames;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** Formatting shared by the reports: times in UTC, durations for humans, state maps. */
public final class Formats {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Formats() {}

  /** {@code 14:30:01.003} (UTC), for timelines. */
  public static String clock(long epochNanos) {
    return CLOCK.format(instant(epochNanos));
  }

  /** {@code 2024-05-01T14:30:01.003Z}; empty for {@link Long#MIN_VALUE} (unknown). */
  public static String iso(long epochNanos) {
    return epochNanos == Long.MIN_VALUE ? "" : ISO.format(instant(epochNanos));
  }

  private static Instant instant(long epochNanos) {
    return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
        Math.floorMod(epochNanos, 1_000_000_000L));
  }

  /** {@code 350us}, {@code 7ms}, {@code 1.250s}, {@code 17m09.2s}, {@code 2h03m}; "-" if unknown. */
  public static String duration(long nanos) {
    if (nanos == SpanRecord.NONE) {
      return "-";
    }
    String sign = nanos < 0 ? "-" : "";
    long n = Math.abs(nanos);
    if (n < 1_000_000L) {
      return sign + (n / 1000) + "us";
    }
    if (n < 1_000_000_000L) {
      return sign + (n / 1_000_000L) + "ms";
    }
    if (n < 60_000_000_000L) {
      String sec = String.format(Locale.ROOT, "%.3f", n / 1e9);
      sec = sec.replaceAll("0+$", "").replaceAll("\\.$", "");
      return sign + sec + "s";
    }
    long totalSeconds = n / 1_000_000_000L;
    if (totalSeconds < 3600) {
      return sign + String.format(Locale.ROOT, "%dm%04.1fs", totalSeconds / 60,
          (n % 60_000_000_000L) / 1e9);
    }
    return sign + String.format(Locale.ROOT, "%dh%02dm", totalSeconds / 3600,
        (totalSeconds % 3600) / 60);
  }

  /** {@code metadata.entities=0, ready=1}, or {@code -} when empty. */
  public static String state(Map<String, Long> state) {
    if (state.isEmpty()) {
      return "-";
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Long> e : state.entrySet()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }

  /**
   * A guard check in a few words: {@code latch.await Node.startupLatch: trivial},
   * {@code flag.read Node.ready = true}, {@code condition.await Node.metadataArrived: timed out
   * after 30.000s}.
   */
  public static String guard(SpanRecord g) {
    StringBuilder sb = new StringBuilder();
    sb.append(g.event() == null ? g.name() : g.event());
    if (g.resource() != null) {
      sb.append(' ').append(g.resource());
    }
    return appendOutcome(sb, g, false).toString();
  }

  /**
   * A guard check in the fewest words, for narrow columns: {@code latch Node.startupLatch:
   * trivial}, {@code flag Node.ready = true}, {@code wait Node.metadataArrived: TIMED OUT 30s}.
   */
  public static String guardShort(SpanRecord g) {
    String event = g.event() == null ? g.name() : g.event();
    String kind;
    switch (event) {
      case "latch.await": case "latch.get_count": kind = "latch"; break;
      case "flag.read": kind = "flag"; break;
      case "guard.method": kind = "guard"; break;
      case "condition.await": case "monitor.wait": kind = "wait"; break;
      case "thread.sleep": kind = "sleep"; break;
      case "lock.acquire": kind = "lock"; break;
      case "semaphore.acquire": kind = "acquire"; break;
      default: kind = event.contains(".") ? event.substring(0, event.indexOf('.')) : event;
    }
    StringBuilder sb = new StringBuilder(kind);
    if (g.resource() != null) {
      sb.append(' ').append(g.resource());
    }
    return appendOutcome(sb, g, true).toString();
  }

  /**
   * What the guard check came to: timed out, failed, trivial, the value seen, the wait, or passed.
   * {@code brief} shouts the failures and says {@code ok} for a plain pass (narrow columns).
   */
  private static StringBuilder appendOutcome(StringBuilder sb, SpanRecord g, boolean brief) {
    if (g.timedOut()) {
      long waited = g.blockedNs() != SpanRecord.NONE ? g.blockedNs() : g.timeoutNs();
      sb.append(brief ? ": TIMED OUT" : ": timed out")
          .append(waited == SpanRecord.NONE ? "" : (brief ? " " : " after ") + duration(waited));
    } else if (failed(g)) {
      sb.append(": ").append(brief ? g.outcome().toUpperCase(Locale.ROOT) : g.outcome());
    } else if (g.trivial()) {
      sb.append(": trivial");
    } else if (g.valueSeen() != null) {
      sb.append(" = ").append(g.valueSeen());
    } else if (g.blockedNs() != SpanRecord.NONE && g.blockedNs() > 0) {
      sb.append(": waited ").append(duration(g.blockedNs()));
    } else {
      sb.append(brief ? ": ok" : ": passed");
    }
    return sb;
  }

  /** Whether the guard call ended other than normally ({@code interrupted}, {@code exception},
   * {@code rejected}, ...). */
  private static boolean failed(SpanRecord g) {
    return g.outcome() != null && !g.outcome().equals(SchemaNames.OUTCOME_OK) && !g.timedOut();
  }

  /**
   * {@link #guardShort} in at most {@code max} characters when it can be: the object's name is
   * shortened from the left ({@code ...Cache.skuWarmup}), the outcome ({@code TIMED OUT 30s})
   * is never cut.
   */
  public static String guardShort(SpanRecord g, int max) {
    String full = guardShort(g);
    if (full.length() <= max || g.resource() == null) {
      return full;
    }
    String outcome = appendOutcome(new StringBuilder(), g, true).toString();
    String kind = full.substring(0, full.length() - outcome.length() - g.resource().length() - 1);
    int room = max - kind.length() - 1 - outcome.length();
    String resource = g.resource();
    if (room >= 8) {
      resource = "..." + resource.substring(resource.length() - (room - 3));
    }
    return kind + " " + resource + outcome;
  }

  /** Shortens {@code s} to {@code max} characters with an ellipsis. */
  public static String cut(String s, int max) {
    if (s == null) {
      return "-";
    }
    return s.length() <= max ? s : s.substring(0, Math.max(0, max - 3)) + "...";
  }
}
