package dev.racetrace.core.task;

import dev.racetrace.core.hook.ExecutorHooks;
import java.util.concurrent.Executor;

/**
 * Stands in for the executor argument of a {@code CompletableFuture.*Async(..., executor)} call, so
 * the stage's task is recorded as a submit (when the stage is actually dispatched) and linked to its
 * run. Every task goes to the application's executor unchanged in order and number.
 */
public final class TracingExecutor implements Executor {
  private final Executor delegate;
  private final int site;

  public TracingExecutor(Executor delegate, int site) {
    this.delegate = delegate;
    this.site = site;
  }

  @Override
  public void execute(Runnable command) {
    ExecutorHooks.execute(delegate, command, site);
  }

  @Override
  public String toString() {
    return String.valueOf(delegate);
  }
}
