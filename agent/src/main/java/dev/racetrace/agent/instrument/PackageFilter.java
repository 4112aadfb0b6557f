package dev.racetrace.agent.instrument;

import dev.racetrace.agent.config.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * Which classes racetrace may transform: names under an included package, not under an excluded
 * one, and never under the JDK's or racetrace's own packages.
 */
public final class PackageFilter {
  private final List<String> include;
  private final List<String> exclude;

  public PackageFilter(List<String> include, List<String> exclude) {
    this.include = internal(include);
    List<String> ex = new ArrayList<>(internal(exclude));
    for (String p : ValueType.FORBIDDEN_PACKAGES) {
      ex.add(p.replace('.', '/') + "/");
    }
    this.exclude = ex;
  }

  /** @param internalName e.g. {@code com/acme/Node} */
  public boolean matchesInternalName(String internalName) {
    boolean in = false;
    for (String p : include) {
      if (internalName.startsWith(p)) {
        in = true;
        break;
      }
    }
    if (!in) {
      return false;
    }
    for (String p : exclude) {
      if (internalName.startsWith(p)) {
        return false;
      }
    }
    return true;
  }

  /** @param binaryName e.g. {@code com.acme.Node} */
  public boolean matches(String binaryName) {
    return matchesInternalName(binaryName.replace('.', '/'));
  }

  public boolean isEmpty() {
    return include.isEmpty();
  }

  private static List<String> internal(List<String> packages) {
    List<String> out = new ArrayList<>();
    for (String p : packages) {
      out.add(p.replace('.', '/') + "/");
    }
    return out;
  }
}
