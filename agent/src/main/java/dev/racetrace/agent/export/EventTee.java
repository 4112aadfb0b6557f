package dev.racetrace.agent.export;

import dev.racetrace.core.EventKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands each drained record to the journal as it lies in the drain buffer and also decodes it into
 * an {@link Event} for the span assembler, attaching state-probe values to their event as
 * {@link RingDrainer#drain} does. Flight mode on the journal uses it for the violation trigger when
 * racetrace.rules are set: the rule checker works on the spans of the very records the journal
 * keeps (expired timed waits are found on the records, {@link FlightTriggers}).
 * Exporter thread only.
 */
final class EventTee implements RingDrainer.RecordSink {
  private final RingDrainer.RecordSink journal;
  private List<Event> events = new ArrayList<>();
  private final Map<Long, Event> lastByThread = new HashMap<>();

  EventTee(RingDrainer.RecordSink journal) {
    this.journal = journal;
  }

  @Override
  public void record(long[] longs, Object[] refs, int i, String threadName) {
    journal.record(longs, refs, i, threadName);
    Event e = Event.decode(longs, refs, i);
    if (e.kind == EventKind.STATE) {
      Event parent = lastByThread.get(e.threadId);
      if (parent != null && parent.seq == e.seq) {
        parent.addState(e.a, e.b);
      }
      return;
    }
    e.threadName = threadName;
    lastByThread.put(e.threadId, e);
    events.add(e);
  }

  /** The events decoded since the last call, in drain order. */
  List<Event> take() {
    List<Event> out = events;
    events = new ArrayList<>();
    lastByThread.clear();
    return out;
  }
}
