package dev.racetrace.analyzer.report.text;

import dev.racetrace.analyzer.AffectedWindow;
import dev.racetrace.analyzer.report.Formats;
import java.util.List;

/**
 * {@code --affected FILE.csv}: one row per affected key and node, {@code node,key,from,to}, with
 * ISO-8601 UTC times on that node's clock (empty when unknown). Fields with commas or quotes are
 * quoted per RFC 4180.
 */
public final class AffectedCsv {
  private AffectedCsv() {}

  /** The CSV text, with a header line. */
  public static String render(List<AffectedWindow> affected) {
    StringBuilder sb = new StringBuilder("node,key,from,to\n");
    for (AffectedWindow w : affected) {
      sb.append(field(w.node())).append(',').append(field(w.key())).append(',')
          .append(Formats.iso(w.fromNanos())).append(',').append(Formats.iso(w.toNanos()))
          .append('\n');
    }
    return sb.toString();
  }

  private static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
