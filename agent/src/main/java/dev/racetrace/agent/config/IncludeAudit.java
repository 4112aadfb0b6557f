package dev.racetrace.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * At exit, tells the user which {@code racetrace.include}/{@code exclude} entries matched no loaded
 * class (a misspelled package or class, or one that loads elsewhere), and that a run
 * recorded nothing at all: a silent empty recording would otherwise look like a healthy one.
 */
public final class IncludeAudit {
  /** At most this many entries are named, so a long list cannot flood stderr. */
  private static final int MAX_LINES = 5;

  private IncludeAudit() {}

  /**
   * @param loadedClassNames binary names of the classes loaded by the end of the run
   * @param recordedAnything whether any event was recorded
   * @return the lines to print, each without the trailing newline
   */
  public static List<String> exitLines(AgentConfig config, Iterable<String> loadedClassNames,
      boolean recordedAnything) {
    List<String> include = config.include();
    if (include.isEmpty()) {
      return Collections.emptyList(); // the start line already said nothing is instrumented
    }
    List<String> exclude = config.exclude();
    boolean[] includeSeen = new boolean[include.size()];
    boolean[] excludeSeen = new boolean[exclude.size()];
    for (String name : loadedClassNames) {
      mark(include, includeSeen, name);
      mark(exclude, excludeSeen, name);
    }
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < include.size() && lines.size() < MAX_LINES; i++) {
      if (!includeSeen[i]) {
        lines.add(line(ConfigKey.INCLUDE, config, include.get(i)));
      }
    }
    for (int i = 0; i < exclude.size() && lines.size() < MAX_LINES; i++) {
      if (!excludeSeen[i]) {
        lines.add(line(ConfigKey.EXCLUDE, config, exclude.get(i)));
      }
    }
    if (!recordedAnything) {
      lines.add("racetrace: recorded nothing: no instrumented queue, executor or guard call ran in "
          + String.join(",", include) + " (racetrace.include names the packages of the code that makes "
          + "those calls)");
    }
    return lines;
  }

  private static String line(ConfigKey key, AgentConfig config, String entry) {
    return dev.racetrace.agent.internal.Redact.controls("racetrace: " + key.key() + "=" + config.get(key)
        + ": no class of " + entry + " was loaded (as a package or as a class)");
  }

  /** The filter's rule in binary names: the package and below, the class and its nested classes. */
  private static boolean covers(String entry, String className) {
    if (!className.startsWith(entry)) {
      return false;
    }
    if (className.length() == entry.length()) {
      return true;
    }
    char next = className.charAt(entry.length());
    return next == '.' || next == '$';
  }

  private static void mark(List<String> packages, boolean[] seen, String className) {
    for (int i = 0; i < packages.size(); i++) {
      if (!seen[i] && covers(packages.get(i), className)) {
        seen[i] = true;
      }
    }
  }
}
