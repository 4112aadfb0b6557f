package dev.racetrace.agent.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes text from the environment safe to print on the application's stderr: control characters
 * are escaped (a value can neither forge a log line nor drive the terminal) and secrets are never
 * printed (URL user-info, header values). Every racetrace message that echoes a configured value
 * goes through here. Internal.
 */
public final class Redact {
  /** {@code scheme://user-info@}: everything between "//" and the first '@' before the host. */
  private static final Pattern USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/?#@\\s]*@");

  /** An OTLP headers setting named in a message: its value runs to the end of the message. */
  private static final Pattern HEADERS = Pattern.compile(
      "(?i)(otlp[._](traces[._])?headers\\s*[=:]|cannot decode header value:)\\s*");

  private Redact() {}

  /**
   * A URL with its user-info (user name and password) replaced by {@code ***}, and control
   * characters escaped: {@code http://u:p@host:4318} prints as {@code http://***@host:4318}.
   */
  public static String url(String url) {
    return controls(userInfo(url));
  }

  /** Text with the user-info of every URL in it replaced by {@code ***}. Control characters stay. */
  public static String userInfo(String text) {
    if (text == null || text.indexOf('@') < 0) {
      return text;
    }
    Matcher m = USER_INFO.matcher(text);
    return m.replaceAll("$1***@");
  }

  /**
   * Text with every control character escaped Java-style ({@code \n}, {@code \r}, {@code \t},
   * others as {@code \}{@code u001b}), including DEL, the C1 range and the Unicode line, paragraph
   * and bidirectional-override characters that can reorder or split what a terminal shows.
   */
  public static String controls(String text) {
    if (text == null) {
      return "null";
    }
    int i = 0;
    while (i < text.length() && !isControl(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isControl(c)) {
        sb.append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    return sb.toString();
  }

  /**
   * A whole message: URL user-info removed, whatever follows an {@code otel.exporter.otlp[.traces].headers=}
   * or {@code OTEL_EXPORTER_OTLP_HEADERS=} (a setting that holds tokens) replaced, control characters
   * escaped.
   */
  public static String line(String text) {
    return controls(headerValues(userInfo(text)));
  }

  /**
   * Text with the value of an OTLP headers setting in it (to the end of the text) not shown; the
   * SDK's own messages about a header it cannot read ("Cannot decode header value: ...") are
   * treated the same way, since they quote the value.
   */
  public static String headerValues(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = HEADERS.matcher(text);
    return m.find() ? text.substring(0, m.end()) + "(value not shown)" : text;
  }

  static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f)
        || c == '\u2028' || c == '\u2029' // line and paragraph separators
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') // bidi overrides
        || c == '\u200e' || c == '\u200f' || c == '\u061c'; // bidi marks
  }
}
