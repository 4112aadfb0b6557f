package dev.racetrace.agent.export.sink;

import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.internal.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * racetrace.out.max: the bytes the file export keeps on disk in one run, so that a service left
 * recording for days cannot fill its disk. The span file is written in parts of a tenth of the
 * budget ({@code node.jsonl}, then {@code node.1.jsonl}, {@code node.2.jsonl}, ...); when a new part
 * starts, the oldest parts are deleted so that all parts together stay within the budget. The
 * spans deleted are counted ({@link Counters#outRotatedSpans()}, one rate-limited line); a single
 * span larger than a part is not written and counted ({@link Counters#outDroppedSpans()}).
 * The journal ({@link #forJournal}) rotates the same way in whole chunks ({@link #beforeWhole}):
 * {@code node.rtj}, {@code node.1.rtj}, ..., the events of deleted parts counted
 * ({@link Counters#outRotatedEvents()}).
 * Exporter thread (and the SDK exporter it calls) only.
 */
public final class OutBudget {
  /** The budget is kept in this many parts: deleting the oldest frees a tenth at a time. */
  public static final int PARTS = 10;

  /** No limit, no rotation: for tests and tools that write a file of their own. */
  public static OutBudget unlimited() {
    return new OutBudget(Long.MAX_VALUE, "unlimited", new Counters(), null);
  }

  /** Closes the part being written, so that the next write creates the next part. */
  interface Roller {
    void roll() throws IOException;
  }

  /** A finished part still on disk. */
  private static final class Part {
    final Path path;
    final long bytes;
    final long spans;

    Part(Path path, long bytes, long spans) {
      this.path = path;
      this.bytes = bytes;
      this.spans = spans;
    }
  }

  private final long maxBytes;
  private final long partBytes;
  private final String configured;
  private final Counters counters;
  private final Path where;
  private final ArrayDeque<Part> closed = new ArrayDeque<>();
  private long closedBytes;
  private Roller roller;
  private Path current;
  private long currentBytes;
  private long currentSpans;
  private int nextPart = 1;
  private long written;
  /** Counts what deleted parts held: spans, or a journal's events. */
  private final java.util.concurrent.atomic.AtomicLong rotated;
  /** "span file"/"spans", or "journal part"/"events", for the rotation line. */
  private final String fileNoun;
  private final String unitNoun;

  /**
   * @param configured the value as the user wrote it, for the lines printed
   * @param where the span file (its first part), for those lines
   */
  public OutBudget(long maxBytes, String configured, Counters counters, Path where) {
    this(maxBytes, configured, counters, where, counters.outRotatedSpans(), "span file", "spans");
  }

  private OutBudget(long maxBytes, String configured, Counters counters, Path where,
      java.util.concurrent.atomic.AtomicLong rotated, String fileNoun, String unitNoun) {
    this.rotated = rotated;
    this.fileNoun = fileNoun;
    this.unitNoun = unitNoun;
    this.maxBytes = maxBytes;
    this.partBytes = Math.max(1, maxBytes / PARTS);
    this.configured = configured;
    this.counters = counters;
    this.where = where;
  }

  /**
   * racetrace.out.max for the journal: parts of a tenth of the budget, each holding whole chunks
   * ({@link #beforeWhole}); the units counted are events.
   */
  public static OutBudget forJournal(long maxBytes, String configured, Counters counters, Path where) {
    return new OutBudget(maxBytes, configured, counters, where, counters.outRotatedEvents(), "journal part",
        "events");
  }

  /** Whether there is a budget at all ({@link #unlimited()} has none). */
  boolean bounded() {
    return maxBytes != Long.MAX_VALUE;
  }

  /** The stream that writes the parts; without one (a test's stream) nothing rolls. */
  void rollWith(Roller roller) {
    this.roller = roller;
  }

  /** The most bytes one part holds: a batch larger than this is split, a span larger is dropped. */
  long partBytes() {
    return partBytes;
  }

  /** The name of part {@code n} of {@code file}: {@code node.jsonl} -> {@code node.3.jsonl}. */
  static Path partName(Path file, int n) {
    if (n == 0) {
      return file;
    }
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String part = dot > 0 ? name.substring(0, dot) + "." + n + name.substring(dot) : name + "." + n;
    return file.resolveSibling(part);
  }

  /** The next part's number (1, 2, ...), for the stream that creates it. */
  int nextPart() {
    return nextPart++;
  }

  /**
   * Before a batch of about {@code bytes} (0 when not known in advance): if the part being written
   * would pass its size, it is closed, and the oldest parts are deleted so that a full new part
   * still fits in the budget.
   */
  void beforeBatch(long bytes) throws IOException {
    if (roller == null || currentBytes == 0 || currentBytes + bytes <= partBytes && currentBytes < partBytes) {
      return;
    }
    rollPart();
    while (!closed.isEmpty() && closedBytes + partBytes > maxBytes) {
      delete(closed.removeFirst());
    }
  }

  /**
   * Before {@code bytes} that must be written whole to one part (a journal chunk): if they would
   * pass the part being written, it is closed, and the oldest parts are deleted until everything
   * on disk, with them, is within the budget. A chunk larger than a part gets a part of its own.
   *
   * @return false if {@code bytes} alone are more than the whole budget: not to be written
   */
  public boolean beforeWhole(long bytes) throws IOException {
    if (bytes > maxBytes) {
      return false;
    }
    if (roller != null && currentBytes > 0 && currentBytes + bytes > partBytes) {
      rollPart();
    }
    while (!closed.isEmpty() && closedBytes + currentBytes + bytes > maxBytes) {
      delete(closed.removeFirst());
    }
    return true;
  }

  private void rollPart() throws IOException {
    roller.roll();
    closed.add(new Part(current, currentBytes, currentSpans));
    closedBytes += currentBytes;
    current = null;
    currentBytes = 0;
    currentSpans = 0;
  }

  private void delete(Part oldest) {
    closedBytes -= oldest.bytes;
    try {
      Files.deleteIfExists(oldest.path); // removes the name only, never what a link there points to
    } catch (IOException e) {
      Log.get().warn("out:delete", "could not delete the oldest " + fileNoun + " " + oldest.path
          + " (racetrace.out.max=" + configured + ")", e);
    }
    long total = rotated.addAndGet(oldest.spans);
    Log.get().warn("out:rotated", "racetrace.out.max=" + configured + " reached: deleted the oldest " + fileNoun
        + " " + oldest.path + " (" + oldest.spans + " " + unitNoun + "); " + total + " " + unitNoun
        + " rotated out so far, the newest are kept next to " + where);
  }

  /** The stream created the current part at {@code path}. */
  void opened(Path path) {
    current = path;
  }

  /** {@code bytes} went to the current part. */
  void wrote(long bytes) {
    counters.outBytes().addAndGet(bytes);
    currentBytes += bytes;
    written += bytes;
  }

  /** Bytes written through this budget in all, deleted parts included. */
  long written() {
    return written;
  }

  /** A batch of {@code spans} (a journal chunk's events) was written whole to the current part. */
  public void batchWritten(int spans) {
    currentSpans += spans;
  }

  /** {@code spans} were not written: each alone is larger than a part. */
  void drop(int spans) {
    counters.outDroppedSpans().addAndGet(spans);
    Log.get().warn("out:too-large", spans + " spans not written: each is larger than a span file part ("
        + partBytes + " bytes, a tenth of racetrace.out.max=" + configured + ")");
  }

  /** Bytes of all parts still on disk, as written. */
  long onDisk() {
    return closedBytes + currentBytes;
  }
}
