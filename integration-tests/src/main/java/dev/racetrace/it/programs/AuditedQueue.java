package dev.racetrace.it.programs;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application's own queue class that only overrides {@code offer}, used as a
 * ThreadPoolExecutor's work queue so that the JDK calls into it: racetrace advises it as a type.
 */
public final class AuditedQueue extends LinkedBlockingQueue<Runnable> {
  private static final long serialVersionUID = 1L;
  final AtomicInteger offers = new AtomicInteger();

  @Override
  public boolean offer(Runnable r) {
    offers.incrementAndGet();
    return super.offer(r);
  }
}
