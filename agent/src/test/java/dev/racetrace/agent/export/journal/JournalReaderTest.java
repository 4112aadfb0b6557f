package dev.racetrace.agent.export.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.core.hook.QueueHooks;
import dev.racetrace.core.site.CallSites;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal cut anywhere or holding garbage is read up to the damage, and the damage is reported. */
class JournalReaderTest {
  private static final int PUT = CallSites.register("com.acme.Feed", "send", 10, "BlockingQueue.put", "Node.inbox");
  private static final int TAKE = CallSites.register("com.acme.Worker", "loop", 20, "BlockingQueue.take", "Node.inbox");
  private static byte[] journal;
  /** Where each chunk starts, and the journal's length last. */
  private static long[] bounds;

  /** Three chunks of a few queue hand-offs each. */
  @BeforeAll
  static void record() throws Exception {
    JournalTee tee = new JournalTee(OpNames.none(), List.of(), true);
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    for (int pass = 0; pass < 3; pass++) {
      for (int i = 0; i < 3; i++) {
        QueueHooks.put(q, "job-" + pass + "-" + i, PUT);
        QueueHooks.take(q, TAKE);
      }
      tee.step();
    }
    journal = tee.finish();
    List<Long> starts = new ArrayList<>();
    JournalReader r = new JournalReader("full.rtj", ByteBuffer.wrap(journal));
    for (JournalReader.Chunk c; (c = r.next()) != null; ) {
      starts.add(c.offset);
    }
    starts.add((long) journal.length);
    bounds = starts.stream().mapToLong(Long::longValue).toArray();
    assertThat(bounds.length).as("chunks and the end").isGreaterThanOrEqualTo(4);
  }

  @Test
  void aJournalCutAtAnyByteIsReadUpToItsLastCompleteChunk() throws Exception {
    List<SpanData> all = JournalTee.replay(journal);
    for (int cut = 0; cut <= journal.length; cut++) {
      JournalReader r = new JournalReader("cut.rtj", ByteBuffer.wrap(journal, 0, cut).slice());
      int chunks = 0;
      while (r.next() != null) {
        chunks++;
      }
      int complete = 0;
      while (complete + 1 < bounds.length && bounds[complete + 1] <= cut) {
        complete++;
      }
      boolean atBoundary = cut == 0 || Arrays.binarySearch(bounds, cut) >= 0;
      assertThat(chunks).as("chunks read from a journal cut at byte %d", cut).isEqualTo(complete);
      if (atBoundary) {
        assertThat(r.damage()).as("damage reported at byte %d", cut).isNull();
      } else {
        assertThat(r.damage()).as("damage reported at byte %d", cut)
            .contains("incomplete last chunk (" + (cut - bounds[complete]) + " bytes");
      }
      List<SpanData> spans = JournalTee.replay(Arrays.copyOf(journal, cut));
      assertThat(spans.size()).as("spans from a journal cut at byte %d", cut).isLessThanOrEqualTo(all.size());
    }
  }

  @Test
  void garbageBetweenChunksIsSkippedAndCounted() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    byte[] garbage = new byte[1 + random.nextInt(4096)];
    random.nextBytes(garbage);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(journal, 0, (int) bounds[1]);
    b.write(garbage);
    b.write(journal, (int) bounds[1], journal.length - (int) bounds[1]);
    JournalReader r = new JournalReader("garbage.rtj", ByteBuffer.wrap(b.toByteArray()));
    int chunks = 0;
    while (r.next() != null) {
      chunks++;
    }
    assertThat(chunks).as("seed %d", seed).isEqualTo(bounds.length - 1);
    assertThat(r.damagedChunks()).as("seed %d", seed).isEqualTo(1);
    assertThat(r.damage()).as("seed %d", seed).contains("1 damaged region(s) (" + garbage.length + " bytes) skipped");
  }

  /**
   * What a user of export sees of a journal with garbage between two chunks and cut mid-chunk at
   * its end (a crash): the spans of every intact chunk and one warning line naming the damage.
   */
  @Test
  void exportOfADamagedJournalSaysSoInOneWarningLine(@TempDir Path dir) throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    byte[] garbage = new byte[1 + random.nextInt(4096)];
    random.nextBytes(garbage);
    int last = (int) bounds[bounds.length - 2];
    int cut = last + 1 + random.nextInt((int) bounds[bounds.length - 1] - last - 1); // inside the last chunk
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(journal, 0, (int) bounds[1]);
    b.write(garbage);
    b.write(journal, (int) bounds[1], cut - (int) bounds[1]);
    Path damaged = Files.write(dir.resolve("node-1.rtj"), b.toByteArray());
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(messages, true, StandardCharsets.UTF_8);

    List<Path> written = new JournalExport(err).toOtlpJson(List.of(damaged),
        Files.createDirectory(dir.resolve("json")));

    assertThat(written).as("seed %d", seed).hasSize(1);
    assertThat(Files.readAllLines(written.get(0))).as("seed %d", seed).isNotEmpty();
    List<String> warnings = messages.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.startsWith("racetrace: warning:")).collect(Collectors.toList());
    assertThat(warnings).as("seed %d: %s", seed, messages).singleElement().asString()
        .contains(damaged.toString(), "read " + (bounds.length - 2) + " chunk(s)",
            "1 damaged region(s) (" + garbage.length + " bytes) skipped",
            "an incomplete last chunk (" + (cut - last) + " bytes, cut off mid-write) ignored");
  }

  @Test
  void aChunkWhoseBytesChangedFailsItsCheckAndOnlyItIsLost() throws Exception {
    byte[] damaged = journal.clone();
    int middle = (int) ((bounds[1] + bounds[2]) / 2);
    damaged[middle] ^= 0x5A;
    JournalReader r = new JournalReader("flipped.rtj", ByteBuffer.wrap(damaged));
    List<Long> read = new ArrayList<>();
    for (JournalReader.Chunk c; (c = r.next()) != null; ) {
      read.add(c.offset);
    }
    assertThat(read).startsWith(bounds[0], bounds[2]).hasSize(bounds.length - 2);
    assertThat(r.damage()).contains("1 damaged region(s)");
    assertThat(JournalTee.replay(damaged)).isNotEmpty();
  }

  @Test
  void aFileThatIsNotAJournalIsRefusedWithAClearError() {
    byte[] json = "{\"resourceSpans\":[]}\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new JournalReader("spans.jsonl", ByteBuffer.wrap(json)))
        .isInstanceOf(JournalReader.NotAJournal.class)
        .hasMessage("spans.jsonl: not a racetrace journal (no chunk magic at its start)");
  }

  @Test
  void aJournalOfANewerFormatIsRefusedNamingBothVersions() {
    byte[] newer = journal.clone();
    newer[4] = 3;
    assertThatThrownBy(() -> new JournalReader("new.rtj", ByteBuffer.wrap(newer)).next())
        .isInstanceOf(JournalReader.NotAJournal.class)
        .hasMessage("new.rtj: journal format version 3; this racetrace reads versions 1 to 2");
  }
}
