package dev.racetrace.agent.export.journal;

import static dev.racetrace.agent.export.journal.JournalFormat.APP_CONTEXT;
import static dev.racetrace.agent.export.journal.JournalFormat.BATCH;
import static dev.racetrace.agent.export.journal.JournalFormat.CHUNK_PREFIX;
import static dev.racetrace.agent.export.journal.JournalFormat.EVENT;
import static dev.racetrace.agent.export.journal.JournalFormat.RECORD_RESERVE;
import static dev.racetrace.agent.export.journal.JournalFormat.STATE;
import static dev.racetrace.agent.export.journal.JournalFormat.THREAD_END;

import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.buffer.EventRing;
import io.opentelemetry.api.trace.SpanContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * Copies ring records into journal chunks (see {@link JournalFormat}): fixed-size event records,
 * and pool entries for the strings, call sites, probes and thread names they refer to, written
 * the first time a chunk refers to them ({@link JournalPools}). The chunk buffer is allocated once; an event whose
 * strings are already pooled costs no allocation (a key that is not a String is turned into one).
 * A chunk goes to the output when it is full or {@link #flushIfOlder} says it has waited long
 * enough, in one write, so a process killed mid-write leaves at most its last chunk incomplete.
 * Exporter thread only.
 *
 * <p>Some 370 lines: the record copy is the journal's hot loop and the chunk it writes
 * into is its own state, so the copy, the pool references, the application span contexts
 * (racetrace.otel.link) and the chunk framing stay together.
 */
public final class JournalWriter implements RingDrainer.RecordSink {
  /**
   * Records per pass to the journal: copying is cheap, so the rings are emptied in larger bites.
   * The journal's replay sizes its in-order release by it.
   */
  public static final int MAX_JOURNAL_RECORDS_PER_CYCLE = 65_536;

  /** Where complete chunks go. */
  public interface Output {
    void write(ByteBuffer chunk) throws IOException;

    /** Writes a chunk holding {@code events} event records (an output with a budget counts them). */
    default void write(ByteBuffer chunk, int events) throws IOException {
      write(chunk);
    }

    void close() throws IOException;
  }

  private final Output out;
  private final java.util.concurrent.atomic.AtomicLong failures;
  private final Naming naming;
  /** racetrace.otel.link: the application's span contexts are journaled through it; null: not. */
  private Function<Object, SpanContext> appSpans;
  private byte[] headerEntries;
  private final Map<String, String> header;
  /** Events rotated out under racetrace.out.max, and the count the header entries carry. */
  private final java.util.concurrent.atomic.AtomicLong rotated;
  private long rotatedInHeader;
  private final ByteBuffer buf;
  private final CRC32 crc = new CRC32();
  private final JournalPools pools = new JournalPools();
  /** Records in the current chunk other than pool entries. */
  private int records;
  /** Event records in the current chunk. */
  private int events;
  private long chunkStartNanos;
  private final long[] pending = new long[5];
  private boolean batchPending;
  private boolean failed;
  private long chunksWritten;
  /** A chunk write was left by an Error: the buffer is in no state to be written again. */
  private boolean writeInterrupted;
  /** Any ring record came: from then on the journal is written, counters and all. */
  private boolean recorded;
  private long writeFailures;

  /**
   * @param header the chunk header's entries (node, resource, config, rules), written in every chunk
   * @param chunkBytes chunk size; at least 64 KiB more than a record with all its definitions
   */
  public JournalWriter(Output out, Naming naming, Map<String, String> header, int chunkBytes) {
    this(out, naming, header, chunkBytes, new java.util.concurrent.atomic.AtomicLong());
  }

  /** @param failures counts chunks that could not be written (racetrace.stats' export failures) */
  JournalWriter(Output out, Naming naming, Map<String, String> header, int chunkBytes,
      java.util.concurrent.atomic.AtomicLong failures) {
    this(out, naming, header, chunkBytes, failures, new java.util.concurrent.atomic.AtomicLong());
  }

  /**
   * @param rotated events in journal parts deleted under racetrace.out.max: every chunk started
   *     after it changes carries it in its header ({@link JournalHeader#ROTATED_EVENTS})
   */
  public JournalWriter(Output out, Naming naming, Map<String, String> header, int chunkBytes,
      java.util.concurrent.atomic.AtomicLong failures, java.util.concurrent.atomic.AtomicLong rotated) {
    this.failures = failures;
    this.out = out;
    this.naming = naming;
    this.header = new java.util.LinkedHashMap<>(header);
    this.rotated = rotated;
    this.headerEntries = encodeEntries(header);
    this.buf = ByteBuffer.allocate(Math.max(chunkBytes, RECORD_RESERVE + (1 << 16) + headerEntries.length))
        .order(ByteOrder.LITTLE_ENDIAN);
    startChunk();
  }

  /**
   * Starts one exporter pass: the replay runs its expiry with this clock, as the live exporter
   * would. Written before the pass's first record, so passes that found nothing cost nothing.
   */
  public void beginBatch(long nanoTime, long epochNanos, long dropped, long internalErrors, long lostLinks) {
    pending[0] = nanoTime;
    pending[1] = epochNanos;
    pending[2] = dropped;
    pending[3] = internalErrors;
    pending[4] = lostLinks;
    batchPending = true;
  }

  /**
   * The last pass at shutdown: its counters are written even without records, once anything was
   * recorded (a process that recorded nothing leaves no file).
   */
  public void endRecording(long nanoTime, long epochNanos, long dropped, long internalErrors, long lostLinks) {
    if (!recorded && chunksWritten == 0) {
      return;
    }
    beginBatch(nanoTime, epochNanos, dropped, internalErrors, lostLinks);
    writePendingBatch();
  }

  private void writePendingBatch() {
    if (!batchPending) {
      return;
    }
    batchPending = false;
    ensure(JournalFormat.BATCH_SIZE);
    buf.put(BATCH).putLong(pending[0]).putLong(pending[1]).putLong(pending[2]).putLong(pending[3])
        .putLong(pending[4]);
    records++;
  }

  /**
   * The drain's watermark ({@link RingDrainer#watermark()}) after this pass's records; written
   * only when the pass wrote records and may have left earlier ones behind.
   */
  public void watermark(long seq) {
    if (batchPending || seq == Long.MAX_VALUE) {
      return;
    }
    ensure(JournalFormat.WATERMARK_SIZE);
    buf.put(JournalFormat.WATERMARK).putLong(seq);
    records++;
  }

  public void threadEnded(long threadId) {
    writePendingBatch();
    ensure(JournalFormat.THREAD_END_SIZE);
    buf.put(THREAD_END).putLong(threadId);
    records++;
    pools.threadEnded(threadId);
  }

  /**
   * Journals the application's span contexts, read with {@code converter} (racetrace.otel.link), so
   * that spans built from the journal link to the application's spans as live ones do. Set before
   * the first pass.
   */
  public void linkAppSpans(Function<Object, SpanContext> converter) {
    this.appSpans = converter;
  }

  /** A thread's application span context from here on; nothing unless {@link #linkAppSpans} was called. */
  @Override
  public void appContext(long threadId, Object context) {
    Function<Object, SpanContext> converter = appSpans;
    if (converter == null) {
      return;
    }
    SpanContext c = context == null ? null : converter.apply(context);
    recorded = true;
    writePendingBatch();
    ensure(JournalFormat.APP_CONTEXT_SIZE);
    buf.put(APP_CONTEXT).putLong(threadId);
    if (c == null || !c.isValid()) {
      buf.putLong(0).putLong(0).putLong(0).put((byte) 0);
    } else {
      buf.put(c.getTraceIdBytes()).put(c.getSpanIdBytes()).put(c.getTraceFlags().asByte());
    }
    records++;
  }

  /** Copies record {@code i} of a drained batch ({@link EventRing#drainTo} layout). */
  @Override
  public void record(long[] longs, Object[] refs, int i, String threadName) {
    recorded = true;
    writePendingBatch();
    ensure(RECORD_RESERVE);
    int o = i * EventRing.RECORD_LONGS;
    long meta = longs[o + EventRing.META];
    int kind = (int) (meta & 0xFF);
    long threadId = longs[o + EventRing.THREAD];
    if (kind == EventKind.STATE) {
      int probe = (int) longs[o + EventRing.A];
      pools.defineProbe(buf, probe);
      buf.put(STATE).putLong(threadId).putLong(longs[o + EventRing.HEADER]).putInt(probe)
          .putLong(longs[o + EventRing.B]);
      records++;
      return;
    }
    int site = (int) (meta >>> 32);
    pools.defineSite(buf, site);
    pools.defineThread(buf, threadId, threadName);
    Object key = refs[i * EventRing.RECORD_REFS];
    Object aux = refs[i * EventRing.RECORD_REFS + 1];
    long ids = longs[o + EventRing.IDS];
    int elemId = (int) (ids >>> 32);
    if (Event.carriesElement(kind) && aux != null && !(aux instanceof Class)) {
      elemId = System.identityHashCode(aux); // as Event.decode: identity and class, not the element
      aux = aux.getClass();
    }
    int keyRef = key == null ? -1 : pools.string(buf, Naming.key(key));
    int auxRef = auxRef(kind, aux);
    buf.put(EVENT).put((byte) kind).put((byte) (meta >>> 8)).put((byte) 0)
        .putShort((short) (meta >>> 16)).putShort((short) 0)
        .putLong(longs[o + EventRing.HEADER]).putLong(longs[o + EventRing.TIME]).putLong(threadId)
        .putInt(site).putInt((int) ids).putInt(elemId).putInt(keyRef)
        .putLong(longs[o + EventRing.A]).putLong(longs[o + EventRing.B]).putLong(longs[o + EventRing.C])
        .putInt(auxRef);
    records++;
    events++;
  }

  /**
   * The auxiliary reference as the assembler reads it, resolved here: the op name of an element or
   * task class (configured or simple name), a mark's op, a guard method's decision, a delay rule.
   */
  private int auxRef(int kind, Object aux) {
    if (Event.carriesElement(kind)) {
      String op = naming.op(aux);
      return op == null ? -1 : pools.string(buf, op);
    }
    if (aux == null) {
      return -1;
    }
    switch (kind) {
      case EventKind.MARK:
        return aux instanceof String ? pools.string(buf, (String) aux) : -1;
      case EventKind.DELAY:
        return pools.string(buf, String.valueOf(aux));
      default:
        return pools.string(buf, Naming.key(aux));
    }
  }

  /** Writes the chunk if it holds records and was started at least {@code maxAgeNanos} ago. */
  public void flushIfOlder(long now, long maxAgeNanos) {
    if (records + pools.entries() > 0 && now - chunkStartNanos >= maxAgeNanos) {
      finishChunk();
      startChunk();
    }
  }

  /**
   * Writes what is buffered and closes the output. After a write that an {@code Error} cut short
   * (racetrace stopping itself), the buffer is not written again: the file keeps its whole chunks.
   */
  public void close() {
    if (records + pools.entries() > 0 && !writeInterrupted) {
      finishChunk();
    }
    try {
      out.close();
    } catch (IOException e) {
      writeFailures++;
    }
  }

  long chunksWritten() {
    return chunksWritten;
  }

  long writeFailures() {
    return writeFailures;
  }

  // ------------------------------------------------------------------ chunks

  private void ensure(int bytes) {
    if (buf.remaining() < bytes) {
      finishChunk();
      startChunk();
    }
  }

  private void startChunk() {
    buf.clear();
    pools.newChunk();
    records = 0;
    events = 0;
    chunkStartNanos = System.nanoTime();
    long r = rotated.get();
    if (r != rotatedInHeader) { // rare: a part was deleted
      rotatedInHeader = r;
      header.put(JournalHeader.ROTATED_EVENTS, Long.toString(r));
      headerEntries = encodeEntries(header);
    }
    buf.position(CHUNK_PREFIX);
    buf.putLong(dev.racetrace.core.Clock.now()).putLong(chunkStartNanos); // clock anchor
    buf.put(headerEntries);
  }

  private void finishChunk() {
    int end = buf.position();
    int headerLength = 16 + headerEntries.length;
    buf.putInt(0, JournalFormat.MAGIC);
    buf.putShort(4, (short) JournalFormat.VERSION);
    buf.putShort(6, (short) 0);
    buf.putInt(8, headerLength);
    buf.putInt(12, end - CHUNK_PREFIX - headerLength);
    buf.putInt(16, records + pools.entries());
    crc.reset();
    crc.update(buf.array(), CHUNK_PREFIX, end - CHUNK_PREFIX);
    buf.putInt(20, (int) crc.getValue());
    buf.position(0).limit(end);
    writeInterrupted = true; // until the write returns or fails as writes fail
    try {
      out.write(buf, events);
      writeInterrupted = false;
      chunksWritten++;
    } catch (IOException e) {
      // a refused directory or a full disk: the chunk is lost and counted, said once, recording goes on
      writeInterrupted = false;
      writeFailures++;
      failures.incrementAndGet();
      if (!failed) {
        failed = true;
        dev.racetrace.agent.internal.Log.get().warn("journal", "journal write failed; its chunks are lost "
            + "until writing works again", e);
      }
    }
  }

  /** Header entries: count u32, then key and value as u32 length + UTF-8. */
  public static byte[] encodeEntries(Map<String, String> header) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    ByteBuffer n = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    b.writeBytes(n.putInt(0, header.size()).array());
    for (Map.Entry<String, String> e : header.entrySet()) {
      for (String s : new String[] {e.getKey(), e.getValue()}) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.writeBytes(n.putInt(0, bytes.length).array());
        b.writeBytes(bytes);
      }
    }
    return b.toByteArray();
  }
}
