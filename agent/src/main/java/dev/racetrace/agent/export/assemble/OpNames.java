package dev.racetrace.agent.export.assemble;

import java.util.Collections;
import java.util.Map;

/**
 * Configured operation names ({@code racetrace.ops}): element or task class name to op name. A
 * class matches its own entry or the nearest configured supertype.
 */
public final class OpNames {
  private final Map<String, String> byClassName;

  public OpNames(Map<String, String> byClassName) {
    this.byClassName = Collections.unmodifiableMap(byClassName);
  }

  public static OpNames none() {
    return new OpNames(Collections.emptyMap());
  }

  /** The configured op name for this class or a supertype, or null. */
  public String nameOf(Class<?> c) {
    if (byClassName.isEmpty()) {
      return null;
    }
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      String n = byClassName.get(k.getName());
      if (n != null) {
        return n;
      }
      for (Class<?> i : k.getInterfaces()) {
        String m = nameOf(i);
        if (m != null) {
          return m;
        }
      }
    }
    return null;
  }
}
