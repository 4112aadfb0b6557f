package dev.racetrace.core;

import java.lang.invoke.MethodHandle;
import java.util.function.Function;

/**
 * Extracts the entity key of a queue element or task. The agent installs a resolver built from
 * {@code racetrace.keys}; the method handle for each element class is resolved once (ClassValue),
 * so the hot path does no reflection. An extractor that throws is disabled with one warning and
 * the application's call is unaffected.
 */
public final class Keys {
  /** A resolved extractor for one class. */
  public static final class Extractor {
    final MethodHandle handle;
    final String description;
    volatile boolean disabled;

    /**
     * @param handle of type {@code (Object)Object}
     * @param description for the warning, e.g. {@code com.acme.Op#key}
     */
    public Extractor(MethodHandle handle, String description) {
      this.handle = handle;
      this.description = description;
    }
  }

  private static final Extractor NONE = new Extractor(null, "none");
  private static volatile Function<Class<?>, Extractor> resolver;
  private static final ClassValue<Extractor> BY_CLASS = new ClassValue<>() {
    @Override
    protected Extractor computeValue(Class<?> type) {
      Function<Class<?>, Extractor> r = resolver;
      if (r == null) {
        return NONE;
      }
      try {
        Extractor e = r.apply(type);
        return e == null ? NONE : e;
      } catch (Throwable t) {
        Recorder.countInternalError();
        return NONE;
      }
    }
  };

  private Keys() {}

  /** Installs the resolver. Called once by the agent before recording starts. */
  public static void install(Function<Class<?>, Extractor> r) {
    resolver = r;
  }

  /** Whether any key extractor is configured. */
  public static boolean configured() {
    return resolver != null;
  }

  /** The key of {@code element}, or null when none is configured for its class or it failed. */
  public static Object of(Object element) {
    if (element == null || resolver == null) {
      return null;
    }
    Extractor x = BY_CLASS.get(element.getClass());
    if (x == NONE || x.disabled) {
      return null;
    }
    ThreadState ts = Recorder.threadState();
    if (ts.inCallout) {
      return null;
    }
    ts.inCallout = true;
    try {
      return (Object) x.handle.invokeExact(element);
    } catch (Throwable t) {
      if (!x.disabled) {
        x.disabled = true;
        System.err.println("racetrace: key extractor " + x.description + " threw "
            + t.getClass().getName() + "; it is disabled, the application is unaffected");
      }
      Recorder.countInternalError();
      return null;
    } finally {
      ts.inCallout = false;
    }
  }
}
