package dev.racetrace.core.task;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The side table that links a task's submit to its run without touching the task: a fixed array
 * of slots in buckets of {@value #WAYS}, the bucket chosen by the task's identity hash, each slot
 * holding what the run needs from the submit (its seq, the time the task became ready, the call
 * site, the executor's identity). It holds no reference to any object, so it never keeps a task,
 * its class or its executor alive, and it never grows: a new link goes to a free slot of its bucket,
 * else it overwrites the bucket's oldest link (the least likely to still be pending: a task that
 * was cancelled, discarded or run where racetrace does not see it), which is counted as lost
 * ({@link #lostLinks()}).
 *
 * <p>A slot is identified by the task's identity hash and its class's identity hash together, so a
 * different object that happens to share the slot (or even the identity hash) is not mistaken for
 * the task.
 *
 * <p>A link that has been used (its task ran, or its submit failed) is marked <em>taken</em> with one
 * opaque store of its seq, not removed under the seqlock: the run side then costs no atomic
 * read-modify-write, and a taken slot is free for the next link.
 *
 * <h2>Slot layout (8 longs, one cache line)</h2>
 * <pre>
 *   0 VERSION  seqlock: odd while a writer owns the slot
 *   1 KEY      task identity hash (high 32) | class identity hash (low 32); 0 = empty
 *   2 SEQ      the submit's seq (the run's causal id)
 *   3 READY    nanoTime the task became ready: its submit, then the end of its last run (periodic)
 *   4 SITE     submit call site (high 32) | executor identity hash (low 32)
 *   5 FLAGS    {@link #PERIODIC}
 *   6 TAKEN    the seq of the link if it has been used, else 0 (seqs start at 1)
 *   7          padding
 * </pre>
 *
 * <h2>Ordering</h2>
 * A writer takes the slot by CAS of VERSION from even {@code v} to {@code v+1}; it does not wait:
 * if the slot is being written, it tries the bucket's next choice, and only when all
 * {@value #WAYS} tries lose is its link given up and counted lost. It then writes the body
 * (plain) and publishes it by writing {@code v+2} (release). A reader reads VERSION (acquire),
 * the body (plain), then VERSION again after a load fence; the body is valid only if both reads
 * are the same even value. Readers never block writers. TAKEN is written outside the seqlock (opaque,
 * by the thread that runs the task): a link is taken only while TAKEN equals its own SEQ, so a
 * store racing a writer that is replacing the link (TAKEN reset to 0 with a new, different SEQ)
 * leaves the new link pending.
 *
 * <p>This class is internal to racetrace and not a public API.
 */
public final class TaskTable {
  static final int VERSION = 0;
  static final int KEY = 1;
  static final int SEQ = 2;
  static final int READY = 3;
  static final int SITE = 4;
  static final int FLAGS = 5;
  static final int TAKEN = 6;
  private static final int SHIFT = 3; // 8 longs a slot
  static final int WAYS = 4;
  /** victim(): the slot chosen holds the bucket's oldest pending link (no slot was free). */
  private static final int OLDEST = 1 << 30;
  private static final int MAX_CAPACITY = 1 << 26; // slot indexes stay below OLDEST

  /** The task runs more than once (scheduleAtFixedRate/WithFixedDelay): its link is kept after a run. */
  public static final long PERIODIC = 1;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private final long[] slots;
  private final int mask;
  private final AtomicLong lost = new AtomicLong();

  /** @param capacity number of slots, a power of two from {@value #WAYS} to 2^26 */
  public TaskTable(int capacity) {
    if (Integer.bitCount(capacity) != 1 || capacity < WAYS || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException(
          "capacity must be a power of two >= " + WAYS + " and <= " + MAX_CAPACITY + ": " + capacity);
    }
    this.slots = new long[capacity << SHIFT];
    this.mask = capacity / WAYS - 1;
  }

  /** The identity key of a task: its identity hash and its class's, never 0 for a non-null task. */
  public static long keyOf(Object task) {
    long k = ((long) System.identityHashCode(task) << 32)
        | (System.identityHashCode(task.getClass()) & 0xFFFFFFFFL);
    return k == 0 ? 1 : k;
  }

  /** Index of the first slot of the key's bucket. */
  private int bucketOf(long key) {
    int h = (int) (key >>> 32);
    h ^= h >>> 16; // identity hashes are random on HotSpot; spread them anyway for other JVMs
    return (h & mask) * WAYS << SHIFT;
  }

  /**
   * The slot holding {@code key}'s pending link, or -1. The common miss costs plain reads of the
   * bucket's keys (adjacent cache lines). A used link of the same task, and a slot another thread is
   * rewriting, are passed over: the task's link may have gone to another way while its old slot was
   * being rewritten. A slot found held a pending link of the key when looked at, so a writer that
   * takes it before the caller's {@link #version} only overwrites a link that was lost anyway (a full
   * bucket's oldest) or a second submit of the same task. A racy miss only loses a link that raced
   * its own submit.
   */
  public int locate(long key) {
    long[] s = slots;
    int b = bucketOf(key);
    for (int i = 0; i < WAYS; i++) {
      int slot = b + (i << SHIFT);
      if (s[slot + KEY] == key && version(slot, key) >= 0) { // plain key read, then as version() reads
        return slot;
      }
    }
    return -1;
  }

  /**
   * The slot to write {@code key} to: its own (one link per task), else the first free one from way
   * {@code firstWay} on, else (flagged {@link #OLDEST}) the oldest link of the bucket. A slot another
   * thread is writing is passed over. -1 when every slot of the bucket is being written.
   */
  private int victim(long key, int firstWay) {
    long[] s = slots;
    int b = bucketOf(key);
    int free = -1;
    int oldest = -1;
    for (int i = 0; i < WAYS; i++) {
      int slot = b + (((firstWay + i) & (WAYS - 1)) << SHIFT);
      if ((s[slot + VERSION] & 1) != 0) { // plain: a racy read only costs one more try in put()
        continue;
      }
      long k = s[slot + KEY]; // plain: put() checks again under the version it takes the slot at
      if (k == key) {
        return slot;
      }
      if (free >= 0) {
        continue; // looking on only for the task's own slot
      }
      if (k == 0 || taken(s, slot)) {
        free = slot;
      } else if (oldest < 0 || s[slot + SEQ] < s[oldest + SEQ]) {
        oldest = slot;
      }
    }
    return free >= 0 ? free : oldest < 0 ? -1 : oldest | OLDEST;
  }

  /** Whether a link of {@code key} may go to the slot without overwriting another pending link. */
  private static boolean free(long[] s, int slot, long key) {
    long k = s[slot + KEY];
    return k == key || k == 0 || taken(s, slot);
  }

  /**
   * Links {@code key} to a submit. Never blocks: a slot another thread is writing, or has just
   * given a link of its own (a submit racing this one for the same free slot), is passed over for
   * the bucket's next choice, each try starting its search one way further on, at most
   * {@value #WAYS} tries; only when every try loses is the link not made (counted lost).
   * @return whether the link was stored
   */
  public boolean put(long key, long seq, long readyNanos, int site, int executorId, long flags) {
    long[] s = slots;
    for (int i = 0; i < WAYS; i++) {
      int choice = victim(key, i);
      if (choice < 0) {
        break;
      }
      int b = choice & ~OLDEST;
      long v = (long) LONGS.getVolatile(s, b + VERSION); // volatile: the reads below see version v
      if ((v & 1) != 0 || (choice & OLDEST) == 0 && !free(s, b, key)) {
        continue;
      }
      if (LONGS.compareAndSet(s, b + VERSION, v, v + 1)) { // CAS: fails if anyone wrote since v
        write(b, v, key, seq, readyNanos, site, executorId, flags);
        return true;
      }
    }
    lost.incrementAndGet();
    return false;
  }

  /** Writes a link into slot {@code b}, whose VERSION this thread moved from {@code v} to {@code v+1}. */
  private void write(int b, long v, long key, long seq, long readyNanos, int site, int executorId, long flags) {
    long[] s = slots;
    if (s[b + KEY] != 0 && !taken(s, b)) {
      lost.incrementAndGet(); // a pending link (or a stale one whose task never ran) is overwritten
    }
    s[b + KEY] = key;
    s[b + SEQ] = seq;
    s[b + READY] = readyNanos;
    s[b + SITE] = ((long) site << 32) | (executorId & 0xFFFFFFFFL);
    s[b + FLAGS] = flags;
    LONGS.setOpaque(s, b + TAKEN, 0L); // opaque: a racing take() of the old link stores atomically too
    LONGS.setRelease(s, b + VERSION, v + 2); // release: publishes the body
  }

  /**
   * The version of a slot found by {@link #locate} if it still holds {@code key}'s link and that link
   * has not been taken, else -1. Read the fields with {@link #seq} etc., then check
   * {@link #stillValid}.
   */
  public long version(int slot, long key) {
    long[] s = slots;
    long v = (long) LONGS.getAcquire(s, slot + VERSION); // acquire
    if ((v & 1) != 0 || s[slot + KEY] != key || taken(s, slot)) {
      return -1;
    }
    return v;
  }

  /** Whether the fields read since {@link #find} returned {@code version} are consistent. */
  public boolean stillValid(int slot, long version) {
    VarHandle.loadLoadFence();
    return (long) LONGS.getOpaque(slots, slot + VERSION) == version; // opaque, after the load fence
  }

  public long seq(int slot) {
    return slots[slot + SEQ];
  }

  public long readyNanos(int slot) {
    return slots[slot + READY];
  }

  public int site(int slot) {
    return (int) (slots[slot + SITE] >>> 32);
  }

  public int executorId(int slot) {
    return (int) slots[slot + SITE];
  }

  public long flags(int slot) {
    return slots[slot + FLAGS];
  }

  /**
   * Marks the link with {@code seq} (read from {@code slot}) as used: its task runs, or its submit
   * failed. One opaque store, no atomic read-modify-write: a writer that is putting a new link in
   * the slot meanwhile is unaffected (its seq differs), and the slot is free for the next link.
   */
  public void take(int slot, long seq) {
    LONGS.setOpaque(slots, slot + TAKEN, seq); // opaque: an atomic 64-bit store, read by taken()
  }

  /**
   * Whether the slot's link has been used ({@link #take}); an empty slot counts as used. TAKEN is
   * read opaque: it is stored outside the seqlock by the thread that runs the task.
   */
  private static boolean taken(long[] s, int slot) {
    return (long) LONGS.getOpaque(s, slot + TAKEN) == s[slot + SEQ];
  }

  /** Sets READY of the slot if it still holds {@code key} linked to {@code seq} (periodic tasks). */
  public void ready(long key, long seq, long readyNanos) {
    long[] s = slots;
    int b = locate(key);
    if (b < 0) {
      return;
    }
    long v = (long) LONGS.getVolatile(s, b + VERSION); // volatile
    if ((v & 1) != 0 || s[b + KEY] != key || s[b + SEQ] != seq) {
      return;
    }
    if (LONGS.compareAndSet(s, b + VERSION, v, v + 1)) { // CAS
      if (s[b + KEY] == key && s[b + SEQ] == seq) {
        s[b + READY] = readyNanos;
      }
      LONGS.setRelease(s, b + VERSION, v + 2); // release
    }
  }

  /** Links lost: overwritten before their task ran, or not stored because their slot was busy. */
  public long lostLinks() {
    return lost.get();
  }
}
