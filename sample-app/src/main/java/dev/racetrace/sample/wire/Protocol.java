package dev.racetrace.sample.wire;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The machine-readable lines a node prints on stdout, so that whoever started it (the demo, a
 * test, a script) can find its port and token and follow its progress without parsing prose.
 * Every such line starts with {@value #PREFIX}, then an event name, then either {@code key=value}
 * pairs or one JSON document:
 *
 * <pre>
 * racetrace-node listening node=node-1 host=127.0.0.1 port=40123 token=3f9c... pid=4242
 * racetrace-node done node=node-1 seed=42 ops=75 millis=431
 * racetrace-node raw {"node":"node-1","seed":42,...,"records":[...]}
 * racetrace-node error node=node-1 message=...
 * </pre>
 *
 * Values in {@code key=value} pairs never contain spaces, except {@code message}, which is last.
 */
public final class Protocol {
  /** First word of every machine-readable line. */
  public static final String PREFIX = "racetrace-node";
  /** The node's HTTP endpoint is up and the node is ready for its input. */
  public static final String LISTENING = "listening";
  /** The node processed every operation of a seed's input log. */
  public static final String DONE = "done";
  /** The node's raw state after a seed, as JSON. */
  public static final String RAW = "raw";
  /** The node failed; it exits non-zero after this line. */
  public static final String ERROR = "error";

  private Protocol() {}

  /** One parsed line. {@code json} is set for {@link #RAW}, {@code fields} for the others. */
  public record Line(String event, Map<String, String> fields, String json) {
    /** A field's value, or empty. */
    public Optional<String> field(String name) {
      return Optional.ofNullable(fields.get(name));
    }
  }

  /** Formats a {@code key=value} line; the last pair may be {@code message} (with spaces). */
  public static String line(String event, String... keyValues) {
    StringBuilder b = new StringBuilder(PREFIX).append(' ').append(event);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      b.append(' ').append(keyValues[i]).append('=').append(keyValues[i + 1]);
    }
    return b.toString();
  }

  /** Formats a JSON line. */
  public static String jsonLine(String event, String json) {
    return PREFIX + ' ' + event + ' ' + json;
  }

  /** Parses {@code text} if it is a protocol line. */
  public static Optional<Line> parse(String text) {
    if (text == null || !text.startsWith(PREFIX + ' ')) {
      return Optional.empty();
    }
    String rest = text.substring(PREFIX.length() + 1).trim();
    int sp = rest.indexOf(' ');
    String event = sp < 0 ? rest : rest.substring(0, sp);
    String tail = sp < 0 ? "" : rest.substring(sp + 1).trim();
    if (tail.startsWith("{") || tail.startsWith("[")) {
      return Optional.of(new Line(event, Map.of(), tail));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    int i = 0;
    while (i < tail.length()) {
      int eq = tail.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String k = tail.substring(i, eq).trim();
      if (k.equals("message")) {
        fields.put(k, tail.substring(eq + 1));
        break;
      }
      int end = tail.indexOf(' ', eq + 1);
      if (end < 0) {
        end = tail.length();
      }
      fields.put(k, tail.substring(eq + 1, end));
      i = end + 1;
    }
    return Optional.of(new Line(event, fields, null));
  }
}
