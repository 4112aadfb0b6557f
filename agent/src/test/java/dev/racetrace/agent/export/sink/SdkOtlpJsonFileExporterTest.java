package dev.racetrace.agent.export.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.exporter.logging.otlp.OtlpJsonLoggingSpanExporter;
import io.opentelemetry.exporter.logging.otlp.internal.traces.OtlpStdoutSpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * racetrace.file.encoder=otel-sdk without the SDK's internal classes: the public logging exporter's
 * lines, wrapped, must be the bytes the SDK's stdout exporter (the oracle here, test code only)
 * writes with its wrapper object, and must reach no application log handler.
 */
class SdkOtlpJsonFileExporterTest {
  private static final Logger SDK_LOGGER =
      Logger.getLogger(OtlpJsonLoggingSpanExporter.class.getName());

  private static String sdkStdout(List<SpanData> spans) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OtlpStdoutSpanExporter exporter = OtlpStdoutSpanExporter.builder().setOutput(bytes)
        .setWrapperJsonObject(true).build();
    assertThat(exporter.export(spans).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.flush();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static List<SpanData> batch(Random random, int size) {
    List<SpanData> batch = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      batch.add(OtlpJsonEncoderTest.randomSpan(random, OtlpJsonEncoderTest.RESOURCE));
    }
    return batch;
  }

  @Test
  void writesTheBytesOfTheSdkStdoutExporterWithItsWrapper() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    SdkOtlpJsonFileExporter exporter = new SdkOtlpJsonFileExporter(file);
    StringBuilder expected = new StringBuilder();
    for (int round = 0; round < 100; round++) {
      List<SpanData> spans = batch(random, 1 + random.nextInt(20));
      assertThat(exporter.export(spans).isSuccess()).as("seed %d", seed).isTrue();
      expected.append(sdkStdout(spans));
    }
    assertEquals(expected.toString(), file.toString(StandardCharsets.UTF_8), "seed " + seed);
  }

  @Test
  void noLineReachesTheApplicationsHandlersEvenAfterALoggingReset() {
    List<LogRecord> seenByApp = new ArrayList<>();
    Handler appHandler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        seenByApp.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(appHandler);
    try {
      Random random = new Random(5);
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      SdkOtlpJsonFileExporter exporter = new SdkOtlpJsonFileExporter(file);
      List<SpanData> first = batch(random, 3);
      assertThat(exporter.export(first).isSuccess()).isTrue();
      // what LogManager.reset() does to the SDK exporter's logger
      for (Handler h : SDK_LOGGER.getHandlers()) {
        SDK_LOGGER.removeHandler(h);
      }
      SDK_LOGGER.setLevel(null);
      SDK_LOGGER.setUseParentHandlers(true);
      List<SpanData> second = batch(random, 2);
      assertThat(exporter.export(second).isSuccess()).isTrue();

      assertThat(file.toString(StandardCharsets.UTF_8))
          .isEqualTo(sdkStdout(first) + sdkStdout(second));
      assertThat(seenByApp).isEmpty();
    } finally {
      root.removeHandler(appHandler);
    }
  }

  @Test
  void theSdksWarningsStillReachTheParentLoggersHandlers() {
    List<LogRecord> seenByParent = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        seenByParent.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    // as LibraryLogCapture holds the bundled SDK's root logger
    Logger parent = Logger.getLogger(OtlpJsonLoggingSpanExporter.class.getPackageName());
    boolean parentUsedParents = parent.getUseParentHandlers();
    parent.setUseParentHandlers(false);
    parent.addHandler(capture);
    try {
      SdkOtlpJsonFileExporter exporter = new SdkOtlpJsonFileExporter(new ByteArrayOutputStream());
      assertThat(exporter.export(batch(new Random(2), 1)).isSuccess()).isTrue();
      SDK_LOGGER.warning("export failed");

      assertThat(seenByParent).extracting(LogRecord::getMessage).containsExactly("export failed");
    } finally {
      parent.removeHandler(capture);
      parent.setUseParentHandlers(parentUsedParents);
    }
  }

  @Test
  void aWriteFailureFailsTheExportAndTheNextExportWritesAgain() {
    boolean[] broken = {true};
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStream flaky = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (broken[0]) {
          throw new IOException("disk full");
        }
        written.write(b, off, len);
      }
    };
    SdkOtlpJsonFileExporter exporter = new SdkOtlpJsonFileExporter(flaky);
    Random random = new Random(9);

    assertThat(exporter.export(batch(random, 2)).isSuccess()).isFalse();
    broken[0] = false;
    List<SpanData> next = batch(random, 2);
    assertThat(exporter.export(next).isSuccess()).isTrue();
    assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo(sdkStdout(next));
  }
}
