package dev.racetrace.agent.resolve;

import dev.racetrace.agent.internal.Log;
import dev.racetrace.agent.config.MemberRef;
import dev.racetrace.agent.internal.Redact;
import dev.racetrace.core.Keys;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.function.Function;

/**
 * Builds, once per element class, the method handle that reads its key ({@code racetrace.keys}):
 * the configured member of the nearest configured supertype. Runs inside agent-core's ClassValue,
 * never per event.
 */
public final class KeyResolver implements Function<Class<?>, Keys.Extractor> {
  private final List<MemberRef> keys;

  public KeyResolver(List<MemberRef> keys) {
    this.keys = keys;
  }

  @Override
  public Keys.Extractor apply(Class<?> type) {
    for (Class<?> k = type; k != null; k = k.getSuperclass()) {
      Keys.Extractor e = forDeclared(k);
      if (e != null) {
        return e;
      }
      for (Class<?> i : k.getInterfaces()) {
        Keys.Extractor fromInterface = apply(i);
        if (fromInterface != null) {
          return fromInterface;
        }
      }
    }
    return null;
  }

  private Keys.Extractor forDeclared(Class<?> k) {
    for (MemberRef m : keys) {
      if (m.className().equals(k.getName())) {
        MethodHandle h = handle(k, m.member());
        if (h != null) {
          return new Keys.Extractor(h.asType(MethodType.methodType(Object.class, Object.class)),
              m.toString());
        }
      }
    }
    return null;
  }

  /** A no-argument instance method or an instance field, looked up with the class's own access. */
  static MethodHandle handle(Class<?> k, String member) {
    MethodHandles.Lookup lookup;
    try {
      lookup = MethodHandles.privateLookupIn(k, MethodHandles.lookup());
    } catch (IllegalAccessException | RuntimeException e) {
      lookup = MethodHandles.publicLookup();
    }
    try {
      for (Class<?> c = k; c != null; c = c.getSuperclass()) {
        for (Method method : c.getDeclaredMethods()) {
          if (method.getName().equals(member) && method.getParameterCount() == 0
              && method.getReturnType() != void.class && !Modifier.isStatic(method.getModifiers())) {
            return lookup.findVirtual(k, member, MethodType.methodType(method.getReturnType()));
          }
        }
        for (Field field : c.getDeclaredFields()) {
          if (field.getName().equals(member) && !Modifier.isStatic(field.getModifiers())) {
            return MethodHandles.privateLookupIn(c, MethodHandles.lookup())
                .findGetter(c, member, field.getType());
          }
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      Log.get().warn("keys:" + k.getName() + "#" + member, Redact.controls("racetrace.keys: cannot read " + k.getName() + "#"
          + member + " (" + e.getClass().getName() + "); no keys for it, the application is unaffected"), e);
    }
    return null;
  }
}
