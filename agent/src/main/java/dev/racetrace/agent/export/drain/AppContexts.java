package dev.racetrace.agent.export.drain;

import java.util.HashMap;
import java.util.Map;

/**
 * Per thread, the application span context last recorded (racetrace.otel.link): it applies to that
 * thread's later events. Bounded: past {@code max} threads (virtual threads come and go without
 * retiring a ring) the table starts over, and those threads' spans go unlinked until their
 * application span changes. Exporter thread only.
 */
final class AppContexts {
  private final int max;
  private final Map<Long, Object> byThread = new HashMap<>();

  AppContexts(int max) {
    this.max = max;
  }

  /** A thread's application span changed to {@code context}. */
  void note(long threadId, Object context) {
    if (byThread.size() >= max && !byThread.containsKey(threadId)) {
      byThread.clear();
    }
    byThread.put(threadId, context);
  }

  /** The thread's current application span context, or null. */
  Object of(long threadId) {
    return byThread.isEmpty() ? null : byThread.get(threadId);
  }

  /** The thread ended. */
  void forget(long threadId) {
    byThread.remove(threadId);
  }
}
