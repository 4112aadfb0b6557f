package dev.racetrace.agent.export.drain;

import dev.racetrace.core.EventKind;
import dev.racetrace.core.buffer.EventRing;
import java.util.HashMap;
import java.util.Map;

/**
 * Attaches state-probe records ("what the thread could see") to the event they were recorded with:
 * the last event of the same thread, if it has the same seq. An event is committed only once its
 * values are written behind it (in a thread's own ring), so they arrive in the same drain pass;
 * in a shared ring other threads' records may come between, hence one last event per thread. The
 * drains, the flight and live-journal tees and the journal replay all attach them here.
 * Not thread-safe: one per drain pass or replay.
 */
public final class StateFollowers {
  private final Map<Long, Event> lastByThread = new HashMap<>();

  /** Whether the record at {@code i} of a drain buffer is a state-probe value. */
  public static boolean isState(long[] longs, int i) {
    return (longs[i * EventRing.RECORD_LONGS + EventRing.META] & 0xFF) == EventKind.STATE;
  }

  /** Attaches the state record at {@code i} to its event, if that event was seen; else drops it. */
  public void attach(long[] longs, int i) {
    int o = i * EventRing.RECORD_LONGS;
    attach(longs[o + EventRing.THREAD], longs[o + EventRing.HEADER], longs[o + EventRing.A],
        longs[o + EventRing.B]);
  }

  /**
   * Attaches probe {@code probe}'s {@code value}, recorded by {@code threadId} with {@code seq}, to
   * its event, if that event was seen; else drops it.
   */
  public void attach(long threadId, long seq, long probe, long value) {
    Event parent = lastByThread.get(threadId);
    if (parent != null && parent.seq == seq) {
      parent.addState(probe, value);
    }
  }

  /** {@code e} is its thread's latest event: state records with its seq belong to it. */
  public void follow(Event e) {
    lastByThread.put(e.threadId, e);
  }

  /** Forgets every event (at the end of a pass: the next one starts with committed events). */
  public void clear() {
    lastByThread.clear();
  }
}
