package dev.racetrace.agent.export.drain;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands each drained record to the journal as it lies in the drain buffer and also decodes it into
 * an {@link Event} for the span assembler, attaching state-probe values to their event as
 * {@link RingDrainer#drain} does. Flight mode on the journal uses it for the violation trigger when
 * racetrace.rules are set: the rule checker works on the spans of the very records the journal
 * keeps (expired timed waits are found on the records,
 * {@link dev.racetrace.agent.export.flight.FlightTriggers}).
 * Exporter thread only.
 */
public final class EventTee implements RingDrainer.RecordSink {
  private final RingDrainer.RecordSink journal;
  private List<Event> events = new ArrayList<>();
  private final StateFollowers states = new StateFollowers();

  public EventTee(RingDrainer.RecordSink journal) {
    this.journal = journal;
  }

  @Override
  public void appContext(long threadId, Object context) {
    journal.appContext(threadId, context);
  }
  @Override
  public void record(long[] longs, Object[] refs, int i, String threadName) {
    journal.record(longs, refs, i, threadName);
    if (StateFollowers.isState(longs, i)) {
      states.attach(longs, i);
      return;
    }
    Event e = Event.decode(longs, refs, i);
    e.threadName = threadName;
    states.follow(e);
    events.add(e);
  }

  /** The events decoded since the last call, in drain order. */
  public List<Event> take() {
    List<Event> out = events;
    events = new ArrayList<>();
    states.clear();
    return out;
  }
}
