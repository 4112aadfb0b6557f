package dev.racetrace.agent.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A journal file under {@code racetrace.out}: created at the first chunk, exclusively and never
 * through a link ({@link LazyFileOutputStream}, {@link OutputFiles}); each chunk is written and
 * flushed whole.
 */
final class JournalFile implements JournalWriter.Output {
  private final LazyFileOutputStream out;
  private final JournalBudget budget;

  JournalFile(Path file) {
    this(file, JournalBudget.unlimited());
  }

  /** @param budget racetrace.out.max: chunks past it are not written, their events counted */
  JournalFile(Path file, JournalBudget budget) {
    this.out = new LazyFileOutputStream(file);
    this.budget = budget;
  }

  /** {@code orders-node1-4242.jsonl} -> {@code orders-node1-4242.rtj}. */
  static String nameFor(String spanFileName) {
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
    if (!budget.admit(bytes, events)) {
      return; // whole chunks only: the file stays readable to its last chunk
    }
    write(chunk);
    budget.wrote(bytes);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  Path path() {
    return out.path();
  }
}
