package dev.racetrace.agent.export.flight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.agent.export.journal.JournalChunkRing;
import dev.racetrace.agent.export.journal.JournalHeader;
import dev.racetrace.agent.export.journal.JournalReader;
import dev.racetrace.agent.export.journal.JournalReplay;
import dev.racetrace.agent.export.journal.JournalWriter;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.site.CallSites;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flight mode on the journal: a dump is a journal of its own, marked with why it was written. */
class FlightJournalTest {
  private static final int PUT = CallSites.register("com.acme.Feed", "send", 11, "BlockingQueue.put", "Node.inbox");
  private static final int EVENTS = 32;

  @TempDir Path dir;
  private final Counters counters = new Counters();
  private long seq = 1;

  private Map<String, String> header() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(JournalHeader.NODE, "n1");
    h.put(JournalHeader.TRACE_WINDOW_MS, "60000");
    h.put(JournalHeader.SCOPE_VERSION, "test");
    return h;
  }

  private FlightJournal flight(long outMax) {
    JournalChunkRing ring = new JournalChunkRing(1 << 20, 600_000, System::nanoTime);
    return new FlightJournal(ring, dir.resolve("orders-n1-42.rtj"), header(), counters, outMax, "test");
  }

  /** {@code n} keyed enqueues with the next seqs, written as one exporter pass. */
  private void record(FlightJournal f, int n) {
    JournalWriter w = writer(f);
    long[] longs = new long[EVENTS * EventRing.RECORD_LONGS];
    Object[] refs = new Object[EVENTS * EventRing.RECORD_REFS];
    w.beginBatch(System.nanoTime(), dev.racetrace.core.Clock.now(), 0, 0, 0);
    for (int done = 0; done < n; ) {
      int k = Math.min(EVENTS, n - done);
      for (int i = 0; i < k; i++) {
        int o = i * EventRing.RECORD_LONGS;
        longs[o + EventRing.HEADER] = seq++;
        longs[o + EventRing.TIME] = 1_700_000_000_000_000_000L + seq;
        longs[o + EventRing.META] = EventKind.QUEUE_ENQUEUE | (Outcome.OK << 8) | ((long) PUT << 32);
        longs[o + EventRing.THREAD] = 7;
        longs[o + EventRing.IDS] = 5;
        refs[i * EventRing.RECORD_REFS] = "order-" + (i % 4);
        refs[i * EventRing.RECORD_REFS + 1] = "element";
        w.record(longs, refs, i, "worker-1");
      }
      done += k;
    }
  }

  private final Map<FlightJournal, JournalWriter> writers = new java.util.IdentityHashMap<>();

  private JournalWriter writer(FlightJournal f) {
    return writers.computeIfAbsent(f, k -> {
      JournalWriter w = new JournalWriter(f.ring(), new Naming(OpNames.none()), header(), 128 << 10);
      f.writer(w);
      return w;
    });
  }

  private List<Path> dumps() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().collect(Collectors.toList());
    }
  }

  private static List<SpanData> replay(Path file, JournalReplay[] replayOut) throws Exception {
    List<SpanData> spans = new ArrayList<>();
    JournalReplay replay = new JournalReplay(spans::add);
    JournalReader reader = JournalReader.open(file);
    replay.replay(reader);
    assertThat(reader.damage()).isNull();
    replayOut[0] = replay;
    return spans;
  }

  @Test
  void aDumpIsAJournalWhoseFirstChunkSaysWhyAndTheReplayTurnsThatIntoADumpSpan() throws Exception {
    FlightJournal f = flight(1L << 30);
    record(f, 500);
    f.dump("rule violation on key order-3", 2);

    assertThat(dumps()).extracting(p -> p.getFileName().toString()).containsExactly("orders-n1-42-flight-1.rtj");
    JournalReader reader = JournalReader.open(dumps().get(0));
    JournalReader.Chunk marker = reader.next();
    assertThat(marker.records).isZero();
    assertThat(marker.header).containsEntry(JournalHeader.FLIGHT_REASON, "rule violation on key order-3")
        .containsEntry(JournalHeader.FLIGHT_DUMP, "1").containsEntry(JournalHeader.FLIGHT_EVENTS, "500")
        .containsEntry(JournalHeader.FLIGHT_SUPPRESSED, "2").containsEntry(JournalHeader.NODE, "n1");

    JournalReplay[] replay = new JournalReplay[1];
    List<SpanData> spans = replay(dumps().get(0), replay);
    assertThat(replay[0].events()).isEqualTo(500);
    assertThat(replay[0].flightReason()).isEqualTo("rule violation on key order-3");
    SpanData dump = spans.get(0);
    assertThat(dump.getName()).isEqualTo(SpanSchema.FLIGHT_DUMP_SPAN);
    Attributes a = dump.getAttributes();
    assertThat(a.get(SpanSchema.FLIGHT_REASON)).isEqualTo("rule violation on key order-3");
    assertThat(a.get(SpanSchema.FLIGHT_EVENTS)).isEqualTo(500L);
    assertThat(a.get(SpanSchema.FLIGHT_SUPPRESSED)).isEqualTo(2L);
    assertThat(a.get(SpanSchema.FLIGHT_DROPPED_EVENTS)).isZero();
  }

  @Test
  void eachDumpHoldsWhatWasRecordedSinceThePreviousOne() throws Exception {
    FlightJournal f = flight(1L << 30);
    record(f, 100);
    f.dump("dump requested", 0);
    record(f, 40);
    f.dump("shutdown", 0);

    assertThat(dumps()).extracting(p -> p.getFileName().toString())
        .containsExactly("orders-n1-42-flight-1.rtj", "orders-n1-42-flight-2.rtj");
    JournalReplay[] replay = new JournalReplay[1];
    replay(dumps().get(1), replay);
    assertThat(replay[0].events()).isEqualTo(40);
    assertThat(replay[0].flightReason()).isEqualTo("shutdown");
    assertThat(f.dumpedEvents()).isEqualTo(140);
  }

  @Test
  void nothingRecordedSinceTheLastDumpWritesNoFile() throws Exception {
    FlightJournal f = flight(1L << 30);
    writer(f);
    assertThat(f.holdsAnything()).isFalse();
    f.dump("dump requested", 0);
    assertThat(dumps()).isEmpty();
  }

  @Test
  void dumpsStayWithinOutMaxAndTheEventsOfOneThatWouldPassItAreCounted() throws Exception {
    FlightJournal f = flight(20_000);
    record(f, 100); // ~8 KB
    f.dump("first", 0);
    record(f, 200); // ~16 KB: over what is left
    f.dump("second", 0);
    assertThat(dumps()).hasSize(1);
    assertThat(counters.outDroppedEvents().get()).isEqualTo(200);
    assertThat(f.holdsAnything()).as("the refused dump's chunks are let go").isFalse();
  }
}
