package dev.racetrace.agent.instrument;

import dev.racetrace.agent.internal.Counters;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Retransforms already loaded classes, so that transformers installed late still see them. */
final class Retransformer {
  private Retransformer() {}

  /**
   * Retransforms every loaded, modifiable class that {@code wanted} accepts, one at a time: a class
   * that cannot be retransformed is counted ({@code race.transform_errors}) and the others still are.
   */
  static void retransform(Instrumentation inst, Predicate<Class<?>> wanted, Counters counters) {
    if (!inst.isRetransformClassesSupported()) {
      return;
    }
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (wanted.test(c) && inst.isModifiableClass(c)) {
        loaded.add(c);
      }
    }
    for (Class<?> c : loaded) {
      try {
        inst.retransformClasses(c);
      } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
        counters.transformErrors().incrementAndGet();
      }
    }
  }
}
