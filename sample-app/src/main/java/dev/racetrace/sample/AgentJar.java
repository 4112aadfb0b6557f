package dev.racetrace.sample;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the racetrace agent jar for the demo: {@code --agent PATH}, {@code --agent none}, or
 * {@code racetrace-agent.jar} next to the sample app's own jar or in the working directory (the
 * two jars copied out of the repository together), or {@code agent/target/racetrace-agent.jar}
 * looked up from the working directory and from the location of the sample app's own jar (or
 * classes).
 *
 * @param jar the agent jar, if the nodes run with it
 * @param problem why it was not found (one line), when it was wanted and is missing
 */
public record AgentJar(Optional<Path> jar, Optional<String> problem) {
  /** Where the agent module builds its jar, relative to the repository root. */
  public static final Path RELATIVE = Path.of("agent", "target", "racetrace-agent.jar");
  /** {@code --agent none}: run without the agent, no warning. */
  public static final String NONE = "none";
  /** The agent jar's file name, looked for next to the sample app's jar. */
  public static final String FILE_NAME = "racetrace-agent.jar";

  /**
   * Resolves the agent jar.
   *
   * @param explicit the {@code --agent} value, if given
   * @param workingDir the directory relative paths start from
   */
  public static AgentJar locate(Optional<String> explicit, Path workingDir) {
    return locate(explicit, workingDir, codeLocation());
  }

  /** {@link #locate(Optional, Path)} with the sample app's code location given (for tests). */
  static AgentJar locate(Optional<String> explicit, Path workingDir, Optional<Path> codeLocation) {
    if (explicit.isPresent()) {
      String e = explicit.get();
      if (e.equals(NONE)) {
        return new AgentJar(Optional.empty(), Optional.empty());
      }
      Path p = workingDir.resolve(e).toAbsolutePath().normalize();
      if (Files.isRegularFile(p)) {
        return new AgentJar(Optional.of(p), Optional.empty());
      }
      return withoutAgent("--agent " + e + ": no such file");
    }
    List<Path> candidates = candidates(workingDir, codeLocation);
    for (Path c : candidates) {
      if (Files.isRegularFile(c)) {
        return new AgentJar(Optional.of(c), Optional.empty());
      }
    }
    return withoutAgent("racetrace agent jar not found (looked for " + candidates
        + "); build it with 'mvn -B -DskipTests package', put " + FILE_NAME + " next to the"
        + " sample app's jar, or pass --agent PATH (--agent none runs the race unrecorded)");
  }

  /**
   * Whether the agent was wanted (no {@code --agent none}) but not found: the demo then stops
   * after the warning instead of running a race nobody records.
   */
  public boolean missing() {
    return jar.isEmpty() && problem.isPresent();
  }

  /** A one-line warning for runs that go on without the agent (the sweep), when it is missing. */
  public Optional<String> warning() {
    return problem.map(why -> "WARNING: " + why + ". The nodes run WITHOUT the agent: the race"
        + " still happens, but no spans are recorded and the analyzer is skipped.");
  }

  private static AgentJar withoutAgent(String why) {
    return new AgentJar(Optional.empty(), Optional.of(why));
  }

  private static List<Path> candidates(Path workingDir, Optional<Path> codeLocation) {
    Set<Path> c = new LinkedHashSet<>();
    codeLocation.filter(Files::isRegularFile).ifPresent(
        jar -> c.add(jar.toAbsolutePath().normalize().resolveSibling(FILE_NAME)));
    c.add(workingDir.resolve(FILE_NAME).toAbsolutePath().normalize());
    c.add(workingDir.resolve(RELATIVE).toAbsolutePath().normalize());
    codeLocation.ifPresent(loc -> {
      Path dir = Files.isDirectory(loc) ? loc : loc.getParent();
      for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
        c.add(dir.resolve(RELATIVE).toAbsolutePath().normalize());
      }
    });
    return new ArrayList<>(c);
  }

  /** The jar or classes directory this class was loaded from. */
  static Optional<Path> codeLocation() {
    try {
      var src = AgentJar.class.getProtectionDomain().getCodeSource();
      return src == null ? Optional.empty() : Optional.of(Path.of(src.getLocation().toURI()));
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
