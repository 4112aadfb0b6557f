package dev.racetrace.agent.instrument;

import java.util.ArrayList;
import java.util.List;

/**
 * Which classes racetrace may transform: names in an included package or class, not in an excluded
 * one, and never under the JDK's or racetrace's own packages. An entry {@code a.b.C} takes in the
 * package {@code a.b.C} (and its subpackages), the class {@code a.b.C} and its nested classes
 * ({@code a.b.C$Inner}): both readings are applied, so an entry works whichever it names.
 */
public final class PackageFilter {
  /** Packages that are never transformed, whatever the configuration: the JDK's and racetrace's own. */
  public static final List<String> NEVER_TRANSFORMED = List.of("java", "jdk", "sun", "com.sun",
      "dev.racetrace.agent", "dev.racetrace.core", "dev.racetrace.api", "dev.racetrace.analyzer",
      "dev.racetrace.schema", "dev.racetrace.shaded");

  private final List<String> include;
  private final List<String> exclude;

  public PackageFilter(List<String> include, List<String> exclude) {
    this.include = internal(include);
    List<String> ex = new ArrayList<>(internal(exclude));
    for (String p : NEVER_TRANSFORMED) {
      ex.add(p.replace('.', '/'));
    }
    this.exclude = ex;
  }

  /** Whether {@code name} (a package or a class, binary name) is under {@link #NEVER_TRANSFORMED}. */
  public static boolean neverTransformed(String name) {
    for (String p : NEVER_TRANSFORMED) {
      if (name.equals(p) || name.startsWith(p + ".")) {
        return true;
      }
    }
    return false;
  }

  /** @param internalName e.g. {@code com/acme/Node} */
  public boolean matchesInternalName(String internalName) {
    return matchesAny(include, internalName) && !matchesAny(exclude, internalName);
  }

  /** @param binaryName e.g. {@code com.acme.Node} */
  public boolean matches(String binaryName) {
    return matchesInternalName(binaryName.replace('.', '/'));
  }

  public boolean isEmpty() {
    return include.isEmpty();
  }

  /**
   * Whether the entry (internal form, no trailing slash) takes in the class: a class of that package
   * or below, that class itself, or one nested in it.
   */
  static boolean covers(String entry, String internalName) {
    if (!internalName.startsWith(entry)) {
      return false;
    }
    if (internalName.length() == entry.length()) {
      return true;
    }
    char next = internalName.charAt(entry.length());
    return next == '/' || next == '$';
  }

  private static boolean matchesAny(List<String> entries, String internalName) {
    for (String e : entries) {
      if (covers(e, internalName)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> internal(List<String> entries) {
    List<String> out = new ArrayList<>();
    for (String p : entries) {
      out.add(p.replace('.', '/'));
    }
    return out;
  }
}
