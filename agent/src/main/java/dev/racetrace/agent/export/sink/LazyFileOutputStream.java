package dev.racetrace.agent.export.sink;

import dev.racetrace.agent.internal.Log;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Creates its file (and directories) only when the first byte is written: no spans, no file. The
 * file is created safely ({@link OutputFiles}); if it disappears while racetrace writes (its
 * directory removed by a clean-up), the next write creates it again and says so once. When its
 * {@link OutBudget} rolls, the next write creates the next part ({@code node.1.jsonl}, ...).
 */
public final class LazyFileOutputStream extends OutputStream {
  /**
   * How often the file's presence is checked between single-byte writes. A bulk write (a whole
   * encoded batch) always checks first: one stat per batch, so spans written right after a
   * clean-up removed the directory go to the new file, not to the removed one.
   */
  private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Path file;
  private final OutBudget budget;
  private Path opened;
  private OutputStream out;
  private long lastCheck;
  /** The part being written: 0 is the configured name. */
  private int part;

  LazyFileOutputStream(Path file) {
    this(file, OutBudget.unlimited());
  }

  /** @param budget counts the bytes written and rolls this stream over (racetrace.out.max) */
  public LazyFileOutputStream(Path file, OutBudget budget) {
    this.file = file;
    this.budget = budget;
    budget.rollWith(this::roll);
  }

  /** Closes the current part: the next write creates the next one. */
  private void roll() throws IOException {
    OutputStream full = out;
    out = null;
    part = budget.nextPart();
    if (full != null) {
      full.close();
    }
  }

  /** The file being written, or the configured name before the first write. */
  public Path path() {
    return opened != null ? opened : file;
  }

  private OutputStream out(boolean bulk) throws IOException {
    if (out != null && (bulk || System.nanoTime() - lastCheck > CHECK_NANOS)) {
      lastCheck = System.nanoTime();
      if (!Files.exists(opened, LinkOption.NOFOLLOW_LINKS)) {
        Log.get().warn("out:removed", opened + " was removed while racetrace wrote to it; writing a new file");
        OutputStream gone = out;
        out = null;
        try {
          gone.close();
        } catch (IOException e) {
          // the file is gone: what its buffer held is lost with it, and counted with the batch
        }
      }
    }
    if (out == null) {
      Path name = OutBudget.partName(file, part);
      OutputFiles.Opened o = OutputFiles.create(name);
      if (!o.path.equals(name) && opened == null) {
        Log.get().warn("out:renamed", name + " already exists (not overwritten, not followed); spans go to " + o.path);
      }
      opened = o.path;
      budget.opened(o.path);
      lastCheck = System.nanoTime();
      out = new BufferedOutputStream(Channels.newOutputStream(o.channel), 1 << 16);
    }
    return out;
  }

  @Override
  public void write(int b) throws IOException {
    out(false).write(b);
    budget.wrote(1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out(true).write(b, off, len);
    budget.wrote(len);
  }

  @Override
  public void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
    }
  }
}
