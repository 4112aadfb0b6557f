package dev.racetrace.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Application classes whose own queue or executor methods racetrace instruments (type-level).
 * Call-site hooks skip recording when the receiver is such a class, so that each operation is
 * recorded once, by the type's advice. Marked at transform time, before the class exists.
 */
public final class TypeMarks {
  private static final Set<String> NAMES = ConcurrentHashMap.newKeySet();
  private static volatile boolean any;
  private static final ClassValue<Boolean> MARKED = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      for (Class<?> k = type; k != null; k = k.getSuperclass()) {
        if (NAMES.contains(k.getName())) {
          return true;
        }
      }
      return false;
    }
  };

  private TypeMarks() {}

  /** Marks a class (binary name) as instrumented at type level. Transform time only. */
  public static void mark(String className) {
    NAMES.add(className);
    any = true;
  }

  /** Whether {@code o}'s class (or a superclass) records its own queue/executor operations. */
  public static boolean isMarked(Object o) {
    return any && o != null && MARKED.get(o.getClass());
  }
}
