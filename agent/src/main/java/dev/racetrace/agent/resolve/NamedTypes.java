package dev.racetrace.agent.resolve;

import java.util.Set;
import java.util.function.Predicate;

/**
 * Whether a class is named in {@code racetrace.keys} or {@code racetrace.ops}, itself or through a
 * supertype: the types whose captured values give a lambda task its key and op
 * ({@code dev.racetrace.core.task.CapturedValue}). Asked once per lambda class, never per event.
 */
public final class NamedTypes implements Predicate<Class<?>> {
  private final Set<String> classNames;

  public NamedTypes(Set<String> classNames) {
    this.classNames = Set.copyOf(classNames);
  }

  @Override
  public boolean test(Class<?> type) {
    for (Class<?> k = type; k != null && k != Object.class; k = k.getSuperclass()) {
      if (classNames.contains(k.getName())) {
        return true;
      }
      for (Class<?> i : k.getInterfaces()) {
        if (test(i)) {
          return true;
        }
      }
    }
    return false;
  }
}
