package dev.racetrace.agent.internal;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;

/**
 * The application's shutdown hooks, so that racetrace's exit drain goes on while they still run
 * (a server stopping its pools records events after racetrace's own hook has started) and stops
 * as soon as they have all ended. Reads the JDK's registry ({@code ApplicationShutdownHooks.hooks},
 * opened to racetrace alone through {@link Instrumentation#redefineModule}); at exit the JDK stops
 * changing that map (adding or removing a hook then throws), so it is read without a lock. Where
 * the registry cannot be read, {@link #othersRunning} says false and the caller falls back on
 * watching the rings go quiet.
 */
public final class ShutdownHooks {
  private static final ShutdownHooks UNKNOWN = new ShutdownHooks(null);

  private final Map<?, ?> hooks;

  private ShutdownHooks(Map<?, ?> hooks) {
    this.hooks = hooks;
  }

  /** The registry of this JVM's shutdown hooks, or one that knows none when it cannot be read. */
  public static ShutdownHooks of(Instrumentation inst) {
    try {
      Class<?> registry = Class.forName("java.lang.ApplicationShutdownHooks");
      Module base = Object.class.getModule();
      Module self = ShutdownHooks.class.getModule();
      if (!base.isOpen("java.lang", self)) {
        inst.redefineModule(base, Set.of(), Map.of(), Map.of("java.lang", Set.of(self)), Set.of(), Map.of());
      }
      Field field = registry.getDeclaredField("hooks");
      field.setAccessible(true);
      Object map = field.get(null); // null once shutdown has begun
      return map instanceof Map ? new ShutdownHooks((Map<?, ?>) map) : UNKNOWN;
    } catch (Throwable t) { // another JDK's layout, a security manager: the rings decide
      return UNKNOWN;
    }
  }

  /** A registry that knows no hooks. */
  public static ShutdownHooks unknown() {
    return UNKNOWN;
  }

  /** Whether a shutdown hook other than {@code self} is still running (only meaningful at exit). */
  public boolean othersRunning(Thread self) {
    if (hooks == null) {
      return false;
    }
    try {
      for (Object hook : hooks.keySet()) {
        if (hook != self && hook instanceof Thread && ((Thread) hook).isAlive()) {
          return true;
        }
      }
    } catch (RuntimeException e) { // changed while read (not at exit): the rings decide
      return false;
    }
    return false;
  }

  /** Whether the registry could be read. */
  public boolean known() {
    return hooks != null;
  }
}
