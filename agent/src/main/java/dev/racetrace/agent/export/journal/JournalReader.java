package dev.racetrace.agent.export.journal;

import static dev.racetrace.agent.export.journal.JournalFormat.CHUNK_PREFIX;
import static dev.racetrace.agent.export.journal.JournalFormat.MAGIC;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Reads a journal's chunks, tolerating damage: a chunk whose length runs past the end (a process
 * killed mid-write) ends the journal; a chunk that fails its CRC or has no magic is skipped up to
 * the next magic. Both are counted and described by {@link #damage()}. A file that does not start
 * with a chunk is refused with a clear error.
 */
public final class JournalReader {
  /** The file is not a journal, or one of a newer format. */
  static final class NotAJournal extends IOException {
    NotAJournal(String message) {
      super(message);
    }
  }

  /** One complete chunk: its header entries, clock anchor and records. */
  public static final class Chunk {
    final long offset;
    final long anchorEpochNanos;
    final long anchorNanoTime;
    public final Map<String, String> header;
    public final int records;
    /** The records, little-endian, positioned at the first. */
    final ByteBuffer body;

    Chunk(long offset, long anchorEpochNanos, long anchorNanoTime, Map<String, String> header, int records,
        ByteBuffer body) {
      this.offset = offset;
      this.anchorEpochNanos = anchorEpochNanos;
      this.anchorNanoTime = anchorNanoTime;
      this.header = header;
      this.records = records;
      this.body = body;
    }
  }

  private final String name;
  private final ByteBuffer data;
  private int pos;
  private int chunks;
  private int damagedChunks;
  private long damagedBytes;
  private long truncatedBytes;

  public JournalReader(String name, ByteBuffer data) throws NotAJournal {
    this.name = name;
    this.data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (this.data.remaining() >= 4 && this.data.getInt(0) != MAGIC) {
      throw new NotAJournal(name + ": not a racetrace journal (no chunk magic at its start)");
    }
  }

  /** Maps {@code file} read-only. */
  public static JournalReader open(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new NotAJournal(file + ": larger than 2 GiB; journals are written in smaller files");
      }
      return new JournalReader(file.toString(), ch.map(FileChannel.MapMode.READ_ONLY, 0, size));
    }
  }

  /** The next complete, intact chunk, or null at the end of the journal. */
  public Chunk next() throws NotAJournal {
    int limit = data.limit();
    while (pos < limit) {
      int at = pos;
      if (limit - at < CHUNK_PREFIX) {
        truncatedBytes += limit - at;
        pos = limit;
        return null;
      }
      if (data.getInt(at) != MAGIC) {
        skipToMagic(at + 1);
        continue;
      }
      int version = data.getShort(at + 4) & 0xFFFF;
      if (version < JournalFormat.OLDEST_READ_VERSION || version > JournalFormat.VERSION) {
        if (at == 0) {
          throw new NotAJournal(name + ": journal format version " + version + "; this racetrace reads versions "
              + JournalFormat.OLDEST_READ_VERSION + " to " + JournalFormat.VERSION);
        }
        skipToMagic(at + 1);
        continue;
      }
      long headerLength = data.getInt(at + 8) & 0xFFFFFFFFL;
      long bodyLength = data.getInt(at + 12) & 0xFFFFFFFFL;
      int records = data.getInt(at + 16);
      long end = at + CHUNK_PREFIX + headerLength + bodyLength;
      if (headerLength < 20 || end > limit) {
        if (nextMagic(at + 1) < 0) { // the last chunk, cut short: the journal ends here
          truncatedBytes += limit - at;
          pos = limit;
          return null;
        }
        skipToMagic(at + 1);
        continue;
      }
      CRC32 crc = new CRC32();
      ByteBuffer covered = data.duplicate();
      covered.position(at + CHUNK_PREFIX).limit((int) end);
      crc.update(covered);
      if ((int) crc.getValue() != data.getInt(at + 20)) {
        skipToMagic(at + 1);
        continue;
      }
      Chunk c = chunk(at, (int) headerLength, (int) end, records);
      if (c == null) {
        skipToMagic(at + 1);
        continue;
      }
      pos = (int) end;
      chunks++;
      return c;
    }
    return null;
  }

  private Chunk chunk(int at, int headerLength, int end, int records) {
    try {
      ByteBuffer h = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      h.position(at + CHUNK_PREFIX).limit(at + CHUNK_PREFIX + headerLength);
      long epoch = h.getLong();
      long nanos = h.getLong();
      int n = h.getInt();
      Map<String, String> header = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        header.put(string(h), string(h));
      }
      ByteBuffer body = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      body.position(at + CHUNK_PREFIX + headerLength).limit(end);
      return new Chunk(at, epoch, nanos, Collections.unmodifiableMap(header), records,
          body.slice().order(ByteOrder.LITTLE_ENDIAN));
    } catch (RuntimeException e) {
      return null; // a header that passed the CRC yet does not parse: treated as damage
    }
  }

  private static String string(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0 || n > b.remaining()) {
      throw new IllegalStateException("bad header string length " + n);
    }
    byte[] bytes = new byte[n];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private int nextMagic(int from) {
    for (int i = from; i + 4 <= data.limit(); i++) {
      if (data.getInt(i) == MAGIC) {
        return i;
      }
    }
    return -1;
  }

  /** Skips damaged bytes from the current chunk start up to the next magic (or the end). */
  private void skipToMagic(int from) {
    int next = nextMagic(from);
    int to = next < 0 ? data.limit() : next;
    damagedChunks++;
    damagedBytes += to - pos;
    pos = to;
  }

  int chunksRead() {
    return chunks;
  }

  int damagedChunks() {
    return damagedChunks;
  }

  long truncatedBytes() {
    return truncatedBytes;
  }

  /** One line on what could not be read, or null when the journal was intact. */
  public String damage() {
    List<String> parts = new ArrayList<>();
    if (damagedChunks > 0) {
      parts.add(damagedChunks + " damaged region(s) (" + damagedBytes + " bytes) skipped");
    }
    if (truncatedBytes > 0) {
      parts.add("an incomplete last chunk (" + truncatedBytes + " bytes, cut off mid-write) ignored");
    }
    return parts.isEmpty() ? null : name + ": read " + chunks + " chunk(s); " + String.join("; ", parts);
  }
}
