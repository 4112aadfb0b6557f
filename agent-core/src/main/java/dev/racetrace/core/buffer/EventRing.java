package dev.racetrace.core.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

abstract class EventRingPad0 {
  long p00, p01, p02, p03, p04, p05, p06, p07;
  long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** Fields written by producers, on their own cache lines. */
abstract class EventRingProducerFields extends EventRingPad0 {
  /** Next slot to claim. Plain for an owned ring, CAS for a shared one. */
  long producerIndex;
  /** Cached {@code consumerIndex + capacity}; a stale value only causes a refresh. */
  long producerLimit;
  /** Records refused because the ring was full. */
  long dropped;
  /**
   * Owned ring: the seq of a publishing call (an enqueue, a submit, a signal) its owner has begun
   * and not yet recorded, with {@code RENEWED} set when the call returned; 0 when none.
   */
  long publishing;
}

abstract class EventRingPad1 extends EventRingProducerFields {
  long p20, p21, p22, p23, p24, p25, p26, p27;
  long p30, p31, p32, p33, p34, p35, p36, p37;
}

/** Fields written only by the single consumer (the exporter thread). */
abstract class EventRingConsumerFields extends EventRingPad1 {
  long consumerIndex;
  /** The {@code publishing} mark last read, and the nanoTime it was first read at. */
  long publishingSeen;
  long publishingSeenAt;
}

abstract class EventRingPad2 extends EventRingConsumerFields {
  long p40, p41, p42, p43, p44, p45, p46, p47;
  long p50, p51, p52, p53, p54, p55, p56, p57;
}

/**
 * A bounded ring of fixed-size event records, written by application threads and drained by one
 * exporter thread. Nothing here allocates, blocks or takes a lock.
 *
 * <p><b>Cardinality.</b> An <em>owned</em> ring has exactly one producer (the platform thread it
 * belongs to), which claims slots with plain writes. A <em>shared</em> ring (used by virtual threads
 * and by threads beyond the ring limit) has many producers, which claim slots with CAS. Either way
 * there is exactly one consumer.
 *
 * <p><b>Full ring.</b> The newest record is refused and counted in {@link #dropped()}; the producer
 * never waits.
 *
 * <p><b>Seq.</b> The caller takes the event's {@code seq} from the global sequence before it
 * publishes (offer, countDown, submit) and after it consumes (poll, await, task start); the ring only
 * carries it. The header of a record holds that seq and doubles as the commit marker.
 *
 * <pre>
 * record i occupies data[i*8 .. i*8+7] (one cache line) and refs[i*2 .. i*2+1]
 *  0 header  seq of the event, 0 = empty/uncommitted (written last, release)
 *  1 time    epoch nanoseconds
 *  2 meta    kind (bits 0-7) | outcome (8-15) | small (16-31) | call-site id (32-63)
 *  3 thread  id of the recording thread
 *  4 ids     object identity hash (low 32); the element's is taken by the exporter
 *  5 a       kind-specific value
 *  6 b       kind-specific value
 *  7 c       kind-specific value
 *  refs[2i]    key of the work, or null
 *  refs[2i+1]  the queue element or task, else an auxiliary reference (op name, ...), or null
 * </pre>
 * What {@code small}, {@code a}, {@code b} and {@code c} hold for each kind is the schema module's
 * {@code EventType} table (its {@code RecordField}s), shown in docs/journal-format.md.
 */
public final class EventRing extends EventRingPad2 {
  /** Longs per record. */
  public static final int RECORD_LONGS = 8;
  /** References per record. */
  public static final int RECORD_REFS = 2;

  public static final int HEADER = 0;
  public static final int TIME = 1;
  public static final int META = 2;
  public static final int THREAD = 3;
  public static final int IDS = 4;
  public static final int A = 5;
  public static final int B = 6;
  public static final int C = 7;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle PRODUCER_INDEX;
  private static final VarHandle PRODUCER_LIMIT;
  private static final VarHandle CONSUMER_INDEX;
  private static final VarHandle DROPPED;
  private static final VarHandle PUBLISHING;
  /** Set in {@code publishing} when the call returns: a new mark for the consumer's clock. */
  private static final long RENEWED = 1L << 62;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PRODUCER_INDEX = lookup.findVarHandle(EventRingProducerFields.class, "producerIndex", long.class);
      PRODUCER_LIMIT = lookup.findVarHandle(EventRingProducerFields.class, "producerLimit", long.class);
      DROPPED = lookup.findVarHandle(EventRingProducerFields.class, "dropped", long.class);
      PUBLISHING = lookup.findVarHandle(EventRingProducerFields.class, "publishing", long.class);
      CONSUMER_INDEX = lookup.findVarHandle(EventRingConsumerFields.class, "consumerIndex", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long[] data;
  private final Object[] refs;
  private final int capacity;
  private final int mask;
  private final boolean shared;
  private final long ownerThreadId;
  private final String ownerThreadName;
  /** Half the capacity: the fill at which {@link #wake} is told. */
  private final int half;
  /** Told when this ring passes half full; null: nobody. */
  private final DrainWake wake;

  /**
   * A ring that wakes nobody when it fills.
   *
   * @param capacity records, a power of two
   * @param shared whether several threads may write concurrently
   * @param ownerThreadId the owning thread, or -1 for a shared ring
   * @param ownerThreadName the owning thread's name at creation, or null for a shared ring
   */
  public EventRing(int capacity, boolean shared, long ownerThreadId, String ownerThreadName) {
    this(capacity, shared, ownerThreadId, ownerThreadName, null);
  }

  /**
   * @param capacity records, a power of two
   * @param shared whether several threads may write concurrently
   * @param ownerThreadId the owning thread, or -1 for a shared ring
   * @param ownerThreadName the owning thread's name at creation, or null for a shared ring
   * @param wake told (at most once per crossing) when the ring passes half full; null for none
   */
  public EventRing(int capacity, boolean shared, long ownerThreadId, String ownerThreadName, DrainWake wake) {
    if (capacity < 2 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two >= 2: " + capacity);
    }
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.shared = shared;
    this.ownerThreadId = ownerThreadId;
    this.ownerThreadName = ownerThreadName;
    this.half = capacity / 2;
    this.wake = wake;
    this.data = new long[capacity * RECORD_LONGS];
    this.refs = new Object[capacity * RECORD_REFS];
    this.producerLimit = capacity;
  }

  /**
   * Appends one record. Never blocks; returns false (and counts a drop) when the ring is full.
   *
   * @param seq the event's sequence number, never 0
   */
  public boolean write(long seq, long time, long meta, long thread, long ids, long a, long b, long c,
      Object key, Object aux) {
    long p = writeHeld(time, meta, thread, ids, a, b, c, key, aux);
    if (p < 0) {
      return false;
    }
    commit(p, seq);
    return true;
  }

  /**
   * Writes a record's body without committing it: the consumer stops at it, and at whatever the
   * writer appends behind it, until {@link #commit}. So a record and those that travel with it (its
   * state values, written after it) are drained together, never split by a drain pass. The caller
   * must commit what this returns (in a finally): an uncommitted record stops this ring for good.
   * Never blocks.
   *
   * @return the position to commit, or -1 when the ring is full (counted as dropped)
   */
  public long writeHeld(long time, long meta, long thread, long ids, long a, long b, long c,
      Object key, Object aux) {
    long p = shared ? claimShared() : claimOwned();
    if (p < 0) {
      return -1;
    }
    final long[] buf = data;
    final int i = (int) (p & mask);
    final int off = i * RECORD_LONGS;
    buf[off + TIME] = time;
    buf[off + META] = meta;
    buf[off + THREAD] = thread;
    buf[off + IDS] = ids;
    buf[off + A] = a;
    buf[off + B] = b;
    buf[off + C] = c;
    final int r = i * RECORD_REFS;
    refs[r] = key;
    refs[r + 1] = aux;
    return p;
  }

  /**
   * Commits the record at {@code position} (from {@link #writeHeld}) with its seq, never 0.
   */
  public void commit(long position, long seq) {
    // release: body is visible before the header commits it
    LONGS.setRelease(data, (int) (position & mask) * RECORD_LONGS, seq);
  }

  private long claimOwned() {
    long p = producerIndex; // plain: only the owner writes it
    long cached = producerLimit; // plain: only the owner writes it
    if (p >= cached) {
      long limit = (long) CONSUMER_INDEX.getAcquire(this) + capacity; // acquire: slots cleared by the consumer
      if (p >= limit) {
        DROPPED.setOpaque(this, dropped + 1); // opaque: single writer, read by the exporter
        return -1;
      }
      producerLimit = limit;
    } else if (p == cached - half) {
      producerLimit = halfMark(p); // once per value of the cached limit
    }
    PRODUCER_INDEX.setOpaque(this, p + 1); // opaque: single writer, read by backlog()
    return p;
  }

  /**
   * The producer index reached the middle between the consumer index last read and the limit it
   * gave: reads the consumer index again, wakes the consumer if the ring (with the record about to
   * be claimed at {@code p}) is at least half full, and returns the new limit. Its middle is past
   * {@code p} unless the ring is still at least half full, so a ring that stays above half wakes
   * nobody again until the consumer has moved.
   */
  private long halfMark(long p) {
    long consumer = (long) CONSUMER_INDEX.getAcquire(this); // acquire: as a refresh of the limit
    if (p - consumer >= half && wake != null) {
      wake.wake();
    }
    return consumer + capacity;
  }

  private long claimShared() {
    for (;;) {
      long p = (long) PRODUCER_INDEX.getVolatile(this); // volatile
      long limit = (long) PRODUCER_LIMIT.getOpaque(this); // opaque: a stale limit only forces a refresh
      if (p >= limit) {
        limit = (long) CONSUMER_INDEX.getAcquire(this) + capacity; // acquire
        if (p >= limit) {
          DROPPED.getAndAdd(this, 1L); // fetch-add: many writers
          return -1;
        }
        PRODUCER_LIMIT.setOpaque(this, limit); // opaque: benign race, consumer index only grows
      }
      if (PRODUCER_INDEX.compareAndSet(this, p, p + 1)) { // CAS
        if (p == limit - half) {
          // the one writer that claimed the middle of this limit
          PRODUCER_LIMIT.setOpaque(this, halfMark(p)); // opaque: benign race, as above
        }
        return p;
      }
    }
  }

  /**
   * Owner thread, before a call that publishes to other threads, with the seq taken for it: until
   * {@link #endPublishing} the consumer holds every later seq back ({@link #publishingBound}). The
   * seq is taken before the call and its record written after it, so another thread may see what
   * the call published, and record what it did with it, before this thread's record exists. The
   * outermost call's mark stands (a nested call has a later seq). No-op on a shared ring.
   */
  public void beginPublishing(long seq) {
    if (!shared && publishing == 0L) { // plain read: only the owner writes it
      // opaque: the call's own release (a queue's lock, a volatile write) publishes it with the element
      PUBLISHING.setOpaque(this, seq);
    }
  }

  /**
   * Owner thread: the publishing call of {@code seq} returned; renews its mark, so that however
   * long the call blocked the consumer holds later seqs back again until the record is written.
   */
  public void publishingReturned(long seq) {
    long p = publishing; // plain: only the owner writes it
    if (p == seq) { // once: a second call finds it renewed already
      PUBLISHING.setOpaque(this, seq | RENEWED); // opaque: single writer, read by the consumer
    }
  }

  /** Owner thread: the record of {@code seq} was written (or given up); clears its mark. */
  public void endPublishing(long seq) {
    long p = publishing; // plain: only the owner writes it
    if (p != 0L && (p & ~RENEWED) == seq) {
      PUBLISHING.setRelease(this, 0L); // release: the record is visible before the mark is gone
    }
  }

  /**
   * Consumer thread: the highest seq that may be assembled while this ring's owner is inside a
   * publishing call ({@link #beginPublishing}): one below its seq; {@code Long.MAX_VALUE} when it
   * is in none, or when the same mark has stood for {@code holdNanos} (a call blocked that long,
   * as a put on a full queue may, does not hold the others back; its return renews the mark).
   * Read before {@link #headSeq()}: a cleared mark's record is then seen there.
   */
  public long publishingBound(long nowNanos, long holdNanos) {
    long p = (long) PUBLISHING.getAcquire(this); // acquire: pairs with endPublishing's release
    if (p == 0L) {
      return Long.MAX_VALUE;
    }
    if (p != publishingSeen) {
      publishingSeen = p; // plain: consumer only
      publishingSeenAt = nowNanos;
    } else if (nowNanos - publishingSeenAt >= holdNanos) {
      return Long.MAX_VALUE;
    }
    return (p & ~RENEWED) - 1;
  }

  /**
   * Moves up to {@code maxRecords} committed records, oldest first, into {@code dst} and
   * {@code dstRefs} (laid out as in the ring) and frees their slots. Consumer thread only.
   *
   * @return the number of records moved
   */
  public int drainTo(long[] dst, Object[] dstRefs, int maxRecords) {
    final long[] d = data;
    long ci = consumerIndex; // plain: single consumer
    int n = 0;
    while (n < maxRecords) {
      final int i = (int) (ci & mask);
      final int off = i * RECORD_LONGS;
      long header = (long) LONGS.getAcquire(d, off); // acquire: pairs with the producer's release
      if (header == 0L) {
        break;
      }
      System.arraycopy(d, off, dst, n * RECORD_LONGS, RECORD_LONGS);
      dst[n * RECORD_LONGS] = header;
      final int r = i * RECORD_REFS;
      dstRefs[n * RECORD_REFS] = refs[r];
      dstRefs[n * RECORD_REFS + 1] = refs[r + 1];
      refs[r] = null;
      refs[r + 1] = null;
      d[off] = 0L; // plain: published to producers by the consumer-index release below
      ci++;
      n++;
    }
    if (n > 0) {
      CONSUMER_INDEX.setRelease(this, ci); // release: cleared slots before the new index
    }
    return n;
  }

  /**
   * Whether a record would be refused now. Any producer may ask; a stale answer only costs one
   * recorded or one skipped event.
   */
  public boolean isFull() {
    return (long) PRODUCER_INDEX.getOpaque(this) - (long) CONSUMER_INDEX.getAcquire(this) >= capacity; // opaque, acquire
  }

  /** Counts an event the caller did not even try to write because {@link #isFull()} said so. */
  public void countSkipped() {
    if (shared) {
      DROPPED.getAndAdd(this, 1L); // fetch-add: many writers
    } else {
      DROPPED.setOpaque(this, dropped + 1); // opaque: single writer
    }
  }

  /** Records refused because the ring was full (monotonic). */
  public long dropped() {
    return (long) DROPPED.getOpaque(this); // opaque
  }

  /** Whether no committed record is waiting for the consumer. Consumer thread only. */
  public boolean isEmpty() {
    return (long) LONGS.getAcquire(data, (int) (consumerIndex & mask) * RECORD_LONGS) == 0L; // acquire
  }

  /**
   * The seq of the next committed record waiting for the consumer (its header), or 0 when none is.
   * Consumer thread only.
   */
  public long headSeq() {
    return (long) LONGS.getAcquire(data, (int) (consumerIndex & mask) * RECORD_LONGS); // acquire
  }

  /**
   * Whether the next committed record waiting for the consumer has {@code seq} and {@code kind} (the
   * low byte of its meta): a record that travels with the one of that seq just taken (its state
   * values), which a drain's limit must not leave behind. Consumer thread only.
   */
  public boolean headIs(long seq, int kind) {
    int off = (int) (consumerIndex & mask) * RECORD_LONGS;
    return (long) LONGS.getAcquire(data, off) == seq // acquire: the body below is the committed one
        && (data[off + META] & 0xFF) == kind;
  }

  /** Approximate number of records waiting to be drained. */
  public long backlog() {
    return (long) PRODUCER_INDEX.getOpaque(this) - (long) CONSUMER_INDEX.getOpaque(this); // opaque
  }

  public int capacity() {
    return capacity;
  }

  public boolean isShared() {
    return shared;
  }

  public long ownerThreadId() {
    return ownerThreadId;
  }

  public String ownerThreadName() {
    return ownerThreadName;
  }
}
