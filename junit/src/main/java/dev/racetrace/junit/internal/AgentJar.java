package dev.racetrace.junit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Finds the racetrace agent jar for {@code -javaagent}: the system property
 * {@value #PROPERTY}, else the {@code dev.racetrace:racetrace-agent} jar on the test class path
 * (racetrace-junit depends on it). Either must be the packaged agent: a jar whose manifest names
 * {@value #PREMAIN} as {@code Premain-Class}.
 */
public final class AgentJar {
  /** System property naming the agent jar. */
  public static final String PROPERTY = "racetrace.agent.jar";
  static final String PREMAIN = "dev.racetrace.agent.RacetraceAgent";

  private AgentJar() {}

  /**
   * @param classPath the test class path entries
   * @throws IllegalStateException no usable agent jar, with what was looked at and what to do
   */
  public static Path locate(String property, List<String> classPath) {
    if (property != null && !property.isBlank()) {
      Path p = Paths.get(property);
      String problem = problem(p);
      if (problem != null) {
        throw new IllegalStateException("racetrace-junit: -D" + PROPERTY + "=" + property + ": " + problem);
      }
      return p;
    }
    String seen = null;
    for (String entry : classPath) {
      Path p = Paths.get(entry);
      String name = p.getFileName() == null ? "" : p.getFileName().toString();
      if (Files.isRegularFile(p) && name.startsWith("racetrace-agent") && !name.startsWith("racetrace-agent-core")
          && name.endsWith(".jar") && problem(p) == null) {
        return p;
      }
      if (Files.isDirectory(p) && Files.isRegularFile(p.resolve(PREMAIN.replace('.', '/') + ".class"))) {
        seen = entry;
      }
    }
    throw new IllegalStateException("racetrace-junit: no racetrace agent jar on the test class path"
        + (seen != null ? " (dev.racetrace:racetrace-agent is there as the classes directory " + seen
            + ", not the packaged jar: run the tests with 'mvn verify' or 'mvn package', not 'mvn test')" : "")
        + "; add the dependency dev.racetrace:racetrace-agent or set -D" + PROPERTY + "=<path to racetrace-agent.jar>");
  }

  /** Why {@code jar} is not a usable agent jar, or null when it is. */
  static String problem(Path jar) {
    if (!Files.isRegularFile(jar)) {
      return "no such file";
    }
    try (JarFile f = new JarFile(jar.toFile())) {
      Manifest m = f.getManifest();
      String premain = m == null ? null : m.getMainAttributes().getValue("Premain-Class");
      return PREMAIN.equals(premain) ? null
          : "not the racetrace agent jar (its manifest has Premain-Class " + premain + ")";
    } catch (IOException e) {
      return "cannot read it as a jar (" + e.getMessage() + ")";
    }
  }
}
