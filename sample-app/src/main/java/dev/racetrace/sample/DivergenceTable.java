package dev.racetrace.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link DivergenceReport} as a text table: one row per key, each node's raw value
 * ({@code value (mN)}: derived from metadata version N), and the odd node.
 */
public final class DivergenceTable {
  private DivergenceTable() {}

  /**
   * @param report what to render
   * @param onlyDivergent print only the keys on which nodes disagree
   */
  public static String render(DivergenceReport report, boolean onlyDivergent) {
    List<String> header = new ArrayList<>();
    header.add("key");
    header.addAll(report.nodes());
    header.add("odd node");
    List<List<String>> lines = new ArrayList<>();
    lines.add(header);
    for (DivergenceReport.Row row : report.rows()) {
      if (onlyDivergent && !row.divergent()) {
        continue;
      }
      List<String> cells = new ArrayList<>();
      cells.add(row.key());
      row.byNode().values().forEach(r -> cells.add(r.display()));
      cells.add(switch (row.agreement()) {
        case AGREE -> "";
        case ONE_ODD -> row.oddNode().orElseThrow() + "  <-- diverged";
        case SEVERAL -> "(several differ)";
      });
      lines.add(cells);
    }
    int[] width = new int[header.size()];
    for (List<String> l : lines) {
      for (int i = 0; i < l.size(); i++) {
        width[i] = Math.max(width[i], l.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (List<String> l : lines) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < l.size(); i++) {
        line.append(String.format("%-" + (width[i] + 3) + "s", l.get(i)));
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }
}
