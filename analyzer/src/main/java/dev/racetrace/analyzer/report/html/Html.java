package dev.racetrace.analyzer.report.html;

import java.util.Locale;

/** Escaping and number formatting for the HTML report. */
final class Html {
  private Html() {}

  /** Escapes text for element content and attribute values. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&': sb.append("&amp;"); break;
        case '<': sb.append("&lt;"); break;
        case '>': sb.append("&gt;"); break;
        case '"': sb.append("&quot;"); break;
        case '\'': sb.append("&#39;"); break;
        default: sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A coordinate with one decimal. */
  static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
