package dev.racetrace.core.task;

import java.util.concurrent.Callable;

/** A Callable that records its start and end; result and exceptions are the delegate's. */
public final class TracedCallable<V> extends TracedTask implements Callable<V> {
  private final Callable<V> callable;

  public TracedCallable(Callable<V> delegate, Object executor, long causalId, long submitNanos, int site) {
    super(delegate, executor, causalId, submitNanos, site);
    this.callable = delegate;
  }

  @Override
  public V call() throws Exception {
    long start = started();
    Throwable failure = null;
    try {
      return callable.call();
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      ended(start, failure);
    }
  }
}
