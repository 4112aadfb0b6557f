package dev.racetrace.agent.export;

import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.internal.Log;
import java.nio.file.Path;

/**
 * racetrace.out.max: the bytes the file export may write in one run, so that a service left
 * recording for days cannot fill its disk. Once a batch would pass it, the file export stops for
 * the rest of the run (one stderr line) and the spans it did not write are counted for the exit
 * summary; other exporters go on. Exporter thread (and the SDK exporter it calls) only.
 */
final class OutBudget {
  /** No limit: for tests and tools that write a file of their own. */
  static final OutBudget UNLIMITED = new OutBudget(Long.MAX_VALUE, "unlimited", new Counters(), null);

  private final long maxBytes;
  private final String configured;
  private final Counters counters;
  private final Path where;
  /** "the file export" / "the journal": what stops. */
  private final String stops;
  /** "spans" / "events": what the drop count counts. */
  private final String unit;
  private final java.util.concurrent.atomic.AtomicLong unwritten;
  private volatile boolean exhausted;

  /**
   * @param configured the value as the user wrote it, for the line printed when it is reached
   * @param where the file (or its directory) written, for that line
   */
  OutBudget(long maxBytes, String configured, Counters counters, Path where) {
    this(maxBytes, configured, counters, where, "the file export", "spans", counters.outDroppedSpans());
  }

  private OutBudget(long maxBytes, String configured, Counters counters, Path where, String stops,
      String unit, java.util.concurrent.atomic.AtomicLong unwritten) {
    this.maxBytes = maxBytes;
    this.configured = configured;
    this.counters = counters;
    this.where = where;
    this.stops = stops;
    this.unit = unit;
    this.unwritten = unwritten;
  }

  /**
   * The budget of racetrace.exporter=journal: whole chunks are written or dropped, and the events
   * of dropped chunks are counted ({@link Counters#outDroppedEvents()}).
   */
  static OutBudget forJournal(long maxBytes, String configured, Counters counters, Path where) {
    return new OutBudget(maxBytes, configured, counters, where, "the journal", "events",
        counters.outDroppedEvents());
  }

  /**
   * Whether a batch of {@code bytes} may be written. False once the budget is reached: the batch
   * is dropped whole (the file always ends with a complete line) and its spans counted.
   */
  boolean admit(long bytes, int spans) {
    if (fits(bytes)) {
      return true;
    }
    drop(spans);
    return false;
  }

  /** Whether {@code bytes} more fit (and the budget was not reached before). */
  boolean fits(long bytes) {
    return !exhausted && counters.outBytes().get() + bytes <= maxBytes;
  }

  /** {@code spans} (or events, for the journal) did not fit: the export stops, and they are counted. */
  void drop(int spans) {
    exhaust();
    unwritten.addAndGet(spans);
  }

  /** Whether the budget was reached: nothing more is written. */
  boolean exhausted() {
    return exhausted;
  }

  /** {@code bytes} went to the file; reaching the budget ends the file export. */
  void wrote(long bytes) {
    if (counters.outBytes().addAndGet(bytes) >= maxBytes) {
      exhaust();
    }
  }

  private void exhaust() {
    if (exhausted) {
      return;
    }
    exhausted = true;
    Log.get().info("racetrace: racetrace.out.max=" + configured + " reached (" + counters.outBytes().get()
        + " bytes written to " + where + "); " + stops + " stops, " + unit + " not written are counted at exit");
  }
}
