package dev.racetrace.agent.export.journal;

/**
 * The binary journal's layout, in one place for the writer and the reader (docs/journal-format.md
 * describes it byte by byte). A journal file is a sequence of chunks; each chunk starts with a
 * header and carries its own string pool, so every complete chunk can be read on its own.
 *
 * <pre>
 * chunk:  0 magic    u32  'R' 'T' 'J' 'C'
 *         4 version  u16
 *         6 reserved u16  0
 *         8 headerLength u32   H
 *        12 bodyLength   u32   B
 *        16 records      u32   records in the body
 *        20 crc32        u32   CRC-32 of bytes [24, 24 + H + B)
 *        24 header: anchorEpochNanos i64, anchorNanoTime i64, entries u32, entries x (key str, value str)
 *    24 + H body: records, each starting with a one-byte tag
 * </pre>
 * All numbers little-endian; strings in the header are u32 length + UTF-8 bytes.
 */
public final class JournalFormat {
  public static final int MAGIC = 0x434A5452; // "RTJC" read little-endian
  /** Written; 2 adds {@link #APP_CONTEXT}. */
  public static final int VERSION = 2;
  /** The oldest version read (version 1 has every record but {@link #APP_CONTEXT}). */
  public static final int OLDEST_READ_VERSION = 1;
  public static final int CHUNK_PREFIX = 24;
  public static final String EXTENSION = ".rtj";

  /** An event record (fixed 76 bytes with its tag). */
  static final byte EVENT = 1;
  /** A string pool entry: id i32, length u16, UTF-8 bytes. */
  static final byte STRING = 2;
  /** A call site: id, className, methodName, line, target, receiverName (string refs, -1 null). */
  static final byte SITE = 3;
  /** A state probe's name: index i32, name ref i32. */
  static final byte PROBE = 4;
  /** A state probe value recorded with the thread's previous event of the same seq. */
  static final byte STATE = 5;
  /** A thread's name from here on: threadId i64, name ref i32. */
  static final byte THREAD = 6;
  /** Start of one exporter pass: nanoTime, epochNanos, dropped, internalErrors, lostLinks (i64 each). */
  static final byte BATCH = 7;
  /** A thread ended (its ring was retired) in this pass: threadId i64. */
  static final byte THREAD_END = 8;
  /**
   * After a pass's records: events of this pass with a higher seq (i64) may follow events still
   * in the rings, so a reader holds them back to a later pass (as the live exporter does).
   */
  static final byte WATERMARK = 9;
  /**
   * The application's current span on a thread from here on (racetrace.otel.link): threadId i64,
   * traceId 16 bytes, spanId 8 bytes, trace flags u8; all zero when the thread has none.
   */
  static final byte APP_CONTEXT = 10;

  static final int EVENT_SIZE = 76;
  static final int SITE_SIZE = 25;
  static final int PROBE_SIZE = 9;
  static final int STATE_SIZE = 29;
  static final int THREAD_SIZE = 13;
  static final int BATCH_SIZE = 41;
  static final int THREAD_END_SIZE = 9;
  static final int WATERMARK_SIZE = 9;
  static final int APP_CONTEXT_SIZE = 34;
  /** Pooled strings are cut to this many chars, so one record with its definitions has a bound. */
  static final int MAX_STRING_CHARS = 4096;
  static final int MAX_STRING_BYTES = MAX_STRING_CHARS * 3;
  /** Room kept free for one event with every definition it may need. */
  static final int RECORD_RESERVE = EVENT_SIZE + SITE_SIZE + PROBE_SIZE + STATE_SIZE + THREAD_SIZE
      + 7 * (7 + MAX_STRING_BYTES);

  private JournalFormat() {}
}
