package dev.racetrace.agent.export.flight;

import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.EventTee;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.journal.JournalWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the drain's records go in flight mode on the journal: the timeout trigger's check on the raw
 * records ({@link FlightTriggers}, when that trigger is on), then, when the violation trigger has
 * racetrace.rules to check, a tee that also decodes them for the span assembler
 * ({@link EventTee}), then the writer of the in-memory ring of chunks ({@link FlightJournal}).
 * Exporter thread only.
 */
public final class FlightJournalPath {
  private final FlightJournal journal;
  private final FlightTriggers triggers;
  private final EventTee tee;
  private final RingDrainer.RecordSink sink;

  /**
   * @param writer the journal writer of {@code journal}'s chunk ring
   * @param timeoutTrigger whether expired timed waits trigger a dump (checked on the records)
   * @param decode whether records are also decoded for assembly (the violation trigger with rules)
   */
  public FlightJournalPath(FlightJournal journal, JournalWriter writer, FlightRecorder flight, boolean timeoutTrigger,
      boolean decode, Naming naming, int maxThreads, AtomicLong droppedState) {
    this.journal = journal;
    RingDrainer.RecordSink s = writer;
    this.triggers = timeoutTrigger ? new FlightTriggers(s, flight, naming, maxThreads, droppedState) : null;
    if (triggers != null) {
      s = triggers;
    }
    this.tee = decode ? new EventTee(s) : null;
    this.sink = tee != null ? tee : s;
  }

  /** What the drain hands records to. */
  public RingDrainer.RecordSink sink() {
    return sink;
  }

  /** Whether records are also decoded into events (then a pass must stay within racetrace.memory.max). */
  public boolean decodes() {
    return tee != null;
  }

  /**
   * Ends a drain pass: the timeout trigger forgets the threads that ended.
   *
   * @return the events decoded in the pass, or null when none are decoded
   */
  public List<Event> endPass(List<Long> ended) {
    if (triggers != null) {
      for (Long id : ended) {
        triggers.threadEnded(id);
      }
    }
    return tee != null ? tee.take() : null;
  }

  /** The dumps written, for the exit line. */
  public String summary() {
    return "flight recorder wrote " + journal.dumps() + " dump(s) of " + journal.dumpedEvents()
        + " journaled events" + (journal.lastDump() != null ? ", the last " + journal.lastDump() : "");
  }
}
