package dev.racetrace.agent.export;

import dev.racetrace.core.EventKind;
import dev.racetrace.core.buffer.EventRing;
import java.util.HashMap;
import java.util.Map;

/**
 * Attaches state-probe records ("what the thread could see") to the event they were recorded with:
 * the last event of the same thread, if it has the same seq. An event is committed only once its
 * values are written behind it (in a thread's own ring), so they arrive in the same drain pass;
 * in a shared ring other threads' records may come between, hence one last event per thread.
 * Exporter thread only.
 */
final class StateFollowers {
  private final Map<Long, Event> lastByThread = new HashMap<>();

  /** Whether the record at {@code i} of a drain buffer is a state-probe value. */
  static boolean isState(long[] longs, int i) {
    return (longs[i * EventRing.RECORD_LONGS + EventRing.META] & 0xFF) == EventKind.STATE;
  }

  /** Attaches the state record at {@code i} to its event, if that event was seen; else drops it. */
  void attach(long[] longs, int i) {
    int o = i * EventRing.RECORD_LONGS;
    Event parent = lastByThread.get(longs[o + EventRing.THREAD]);
    if (parent != null && parent.seq == longs[o + EventRing.HEADER]) {
      parent.addState(longs[o + EventRing.A], longs[o + EventRing.B]);
    }
  }

  /** {@code e} is its thread's latest event: state records with its seq belong to it. */
  void follow(Event e) {
    lastByThread.put(e.threadId, e);
  }

  /** Forgets every event (at the end of a pass: the next one starts with committed events). */
  void clear() {
    lastByThread.clear();
  }
}
