package dev.racetrace.agent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.function.BiFunction;

/**
 * Defines a class in the bootstrap class loader through the JDK's internal {@code Unsafe}. Only a
 * copy of this class loaded by a class loader of its own is ever used (see {@link CoreClassDefinition}):
 * that loader's unnamed module is the one module given {@code jdk.internal.misc}, so neither the
 * application, which shares the agent's unnamed module on the class path, nor the rest of racetrace
 * gains access to the JDK's internals. It refers to JDK types only, as that loader sees nothing else.
 */
public final class BootDefiner implements BiFunction<String, byte[], Class<?>> {
  private final Object unsafe;
  private final Method define;

  /** @throws ReflectiveOperationException if this JDK's Unsafe cannot define classes */
  public BootDefiner() throws ReflectiveOperationException {
    Class<?> type = Class.forName("jdk.internal.misc.Unsafe");
    unsafe = type.getMethod("getUnsafe").invoke(null);
    define = type.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
        ClassLoader.class, ProtectionDomain.class);
  }

  /** Defines {@code name} from {@code bytes} in the bootstrap class loader (loader and domain null). */
  @Override
  public Class<?> apply(String name, byte[] bytes) {
    try {
      return (Class<?>) define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IllegalStateException(cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
