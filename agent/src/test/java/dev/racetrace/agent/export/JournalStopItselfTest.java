package dev.racetrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.racetrace.agent.export.journal.JournalFile;
import dev.racetrace.agent.export.journal.JournalReader;
import dev.racetrace.agent.export.journal.JournalWriter;
import dev.racetrace.agent.internal.Counters;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When racetrace stops itself after an Error on its exporter thread, the journal is closed and let
 * go: what it held is on disk as a last whole chunk, the file is closed, and its 1 MiB chunk buffer
 * can be collected.
 */
class JournalStopItselfTest {
  @TempDir Path dir;

  private static ExportLoop loop(JournalWriter.Output out, Path file) {
    ExportLoop loop = ExportLoop.builder().resource(Resource.empty()).scope(InstrumentationScopeInfo.create("racetrace"))
        .nodeId("n1").traceWindowMillis(60_000).counters(new Counters()).intervalMillis(10).exportTimeoutMillis(5_000)
        .stateBytes(8 << 20).journalTo(out, file, Map.of()).build();
    // Recorder.release() is final and process-wide: the other tests of this JVM go on recording
    // (RecorderReleaseTest checks the release in a JVM of its own)
    loop.releaseRecorder = () -> { };
    return loop;
  }

  @Test
  void anErrorOnTheExporterThreadClosesTheJournalWithItsLastChunkAndLetsGoOfIt() throws Exception {
    Path file = dir.resolve("n1.rtj");
    ExportLoop loop = loop(new JournalFile(file), file);
    WeakReference<JournalWriter> writer = new WeakReference<>(loop.journal());
    OutOfMemoryError error = new OutOfMemoryError("test: the exporter's heap");
    loop.start(() -> {
      writer.get().threadEnded(1); // a record in the buffer, not yet on disk
      throw error;
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> loop.stoppedBy() != null);
    assertThat(loop.stoppedBy()).isSameAs(error);

    JournalReader reader = JournalReader.open(file);
    assertThat(reader.next()).as("the buffered records, as a whole chunk").isNotNull();
    assertThat(reader.next()).isNull();
    assertThat(reader.damage()).isNull();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      System.gc();
      return writer.get() == null;
    });
    assertThat(loop.journalFile()).as("still named in the exit line").isEqualTo(file);
  }

  @Test
  void anErrorInTheMiddleOfAChunkWriteClosesTheJournalWithoutWritingTheBrokenBufferAgain() throws Exception {
    AtomicInteger writes = new AtomicInteger();
    AtomicInteger closes = new AtomicInteger();
    OutOfMemoryError error = new OutOfMemoryError("test: during the write");
    JournalWriter.Output out = new JournalWriter.Output() {
      @Override
      public void write(ByteBuffer chunk) {
        writes.incrementAndGet();
        throw error;
      }

      @Override
      public void close() {
        closes.incrementAndGet();
      }
    };
    Path file = dir.resolve("n1.rtj");
    ExportLoop loop = loop(out, file);
    JournalWriter writer = loop.journal();
    loop.start(() -> {
      writer.threadEnded(1);
      writer.flushIfOlder(Long.MAX_VALUE, 0); // the chunk goes to the output, whose write throws
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> loop.stoppedBy() != null);
    assertThat(loop.stoppedBy()).isSameAs(error);
    assertThat(writes).hasValue(1);
    assertThat(closes).hasValue(1);
    assertThat(Files.exists(file)).isFalse();
  }
}
