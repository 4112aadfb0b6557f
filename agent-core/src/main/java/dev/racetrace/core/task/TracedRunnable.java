package dev.racetrace.core.task;

/** A Runnable that records its start and end; behaviour is the delegate's. */
public final class TracedRunnable extends TracedTask implements Runnable {
  private final Runnable runnable;

  public TracedRunnable(Runnable delegate, Object executor, long causalId, long submitNanos, int site) {
    super(delegate, executor, causalId, submitNanos, site);
    this.runnable = delegate;
  }

  @Override
  public void run() {
    long start = started();
    Throwable failure = null;
    try {
      runnable.run();
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      ended(start, failure);
    }
  }
}
