package dev.racetrace.core.task;

import dev.racetrace.core.hook.ExecutorHooks;
import java.util.concurrent.Executor;

/**
 * Stands in for the executor of a plain CompletableFuture's {@code *Async} call
 * ({@link dev.racetrace.core.hook.StageHooks}), so
 * the stage's task is recorded as a submit (when the stage is actually dispatched) and linked to its
 * run. Every task goes to the application's executor unchanged in order and number.
 */
public final class TracingExecutor implements Executor {
  private final Executor delegate;
  private final int site;
  private final boolean ownThread;

  /**
   * @param delegate the executor CompletableFuture would have used
   * @param ownThread whether {@code delegate} is CompletableFuture's thread-per-task executor
   *     (see {@link ExecutorHooks#execute(Executor, Runnable, int, boolean)})
   */
  public TracingExecutor(Executor delegate, int site, boolean ownThread) {
    this.delegate = delegate;
    this.site = site;
    this.ownThread = ownThread;
  }

  @Override
  public void execute(Runnable command) {
    ExecutorHooks.execute(delegate, command, site, ownThread);
  }

  @Override
  public String toString() {
    return String.valueOf(delegate);
  }
}
