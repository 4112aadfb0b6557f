package dev.racetrace.junit.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where a forked test keeps its files: {@code <base>/<test class>/<test>/} with {@code spans/}
 * (the agent's OTLP JSON lines), {@code fork.log} and {@code result.bin}. The base is the system
 * property {@value #PROPERTY}, else {@code target/racetrace-junit} when the working directory has a
 * {@code target} directory (Maven), else {@code racetrace-junit} under the temporary directory.
 * Kept after the test, so the spans can be analysed again; cleared when the test runs again.
 */
public final class WorkDir {
  /** System property: base directory of the forked tests' files. */
  public static final String PROPERTY = "racetrace.junit.dir";

  private final Path dir;

  private WorkDir(Path dir) {
    this.dir = dir;
  }

  /** Creates (or clears) the directory of one test. */
  public static WorkDir prepare(String testClass, String test) throws IOException {
    Path dir = base().resolve(safe(testClass)).resolve(safe(test));
    Files.createDirectories(dir.resolve("spans"));
    try (DirectoryStream<Path> old = Files.newDirectoryStream(dir.resolve("spans"), "*.jsonl")) {
      for (Path p : old) {
        Files.delete(p);
      }
    }
    Files.deleteIfExists(dir.resolve("result.bin"));
    Files.deleteIfExists(dir.resolve("fork.log"));
    Files.deleteIfExists(dir.resolve("report.html"));
    return new WorkDir(dir);
  }

  static Path base() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Paths.get(configured);
    }
    if (Files.isDirectory(Paths.get("target"))) {
      return Paths.get("target", "racetrace-junit");
    }
    return Paths.get(System.getProperty("java.io.tmpdir"), "racetrace-junit");
  }

  private static String safe(String name) {
    String s = name.replaceAll("[^A-Za-z0-9._-]+", "_");
    return s.length() > 120 ? s.substring(0, 120) : s;
  }

  public Path dir() {
    return dir;
  }

  public Path spans() {
    return dir.resolve("spans");
  }

  public Path resultFile() {
    return dir.resolve("result.bin");
  }
}
