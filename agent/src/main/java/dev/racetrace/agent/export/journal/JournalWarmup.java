package dev.racetrace.agent.export.journal;

import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.buffer.EventRing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collections;

/**
 * Runs the journal's copy path (ring drain, record encoding, chunk finish) over synthetic records
 * once, on the exporter thread before its first pass, into a writer of its own whose chunks go
 * nowhere.
 *
 * <p>Why: interpreted, a journal record costs several microseconds; the first passes that meet an
 * application's burst then take tens to hundreds of milliseconds, and a default ring (4,096 records)
 * fills in 20 ms at 200k events/s. Measured before this existed: every event lost at 200k events/s
 * was lost in the first busy pass (82–206 ms long, 12k–15k records), none afterwards. After this
 * run the methods of that path have been compiled (C1) and the first real pass is as fast as the
 * later ones.
 *
 * <p>Touches nothing shared: its own ring (not registered), its own writer, pools and names (the
 * journal's constant pools, the thread-name queue and the counters are not involved).
 */
public final class JournalWarmup {
  /**
   * Synthetic records: above the interpreter's compile thresholds (C1 at 200 invocations, loops at a
   * few thousand iterations) for the methods run once per record, and a few milliseconds of CPU.
   */
  static final int RECORDS = 6_144;
  private static final int RING = 1_024;

  private JournalWarmup() {}

  /** @return the records encoded (those written to the scratch writer) */
  public static long run() {
    Discard out = new Discard();
    JournalWriter w = new JournalWriter(out, new Naming(new OpNames(Collections.emptyMap())),
        Collections.singletonMap("warmup", "true"), 1 << 16);
    EventRing ring = new EventRing(RING, false, -1, null);
    long[] buf = new long[RING * EventRing.RECORD_LONGS];
    Object[] refs = new Object[RING * EventRing.RECORD_REFS];
    Object[] elements = {new Object(), "element", 1L, new int[0]};
    String[] names = {"warmup-a", "warmup-b"};
    long seq = 1;
    long time = System.nanoTime();
    while (seq <= RECORDS) {
      w.beginBatch(time, time, 0, 0, 0);
      for (int i = 0; i < RING && seq <= RECORDS; i++, seq++) {
        int kind = (i & 1) == 0 ? EventKind.QUEUE_ENQUEUE : EventKind.QUEUE_DEQUEUE;
        long meta = kind | ((long) (i & 7) << 32);
        ring.write(seq, time + seq, meta, i & 1, seq, 0, 0, 0, (i & 3) == 0 ? "key" : null, elements[i & 3]);
      }
      int n;
      while ((n = ring.drainTo(buf, refs, RING)) > 0) {
        for (int i = 0; i < n; i++) {
          w.record(buf, refs, i, names[(int) (buf[i * EventRing.RECORD_LONGS + EventRing.THREAD] & 1)]);
        }
        java.util.Arrays.fill(refs, 0, n * EventRing.RECORD_REFS, null);
      }
      w.watermark(seq - 1);
      w.flushIfOlder(System.nanoTime(), 0); // a chunk finished per round: the write path too
    }
    w.close();
    return out.events;
  }

  /** Counts what would have been written. */
  static final class Discard implements JournalWriter.Output {
    long events;

    @Override
    public void write(ByteBuffer chunk) {
      // nowhere
    }

    @Override
    public void write(ByteBuffer chunk, int events) throws IOException {
      this.events += events;
    }

    @Override
    public void close() {
      // nothing held
    }
  }
}
