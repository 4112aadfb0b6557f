package dev.racetrace.core.task;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ForkJoinTask;

/**
 * Calls a ForkJoinTask's protected {@code exec()} for the run hook that replaces that call in
 * {@code ForkJoinTask.doExec}. Resolved once; the agent rewrites doExec only after {@link #ready}
 * said yes (it needs java.util.concurrent opened to the hooks), so a task is never left unrun.
 */
public final class ForkJoinExec {
  /** {@code ForkJoinTask.exec()}; TaskRuns calls it itself, so a failing task shows no frame of this class. */
  static final MethodHandle EXEC = resolve();

  private ForkJoinExec() {}

  /** Whether {@code exec()} can be called from here. */
  public static boolean ready() {
    return EXEC != null;
  }

  /** Rethrows what {@code exec()} threw, as it is (only unchecked exceptions and errors). */
  @SuppressWarnings("unchecked")
  static <T extends Throwable> T rethrow(Throwable t) throws T {
    throw (T) t; // exec() throws only unchecked exceptions and errors: rethrown as they are
  }

  private static MethodHandle resolve() {
    try {
      return MethodHandles.privateLookupIn(ForkJoinTask.class, MethodHandles.lookup())
          .findVirtual(ForkJoinTask.class, "exec", MethodType.methodType(boolean.class))
          .asType(MethodType.methodType(boolean.class, ForkJoinTask.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
