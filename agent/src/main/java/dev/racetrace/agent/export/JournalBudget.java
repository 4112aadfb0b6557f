package dev.racetrace.agent.export;

import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.internal.Log;
import java.nio.file.Path;

/**
 * racetrace.out.max for racetrace.exporter=journal: the bytes the journal may write in one run.
 * Chunks are written whole or not at all; once a chunk would pass the budget the journal stops for
 * the rest of the run (one stderr line, the file still readable to its last chunk) and the events
 * of the chunks not written are counted for the exit summary. The journal is not rotated (the span
 * file is: {@link OutBudget}). Exporter thread only.
 */
final class JournalBudget {
  private final long maxBytes;
  private final String configured;
  private final Counters counters;
  private final Path where;
  private long written;
  private boolean exhausted;

  /**
   * @param configured the value as the user wrote it, for the line printed when it is reached
   * @param where the journal file, for that line
   */
  JournalBudget(long maxBytes, String configured, Counters counters, Path where) {
    this.maxBytes = maxBytes;
    this.configured = configured;
    this.counters = counters;
    this.where = where;
  }

  /** No limit: for tests and tools that write a journal of their own. */
  static JournalBudget unlimited() {
    return new JournalBudget(Long.MAX_VALUE, "unlimited", new Counters(), null);
  }

  /**
   * Whether a chunk of {@code bytes} holding {@code events} may be written; if not, the journal
   * stops and the events are counted.
   */
  boolean admit(long bytes, int events) {
    if (!exhausted && written + bytes <= maxBytes) {
      return true;
    }
    exhaust();
    counters.outDroppedEvents().addAndGet(events);
    return false;
  }

  /** {@code bytes} of a whole chunk went to the file. */
  void wrote(long bytes) {
    written += bytes;
    counters.outBytes().addAndGet(bytes);
  }

  boolean exhausted() {
    return exhausted;
  }

  private void exhaust() {
    if (exhausted) {
      return;
    }
    exhausted = true;
    Log.get().info("racetrace: racetrace.out.max=" + configured + " reached (" + written
        + " bytes written to " + where + "); the journal stops, events not written are counted at exit");
  }
}
