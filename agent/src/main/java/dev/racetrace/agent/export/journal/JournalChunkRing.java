package dev.racetrace.agent.export.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Flight mode on the journal: the journal's complete chunks kept in memory, newest last, within a
 * size limit ({@code racetrace.flight.maxsize}) and an age limit ({@code racetrace.flight.maxage}),
 * like JFR's {@code maxsize}/{@code maxage}. The chunks lie in one byte buffer, allocated when the
 * first chunk comes and reused from then on, as a circular log: a chunk that does not fit after the
 * newest goes to the start of the buffer, and the oldest chunks are dropped until it fits; chunks
 * written more than the age limit ago are dropped first. At most {@link #MAX_CHUNKS} chunks are
 * kept (the writer closes a chunk at least every second, so that is over an hour of history).
 *
 * <p>{@link #dumpTo} writes the kept chunks, oldest first, each as it was written (its own header,
 * pools and CRC), and empties the ring: every chunk is dumped once. Exporter thread only.
 *
 * <pre>
 * buffer: [ chunk 7 | chunk 8 | free ... | chunk 4 | chunk 5 | chunk 6 | unused tail ]
 *                             ^ next write         ^ oldest (head)
 * </pre>
 */
public final class JournalChunkRing implements JournalWriter.Output {
  /** Chunks kept at most, whatever their size (the table of chunk positions is allocated once). */
  static final int MAX_CHUNKS = 4096;

  private final int capacity;
  private final long maxAgeNanos;
  private final LongSupplier nanoClock;
  /** The chunks' bytes; null until the first chunk. */
  private byte[] buffer;
  private final int[] offset = new int[MAX_CHUNKS];
  private final int[] length = new int[MAX_CHUNKS];
  private final int[] events = new int[MAX_CHUNKS];
  private final long[] writtenAt = new long[MAX_CHUNKS];
  /** Index (in the tables) of the oldest chunk, and how many are kept. */
  private int head;
  private int count;
  /** Where the chunk after the newest one starts. */
  private int next;
  private long keptEvents;
  private long droppedEvents;
  private long droppedChunks;

  /**
   * @param maxBytes racetrace.flight.maxsize: the buffer's size
   * @param maxAgeMillis racetrace.flight.maxage
   * @param nanoClock {@code System::nanoTime} (visible for testing)
   */
  public JournalChunkRing(long maxBytes, long maxAgeMillis, LongSupplier nanoClock) {
    if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxBytes " + maxBytes);
    }
    this.capacity = (int) maxBytes;
    this.maxAgeNanos = TimeUnit.MILLISECONDS.toNanos(maxAgeMillis);
    this.nanoClock = nanoClock;
  }

  @Override
  public void write(ByteBuffer chunk) {
    write(chunk, 0);
  }

  /** Keeps a copy of {@code chunk}, dropping the oldest chunks to make room. */
  @Override
  public void write(ByteBuffer chunk, int chunkEvents) {
    int n = chunk.remaining();
    if (n > capacity) { // the writer's chunks are a fraction of the ring; counted should it ever happen
      droppedChunks++;
      droppedEvents += chunkEvents;
      return;
    }
    long now = nanoClock.getAsLong();
    dropOlderThan(now);
    if (count == MAX_CHUNKS) {
      dropOldest();
    }
    if (buffer == null) {
      buffer = new byte[capacity];
    }
    int at = place(n);
    chunk.duplicate().get(buffer, at, n);
    int slot = (head + count) % MAX_CHUNKS;
    offset[slot] = at;
    length[slot] = n;
    events[slot] = chunkEvents;
    writtenAt[slot] = now;
    count++;
    keptEvents += chunkEvents;
    next = at + n;
  }

  /** Where a chunk of {@code n} bytes goes, after dropping the oldest chunks in its way. */
  private int place(int n) {
    while (true) {
      if (count == 0) {
        next = 0;
        return 0;
      }
      int oldest = offset[head];
      if (next > oldest) { // kept chunks lie in [oldest, next): free space after next, and before oldest
        if (capacity - next >= n) {
          return next;
        }
        if (oldest >= n) {
          return 0; // the tail after next stays unused until the chunks before it are dropped
        }
      } else if (oldest - next >= n) { // wrapped: free space is [next, oldest)
        return next;
      }
      dropOldest();
    }
  }

  private void dropOlderThan(long now) {
    while (count > 0 && now - writtenAt[head] > maxAgeNanos) {
      dropOldest();
    }
  }

  private void dropOldest() {
    droppedChunks++;
    droppedEvents += events[head];
    keptEvents -= events[head];
    head = (head + 1) % MAX_CHUNKS;
    count--;
  }

  /** The writer is done: the chunks stay for a dump (the shutdown trigger dumps after the writer closed). */
  @Override
  public void close() {
    closed = true;
  }

  private boolean closed;

  /** Whether the writer closed this ring (it wrote its last chunk). */
  public boolean closed() {
    return closed;
  }

  /**
   * Writes the kept chunks (those within the age limit), oldest first, to {@code out}, then empties
   * the ring; the dropped-events count starts again.
   *
   * @return the bytes written
   */
  public long dumpTo(WritableByteChannel out) throws IOException {
    dropOlderThan(nanoClock.getAsLong());
    long bytes = 0;
    try {
      for (int i = 0; i < count; i++) {
        int slot = (head + i) % MAX_CHUNKS;
        ByteBuffer b = ByteBuffer.wrap(buffer, offset[slot], length[slot]);
        while (b.hasRemaining()) {
          bytes += out.write(b);
        }
      }
    } finally {
      clear();
    }
    return bytes;
  }

  /** Forgets every chunk (after a dump: what follows is the next dump's). */
  public void clear() {
    head = 0;
    count = 0;
    next = 0;
    keptEvents = 0;
    droppedEvents = 0;
    droppedChunks = 0;
  }

  /** Chunks kept now. */
  public int chunks() {
    return count;
  }

  /** Events in the chunks kept now. */
  public long events() {
    return keptEvents;
  }

  /** Bytes of the chunks kept now. */
  public long bytes() {
    long b = 0;
    for (int i = 0; i < count; i++) {
      b += length[(head + i) % MAX_CHUNKS];
    }
    return b;
  }

  /** Events in chunks dropped (size, age or count limit) since the last dump. */
  public long droppedEvents() {
    return droppedEvents;
  }

  /** Chunks dropped since the last dump. */
  long droppedChunks() {
    return droppedChunks;
  }

  /** The buffer's size: the most memory the ring holds (visible for testing). */
  int capacity() {
    return capacity;
  }

  /** Whether the buffer was allocated (visible for testing: bounded memory, allocated once). */
  byte[] bufferForTest() {
    return buffer;
  }
}
