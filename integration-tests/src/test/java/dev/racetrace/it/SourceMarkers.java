package dev.racetrace.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Line numbers of {@code // @marker} comments in a program's source, for call-site assertions. */
final class SourceMarkers {
  private final List<String> lines;

  SourceMarkers(Class<?> program) throws IOException {
    Path src = Paths.get(System.getProperty("racetrace.programs.sources", "src/main/java"),
        program.getName().replace('.', '/') + ".java");
    this.lines = Files.readAllLines(src, StandardCharsets.UTF_8);
  }

  /** Every line (1-based) that ends with {@code // @marker}. */
  List<Long> lines(String marker) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().endsWith("// @" + marker)) {
        out.add((long) i + 1);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no line ends with // @" + marker);
    }
    return out;
  }

  long line(String marker) {
    return lines(marker).get(0);
  }
}
