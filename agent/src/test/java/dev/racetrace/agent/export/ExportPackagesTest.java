package dev.racetrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The exporter's packages use each other only as their package-info says: each main source file
 * under dev/racetrace/agent/export may import, or name fully qualified, a class of another export
 * package only if its own package may use that one. Comments and string literals are not read: a
 * Javadoc link to a higher package, written fully qualified, documents without depending.
 */
class ExportPackagesTest {
  private static final String EXPORT = "dev.racetrace.agent.export";
  /** The agent's main sources; surefire runs with the module directory as working directory. */
  private static final Path SOURCES = Paths.get("src/main/java/dev/racetrace/agent/export");

  /** Each export package ("" for the top-level one) and the other export packages it may use. */
  private static final Map<String, Set<String>> MAY_USE = Map.of(
      "drain", Set.of(),
      "assemble", Set.of("drain", "rules"),
      "rules", Set.of("assemble"),
      "sink", Set.of("assemble"),
      "journal", Set.of("drain", "assemble", "rules", "sink"),
      "flight", Set.of("drain", "assemble", "rules", "journal", "sink"),
      "", Set.of("drain", "assemble", "rules", "sink", "journal", "flight"));

  /** A class of an export package (or a whole one, by a wildcard import), fully qualified. */
  private static final Pattern EXPORT_CLASS =
      Pattern.compile("\\bdev\\s*\\.\\s*racetrace\\s*\\.\\s*agent\\s*\\.\\s*export((?:\\s*\\.\\s*[a-z_]\\w*)*)\\s*\\.\\s*([A-Z]\\w*|\\*)");
  private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern IMPORT = Pattern.compile("^\\s*import\\b[^;]*;", Pattern.MULTILINE);

  @Test
  void eachExportPackageUsesOnlyTheExportPackagesItMay() throws IOException {
    List<String> wrong = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (Path file : sources()) {
      String code = codeOnly(Files.readString(file, StandardCharsets.UTF_8));
      String name = SOURCES.relativize(file).toString();
      Matcher p = PACKAGE.matcher(code);
      if (!p.find() || !(p.group(1).equals(EXPORT) || p.group(1).startsWith(EXPORT + "."))) {
        wrong.add(name + ": not in a package of " + EXPORT);
        continue;
      }
      String own = sub(p.group(1));
      seen.add(own);
      Set<String> allowed = MAY_USE.get(own);
      if (allowed == null) {
        wrong.add(name + ": package " + p.group(1) + " is not in this test's table (nor its package-info's list)");
        continue;
      }
      Matcher m = EXPORT_CLASS.matcher(code);
      while (m.find()) {
        String used = m.group(1).replaceAll("\\s", "");
        used = used.isEmpty() ? "" : used.substring(1);
        if (used.equals(own) || allowed.contains(used)) {
          continue;
        }
        String ref = m.group().replaceAll("\\s", "");
        wrong.add(name + ":" + line(code, m.start()) + (inImport(code, m.start()) ? ": imports " : ": refers to ")
            + ref + " (" + display(own) + " may use " + (allowed.isEmpty() ? "no other export package"
            : allowed.stream().map(ExportPackagesTest::display).sorted().collect(Collectors.joining(", "))) + ")");
      }
    }
    assertThat(seen).as("export packages with sources under " + SOURCES.toAbsolutePath())
        .containsAll(MAY_USE.keySet());
    assertThat(wrong).as("uses of export packages that the package may not use").isEmpty();
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      return walk.filter(f -> f.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    }
  }

  /** "journal" for dev.racetrace.agent.export.journal, "" for dev.racetrace.agent.export itself. */
  private static String sub(String pkg) {
    return pkg.equals(EXPORT) ? "" : pkg.substring(EXPORT.length() + 1);
  }

  private static String display(String sub) {
    return sub.isEmpty() ? "export" : "export." + sub;
  }

  private static int line(String code, int at) {
    int n = 1;
    for (int i = 0; i < at; i++) {
      if (code.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private static boolean inImport(String code, int at) {
    Matcher m = IMPORT.matcher(code);
    while (m.find()) {
      if (m.start() <= at && at < m.end()) {
        return true;
      }
    }
    return false;
  }

  /** The source with comments, string and char literals and text blocks blanked (line breaks kept). */
  private static String codeOnly(String src) {
    StringBuilder out = new StringBuilder(src.length());
    int i = 0;
    int n = src.length();
    while (i < n) {
      int end;
      if (src.startsWith("//", i)) {
        end = src.indexOf('\n', i);
        end = end < 0 ? n : end;
      } else if (src.startsWith("/*", i)) {
        end = src.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
      } else if (src.startsWith("\"\"\"", i)) {
        end = src.indexOf("\"\"\"", i + 3);
        while (end > 0 && src.charAt(end - 1) == '\\') {
          end = src.indexOf("\"\"\"", end + 1);
        }
        end = end < 0 ? n : end + 3;
      } else if (src.charAt(i) == '"' || src.charAt(i) == '\'') {
        char quote = src.charAt(i);
        end = i + 1;
        while (end < n && src.charAt(end) != quote && src.charAt(end) != '\n') {
          end += src.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(n, end + 1);
      } else {
        out.append(src.charAt(i++));
        continue;
      }
      for (int j = i; j < end; j++) {
        out.append(src.charAt(j) == '\n' ? '\n' : ' ');
      }
      i = end;
    }
    return out.toString();
  }
}
