package dev.racetrace.agent.export.journal;

import dev.racetrace.agent.export.sink.LazyFileOutputStream;
import dev.racetrace.agent.export.sink.OutBudget;
import dev.racetrace.agent.export.sink.OutputFiles;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.internal.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A journal file under {@code racetrace.out}: created at the first chunk, exclusively and never
 * through a link ({@link LazyFileOutputStream}, {@link OutputFiles}); each chunk is written and
 * flushed whole. Under racetrace.out.max ({@link OutBudget#forJournal}) the journal rotates in
 * parts of whole chunks, {@code node.rtj}, {@code node.1.rtj}, ..., the oldest deleted and their
 * events counted; the reader joins a node's parts in order ({@link JournalExport#nodes}).
 */
public final class JournalFile implements JournalWriter.Output {
  private final LazyFileOutputStream out;
  private final OutBudget budget;
  private final Counters counters;
  private final String configured;

  public JournalFile(Path file) {
    this(file, OutBudget.unlimited(), new Counters(), "unlimited");
  }

  /**
   * @param budget racetrace.out.max ({@link OutBudget#forJournal}): the parts rotate within it
   * @param counters where a chunk larger than the whole budget is counted (not written)
   * @param configured racetrace.out.max as the user wrote it, for that line
   */
  public JournalFile(Path file, OutBudget budget, Counters counters, String configured) {
    this.out = new LazyFileOutputStream(file, budget);
    this.budget = budget;
    this.counters = counters;
    this.configured = configured;
  }

  /** {@code orders-node1-4242.jsonl} -> {@code orders-node1-4242.rtj}. */
  public static String nameFor(String spanFileName) {
    int dot = spanFileName.lastIndexOf('.');
    return (dot > 0 ? spanFileName.substring(0, dot) : spanFileName) + JournalFormat.EXTENSION;
  }

  @Override
  public void write(ByteBuffer chunk) throws IOException {
    out.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
    out.flush();
  }

  @Override
  public void write(ByteBuffer chunk, int events) throws IOException {
    int bytes = chunk.remaining();
    if (!budget.beforeWhole(bytes)) { // whole chunks only: every part stays readable to its end
      counters.outDroppedEvents().addAndGet(events);
      Log.get().warn("out:too-large", "a journal chunk of " + bytes + " bytes (" + events + " events) is larger than "
          + "racetrace.out.max=" + configured + " and was not written");
      return;
    }
    write(chunk);
    budget.batchWritten(events);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  public Path path() {
    return out.path();
  }
}
