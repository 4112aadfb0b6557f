package dev.racetrace.core;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names of threads that write to shared rings (virtual threads), published once per thread for the
 * exporter. Bounded: beyond {@link #LIMIT} pending names, new ones are not queued (the exporter then
 * shows the thread id only).
 */
public final class ThreadNames {
  /** A thread id and its name. */
  public static final class Named {
    public final long id;
    public final String name;
    public final boolean virtual;

    Named(long id, String name, boolean virtual) {
      this.id = id;
      this.name = name;
      this.virtual = virtual;
    }
  }

  static final int LIMIT = 100_000;
  private static final ConcurrentLinkedQueue<Named> PENDING = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger SIZE = new AtomicInteger();

  private ThreadNames() {}

  static void publish(long id, String name, boolean virtual) {
    if (SIZE.incrementAndGet() <= LIMIT) {
      PENDING.offer(new Named(id, name, virtual));
    } else {
      SIZE.decrementAndGet();
    }
  }

  /** Takes the next published name, or null. Exporter thread only. */
  public static Named poll() {
    Named n = PENDING.poll();
    if (n != null) {
      SIZE.decrementAndGet();
    }
    return n;
  }
}
