package dev.racetrace.agent.export.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.export.JournalCycle;
import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.agent.export.sink.OutBudget;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.site.CallSites;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Map;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

/** The journal writer's cost per event: bytes on disk and bytes allocated. */
class JournalWriterTest {
  private static final int PUT = CallSites.register("com.acme.Feed", "send", 10, "BlockingQueue.put", "Node.inbox");
  private static final int EVENTS = 64;

  /** A drain buffer of keyed enqueues, as RingDrainer hands it over. */
  private static void fill(long[] longs, Object[] refs, Object element) {
    for (int i = 0; i < EVENTS; i++) {
      int o = i * EventRing.RECORD_LONGS;
      longs[o + EventRing.HEADER] = 1000 + i;
      longs[o + EventRing.TIME] = 1_700_000_000_000_000_000L + i;
      longs[o + EventRing.META] = EventKind.QUEUE_ENQUEUE | (Outcome.OK << 8) | ((long) PUT << 32);
      longs[o + EventRing.THREAD] = 4242;
      longs[o + EventRing.IDS] = 77;
      longs[o + EventRing.A] = i;
      longs[o + EventRing.B] = -1;
      longs[o + EventRing.C] = -1;
      refs[i * EventRing.RECORD_REFS] = "order-" + (i % 8);
      refs[i * EventRing.RECORD_REFS + 1] = element;
    }
  }

  @Test
  void copyingAnEventWhoseStringsArePooledAllocatesNothing() {
    long[] longs = new long[EVENTS * EventRing.RECORD_LONGS];
    Object[] refs = new Object[EVENTS * EventRing.RECORD_REFS];
    fill(longs, refs, new StringBuilder("element"));
    CountingOutput written = new CountingOutput();
    JournalWriter w = new JournalWriter(written, new Naming(OpNames.none()), Map.of(JournalHeader.NODE, "n1"),
        JournalCycle.CHUNK_BYTES);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    int rounds = 20_000;
    for (int warm = 0; warm < 2; warm++) { // the first round pools the strings and warms the JIT
      long before = mx.getThreadAllocatedBytes(id);
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < EVENTS; i++) {
          w.record(longs, refs, i, "worker-1");
        }
      }
      long perEvent = (mx.getThreadAllocatedBytes(id) - before) / ((long) rounds * EVENTS);
      if (warm == 1) {
        // a chunk is written every ~13,000 events here and its pools start over: a few entries each
        assertThat(perEvent).as("bytes allocated per journaled event").isZero();
      }
    }
    w.close();
    long events = 2L * rounds * EVENTS;
    assertThat(written.bytes / events).as("journal bytes per event").isBetween(76L, 80L);
  }

  @Test
  void aChunkThatCannotBeWrittenIsCountedAndTheNextOneIsWrittenWhenWritingWorksAgain() throws Exception {
    long[] longs = new long[EVENTS * EventRing.RECORD_LONGS];
    Object[] refs = new Object[EVENTS * EventRing.RECORD_REFS];
    fill(longs, refs, "element");
    java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
    boolean[] diskFull = {true};
    java.util.List<byte[]> chunks = new java.util.ArrayList<>();
    JournalWriter w = new JournalWriter(new JournalWriter.Output() {
      @Override
      public void write(ByteBuffer chunk) throws java.io.IOException {
        if (diskFull[0]) {
          throw new java.io.IOException("No space left on device");
        }
        byte[] b = new byte[chunk.remaining()];
        chunk.get(b);
        chunks.add(b);
      }

      @Override
      public void close() {}
    }, new Naming(OpNames.none()), Map.of(JournalHeader.NODE, "n1"), JournalCycle.CHUNK_BYTES, failures);
    for (int i = 0; i < EVENTS; i++) {
      w.record(longs, refs, i, "worker-1");
    }
    w.flushIfOlder(Long.MAX_VALUE, 0);
    assertThat(failures.get()).isEqualTo(1);
    diskFull[0] = false;
    for (int i = 0; i < EVENTS; i++) {
      w.record(longs, refs, i, "worker-1");
    }
    w.close();
    assertThat(failures.get()).isEqualTo(1);
    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).length).isGreaterThan(EVENTS * JournalFormat.EVENT_SIZE);
    java.util.List<SpanData> spans = new java.util.ArrayList<>();
    new JournalReplay(spans::add).replay(new JournalReader("after-full.rtj", ByteBuffer.wrap(chunks.get(0))));
    assertThat(spans).as("the chunk written after the failure stands on its own")
        .filteredOn(s -> s.getName().equals("Node.inbox enqueue")).hasSize(EVENTS);
  }

  @Test
  void aJournalRotatesUnderOutMaxInPartsOfWholeChunksAndCountsTheEventsRotatedOut(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    long[] longs = new long[EVENTS * EventRing.RECORD_LONGS];
    Object[] refs = new Object[EVENTS * EventRing.RECORD_REFS];
    fill(longs, refs, "element");
    java.nio.file.Path file = dir.resolve("n1-7.rtj");
    dev.racetrace.agent.internal.Counters counters = new dev.racetrace.agent.internal.Counters();
    long max = 64 * 1024; // parts of 6.4 KB: one chunk of 64 events (~5 KB) each
    JournalFile out = new JournalFile(file, OutBudget.forJournal(max, "64k", counters, file), counters, "64k");
    JournalWriter w = new JournalWriter(out, new Naming(OpNames.none()), Map.of(JournalHeader.NODE, "n1"),
        JournalCycle.CHUNK_BYTES, new java.util.concurrent.atomic.AtomicLong(), counters.outRotatedEvents());
    int chunks = 40;
    for (int c = 0; c < chunks; c++) {
      for (int i = 0; i < EVENTS; i++) {
        w.record(longs, refs, i, "worker-1");
      }
      w.flushIfOlder(Long.MAX_VALUE, 0);
    }
    w.close();

    java.util.List<java.nio.file.Path> onDisk = JournalExport.journals(java.util.List.of(dir));
    long bytes = 0;
    for (java.nio.file.Path p : onDisk) {
      bytes += java.nio.file.Files.size(p);
    }
    assertThat(bytes).as("what stays on disk").isLessThanOrEqualTo(max).isGreaterThan(max / 2);
    assertThat(onDisk).as("the oldest parts, the first among them, were deleted").doesNotContain(file)
        .allSatisfy(p -> assertThat(p.getFileName().toString()).matches("n1-7\\.[0-9]+\\.rtj"));
    java.util.List<java.util.List<java.nio.file.Path>> nodes = JournalExport.nodes(onDisk);
    assertThat(nodes).as("the parts of one journal, read as one").hasSize(1);
    java.util.List<Integer> order = new java.util.ArrayList<>();
    for (java.nio.file.Path p : nodes.get(0)) {
      order.add(Integer.parseInt(p.getFileName().toString().split("\\.")[1]));
    }
    assertThat(order).as("in part order").isSorted().hasSize(onDisk.size());

    long chunksOnDisk = 0;
    java.util.List<SpanData> spans = new java.util.ArrayList<>();
    JournalReplay replay = new JournalReplay(spans::add);
    for (java.nio.file.Path p : nodes.get(0)) {
      JournalReader reader = JournalReader.open(p);
      replay.chunks(reader);
      assertThat(reader.damage()).as("whole chunks only: %s", p).isNull();
      chunksOnDisk += reader.chunksRead();
    }
    replay.finish();
    long rotated = counters.outRotatedEvents().get();
    assertThat(rotated).isPositive().isEqualTo((chunks - chunksOnDisk) * EVENTS);
    assertThat(counters.outDroppedEvents().get()).isZero();
    assertThat(spans).filteredOn(s -> s.getName().equals("Node.inbox enqueue")).hasSize((int) chunksOnDisk * EVENTS);
    SpanData stats = spans.stream().filter(s -> s.getName().equals(SpanSchema.STATS_SPAN)).reduce((a, b) -> b)
        .orElseThrow();
    assertThat(stats.getAttributes().get(SpanSchema.ROTATED_EVENTS)).as("carried by the chunks after a rotation")
        .isPositive().isLessThanOrEqualTo(rotated);
  }

  @Test
  void aChunkLargerThanTheWholeBudgetIsNotWrittenAndItsEventsAreCounted(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("n1-7.rtj");
    dev.racetrace.agent.internal.Counters counters = new dev.racetrace.agent.internal.Counters();
    JournalFile out = new JournalFile(file, OutBudget.forJournal(1_000, "1000", counters, file), counters, "1000");
    out.write(ByteBuffer.wrap(new byte[600]), 3);
    out.write(ByteBuffer.wrap(new byte[1_001]), 7);
    out.write(ByteBuffer.wrap(new byte[300]), 2);
    out.close();
    assertThat(java.nio.file.Files.size(file)).isEqualTo(600);
    assertThat(java.nio.file.Files.size(dir.resolve("n1-7.1.rtj"))).as("parts of a tenth: the next part").isEqualTo(300);
    assertThat(counters.outDroppedEvents().get()).isEqualTo(7);
    assertThat(counters.outRotatedEvents().get()).isZero();
  }
}
