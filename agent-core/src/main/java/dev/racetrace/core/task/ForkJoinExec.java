package dev.racetrace.core.task;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ForkJoinTask;

/**
 * Calls a ForkJoinTask's protected {@code exec()} for the run hook that replaces that call in
 * {@code ForkJoinTask.doExec}. Resolved once, when the first rewritten doExec runs (so the agent's
 * start neither loads ForkJoinTask nor has to retransform it). The agent rewrites doExec only when
 * java.util.concurrent is open to this module, which is all the private lookup needs: the call it
 * replaces names {@code exec()Z}, so the method exists. The lookup runs privileged, so a security
 * manager's checks against whatever code happens to run the first task cannot fail it.
 */
public final class ForkJoinExec {
  /** {@code ForkJoinTask.exec()}; TaskRuns calls it itself, so a failing task shows no frame of this class. */
  static final MethodHandle EXEC = resolve();

  private ForkJoinExec() {}

  /** Rethrows what {@code exec()} threw, as it is (only unchecked exceptions and errors). */
  @SuppressWarnings("unchecked")
  static <T extends Throwable> T rethrow(Throwable t) throws T {
    throw (T) t; // exec() throws only unchecked exceptions and errors: rethrown as they are
  }

  @SuppressWarnings("removal") // the security manager exists up to JDK 23; doPrivileged is a plain call after
  private static MethodHandle resolve() {
    return java.security.AccessController.doPrivileged(new java.security.PrivilegedAction<MethodHandle>() {
      @Override
      public MethodHandle run() { // a class, not a lambda: agent-core spins no method-handle classes
        return lookUp();
      }
    });
  }

  private static MethodHandle lookUp() {
    try {
      return MethodHandles.privateLookupIn(ForkJoinTask.class, MethodHandles.lookup())
          .findVirtual(ForkJoinTask.class, "exec", MethodType.methodType(boolean.class))
          .asType(MethodType.methodType(boolean.class, ForkJoinTask.class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("ForkJoinTask.exec() not found although doExec calls it", e);
    }
  }
}
