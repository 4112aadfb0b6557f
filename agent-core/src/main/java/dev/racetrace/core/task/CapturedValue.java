package dev.racetrace.core.task;

import dev.racetrace.core.Recorder;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.function.Predicate;

/**
 * What a task is about when the task itself is a lambda, a method reference or an anonymous or
 * local class: {@code executor.submit(() -> handle(event))} names no key or op of its own, but it
 * captures {@code event}. Captured values are fields of the lambda's class; the first one (in
 * capture order) whose declared type is named in {@code racetrace.keys} or {@code racetrace.ops}
 * (or is a subclass of one named there) is the task's subject: its key and op are the task's.
 *
 * <p>The field is found once per class (ClassValue), off the hot path; per task it costs one field
 * read. A captured value declared as a supertype that is not named (e.g. {@code Object}), a value
 * captured inside another captured lambda, and classes that are not lambdas or anonymous/local
 * classes are not looked into.
 *
 * <p>CompletableFuture runs the application's function inside task objects of its own (AsyncSupply,
 * AsyncRun, UniApply, ...): for those the subject is that of the function they hold (their field
 * {@code fn}, read through the package opened to racetrace's hooks at startup).
 */
public final class CapturedValue {
  private static final Object NONE = new Object();
  private static final String COMPLETABLE_FUTURE_TASK = "java.util.concurrent.CompletableFuture$";
  private static volatile Predicate<Class<?>> named;

  private static final ClassValue<Object> GETTER = new ClassValue<>() {
    @Override
    protected Object computeValue(Class<?> type) {
      Predicate<Class<?>> p = named;
      if (p == null) {
        return NONE;
      }
      if (type.getName().startsWith(COMPLETABLE_FUTURE_TASK)) {
        return heldFunction(type);
      }
      if (!isUnnamed(type)) {
        return NONE;
      }
      try {
        for (Field f : type.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive() && p.test(f.getType())) {
            f.setAccessible(true);
            return MethodHandles.lookup().unreflectGetter(f)
                .asType(MethodType.methodType(Object.class, Object.class));
          }
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        Recorder.countInternalError(); // e.g. a class in a module that does not open its package
      }
      return NONE;
    }
  };

  private CapturedValue() {}

  /** A CompletableFuture task's function: the getter of its field fn, marked to look into in turn. */
  private static final class HeldFunction {
    final MethodHandle getter;

    HeldFunction(MethodHandle getter) {
      this.getter = getter;
    }
  }

  private static Object heldFunction(Class<?> type) {
    try {
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (f.getName().equals("fn") && !Modifier.isStatic(f.getModifiers())) {
            f.setAccessible(true);
            return new HeldFunction(MethodHandles.lookup().unreflectGetter(f)
                .asType(MethodType.methodType(Object.class, Object.class)));
          }
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      Recorder.countInternalError(); // java.util.concurrent not opened to the hooks
    }
    return NONE;
  }

  /**
   * Installs the test for "named in racetrace.keys or racetrace.ops (or a subclass)". Called once by
   * the agent before recording starts; without it every task is its own subject.
   */
  public static void install(Predicate<Class<?>> namedType) {
    named = namedType;
  }

  /** The task's subject: its captured named value if it is a lambda or anonymous class that has one, else itself. */
  public static Object of(Object task) {
    if (task == null || named == null) {
      return task;
    }
    try {
      Object getter = GETTER.get(task.getClass());
      if (getter == NONE) {
        return task;
      }
      if (getter instanceof HeldFunction) {
        Object fn = (Object) ((HeldFunction) getter).getter.invokeExact(task);
        if (fn == null) {
          return task; // already ran
        }
        Object subject = of(fn);
        // a lambda that captured nothing keyed says less than the stage kind (AsyncSupply, UniApply)
        return subject == fn && isUnnamed(fn.getClass()) ? task : subject;
      }
      Object v = (Object) ((MethodHandle) getter).invokeExact(task);
      return v != null ? v : task;
    } catch (Throwable t) {
      Recorder.countInternalError();
      return task;
    }
  }

  /** Lambdas and method references (hidden classes), anonymous and local classes. */
  static boolean isUnnamed(Class<?> c) {
    return c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic() || c.getName().contains("$$Lambda");
  }
}
