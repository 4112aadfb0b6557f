package dev.racetrace.agent.export.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.site.CallSites;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Flight mode's ring of journal chunks: what it keeps within its size and age limits, and its dump. */
class JournalChunkRingTest {
  private static final int PUT = CallSites.register("com.acme.Feed", "send", 10, "BlockingQueue.put", "Node.inbox");
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  /** A chunk of {@code size} bytes, every byte {@code id}: the dump shows which chunks it holds. */
  private static ByteBuffer chunk(int id, int size) {
    byte[] b = new byte[size];
    java.util.Arrays.fill(b, (byte) id);
    return ByteBuffer.wrap(b);
  }

  /** The ids of the chunks in a dump of chunks made by {@link #chunk}, in order. */
  private static List<Integer> ids(byte[] dump, List<Integer> sizes) {
    List<Integer> out = new ArrayList<>();
    int at = 0;
    while (at < dump.length) {
      int id = dump[at];
      out.add(id);
      at += sizes.get(id);
    }
    return out;
  }

  private static byte[] dump(JournalChunkRing ring) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ring.dumpTo(Channels.newChannel(out));
    return out.toByteArray();
  }

  @Test
  void theOldestChunksAreDroppedToStayWithinTheSizeLimit() throws Exception {
    JournalChunkRing ring = new JournalChunkRing(1000, 60_000, clock::get);
    List<Integer> sizes = new ArrayList<>();
    for (int id = 0; id < 10; id++) {
      sizes.add(300);
      ring.write(chunk(id, 300), 10 + id);
    }
    // 3 chunks of 300 fit in 1000 bytes: the newest three
    byte[] d = dump(ring);
    assertThat(ids(d, sizes)).containsExactly(7, 8, 9);
    assertThat(d).hasSize(900);
    assertThat(ring.chunks()).as("a dump empties the ring").isZero();
  }

  @Test
  void countsWhatItKeepsAndWhatItDropped() {
    JournalChunkRing ring = new JournalChunkRing(1000, 60_000, clock::get);
    for (int id = 0; id < 5; id++) {
      ring.write(chunk(id, 300), 10);
    }
    assertThat(ring.chunks()).isEqualTo(3);
    assertThat(ring.events()).isEqualTo(30);
    assertThat(ring.bytes()).isEqualTo(900);
    assertThat(ring.droppedChunks()).isEqualTo(2);
    assertThat(ring.droppedEvents()).isEqualTo(20);
  }

  @Test
  void chunksOlderThanTheAgeLimitAreDropped() throws Exception {
    JournalChunkRing ring = new JournalChunkRing(1 << 20, 10_000, clock::get);
    List<Integer> sizes = new ArrayList<>();
    for (int id = 0; id < 6; id++) {
      sizes.add(100);
      ring.write(chunk(id, 100), 1);
      clock.addAndGet(TimeUnit.SECONDS.toNanos(3)); // one chunk every 3 s
    }
    // now = 18 s after the first; chunks written at 0, 3, ..., 15 s: those at 9, 12, 15 are within 10 s
    assertThat(ids(dump(ring), sizes)).containsExactly(3, 4, 5);
  }

  @Test
  void aRandomMixOfChunkSizesAlwaysDumpsTheNewestChunksInOrderWithinTheLimit() throws Exception {
    long seed = new Random().nextLong();
    Random r = new Random(seed);
    for (int round = 0; round < 200; round++) {
      int capacity = 500 + r.nextInt(5000);
      JournalChunkRing ring = new JournalChunkRing(capacity, 60_000, clock::get);
      List<Integer> sizes = new ArrayList<>();
      int n = 1 + r.nextInt(120);
      for (int id = 0; id < n; id++) {
        int size = 1 + r.nextInt(capacity / 3);
        sizes.add(size);
        ring.write(chunk(id % 100, size), 1);
        if (id == 99) { // ids are bytes: dump before they repeat
          break;
        }
      }
      byte[] d = dump(ring);
      List<Integer> kept = ids(d, sizes);
      int last = Math.min(n, 100) - 1;
      assertThat(kept).as("seed %d round %d: the newest chunk", seed, round).endsWith(last);
      for (int i = 1; i < kept.size(); i++) {
        assertThat(kept.get(i)).as("seed %d round %d: consecutive, oldest first", seed, round)
            .isEqualTo(kept.get(i - 1) + 1);
      }
      assertThat(d.length).as("seed %d round %d: within the limit", seed, round).isLessThanOrEqualTo(capacity);
      // a chunk is dropped only when the free space (at most one chunk's worth on each side of the
      // newest, chunks being at most a third of the ring here) cannot take the next one
      int before = kept.get(0) - 1;
      if (before >= 0) {
        assertThat(d.length + sizes.get(before)).as("seed %d round %d: the next older chunk did not fit", seed, round)
            .isGreaterThan(capacity - 2 * (capacity / 3));
      }
    }
  }

  @Test
  void memoryIsOneBufferOfTheSizeLimitAllocatedAtTheFirstChunkAndReused() {
    JournalChunkRing ring = new JournalChunkRing(4096, 60_000, clock::get);
    assertThat(ring.bufferForTest()).as("nothing before the first chunk").isNull();
    ring.write(chunk(1, 100), 1);
    byte[] buffer = ring.bufferForTest();
    assertThat(buffer).hasSize(4096);
    for (int i = 0; i < 100_000; i++) {
      ring.write(chunk(1, 1 + i % 700), 1);
    }
    assertThat(ring.bufferForTest()).isSameAs(buffer);
    assertThat(ring.bytes()).isLessThanOrEqualTo(4096);
  }

  @Test
  void atMostMaxChunksAreKeptHoweverSmall() {
    JournalChunkRing ring = new JournalChunkRing(1 << 20, 60_000, clock::get);
    for (int i = 0; i < JournalChunkRing.MAX_CHUNKS + 10; i++) {
      ring.write(chunk(1, 30), 1);
    }
    assertThat(ring.chunks()).isEqualTo(JournalChunkRing.MAX_CHUNKS);
    assertThat(ring.droppedChunks()).isEqualTo(10);
  }

  @Test
  void aDumpOfJournalChunksIsAJournalTheReaderReadsWhole() throws Exception {
    int events = 64;
    long[] longs = new long[events * EventRing.RECORD_LONGS];
    Object[] refs = new Object[events * EventRing.RECORD_REFS];
    JournalChunkRing ring = new JournalChunkRing(1 << 20, 60_000, clock::get);
    JournalWriter w = new JournalWriter(ring, new Naming(OpNames.none()), Map.of(JournalHeader.NODE, "n1"),
        128 << 10);
    long seq = 1;
    for (int round = 0; round < 500; round++) { // ~2.4 MB of records through a 1 MiB ring
      for (int i = 0; i < events; i++) {
        int o = i * EventRing.RECORD_LONGS;
        longs[o + EventRing.HEADER] = seq++;
        longs[o + EventRing.TIME] = 1_700_000_000_000_000_000L + seq;
        longs[o + EventRing.META] = EventKind.QUEUE_ENQUEUE | (Outcome.OK << 8) | ((long) PUT << 32);
        longs[o + EventRing.THREAD] = 4242;
        longs[o + EventRing.IDS] = 77;
        refs[i * EventRing.RECORD_REFS] = "order-" + (i % 8);
        refs[i * EventRing.RECORD_REFS + 1] = "element";
        w.record(longs, refs, i, "worker-1");
      }
    }
    w.flushIfOlder(System.nanoTime(), 0);
    long kept = ring.events();
    assertThat(kept).isPositive().isLessThan(500L * events);
    assertThat(ring.droppedEvents() + kept).isEqualTo(500L * events);
    byte[] d = dump(ring);
    assertThat(d.length).isLessThanOrEqualTo(1 << 20);
    JournalReader reader = new JournalReader("dump.rtj", ByteBuffer.wrap(d));
    JournalReplay replay = new JournalReplay(s -> { });
    replay.replay(reader);
    assertThat(reader.damage()).isNull();
    assertThat(replay.events()).as("every event kept, the newest ones").isEqualTo(kept);
  }
}
