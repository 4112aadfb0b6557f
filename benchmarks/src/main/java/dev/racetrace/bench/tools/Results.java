package dev.racetrace.bench.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The raw results run.sh appends to {@code results.txt}: one measurement per line, a kind then
 * {@code key=value} pairs, e.g. {@code workload config=none rep=1 ops_per_s=2305441 rss_kb=81234}.
 */
final class Results {
  /** One line. */
  static final class Row {
    final String kind;
    final Map<String, String> values;

    Row(String kind, Map<String, String> values) {
      this.kind = kind;
      this.values = values;
    }

    String get(String key) {
      return values.get(key);
    }

    double num(String key) {
      String v = values.get(key);
      return v == null ? Double.NaN : Double.parseDouble(v);
    }
  }

  private final List<Row> rows;

  Results(List<Row> rows) {
    this.rows = rows;
  }

  static Results read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new Results(List.of());
    }
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  static Results parse(List<String> lines) {
    List<Row> rows = new ArrayList<>();
    for (String line : lines) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 0 || parts[0].isEmpty() || parts[0].startsWith("#")) {
        continue;
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 1; i < parts.length; i++) {
        int eq = parts[i].indexOf('=');
        if (eq > 0) {
          values.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
      }
      rows.add(new Row(parts[0], values));
    }
    return new Results(rows);
  }

  List<Row> of(String kind, Predicate<Row> filter) {
    List<Row> out = new ArrayList<>();
    for (Row r : rows) {
      if (r.kind.equals(kind) && filter.test(r)) {
        out.add(r);
      }
    }
    return out;
  }

  List<Row> of(String kind, String key, String value) {
    return of(kind, r -> value.equals(r.get(key)));
  }

  /** Values of {@code key} over the rows, NaN ones left out. */
  static double[] values(List<Row> rows, String key) {
    return rows.stream().mapToDouble(r -> r.num(key)).filter(d -> !Double.isNaN(d)).toArray();
  }

  static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }
}
