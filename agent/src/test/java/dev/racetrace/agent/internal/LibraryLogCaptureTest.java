package dev.racetrace.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LibraryLogCaptureTest {
  @Test
  void theBundledSdksWarningsBecomeOneRacetraceLineAndNeverReachTheApplicationsRootLogger() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Log log = new Log(() -> new PrintStream(bytes, true, StandardCharsets.UTF_8), new AtomicLong()::get);
    List<LogRecord> atRoot = new ArrayList<>();
    Handler rootSpy = new Handler() {
      @Override
      public void publish(LogRecord record) {
        atRoot.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    Level rootLevel = root.getLevel();
    int rootHandlers = root.getHandlers().length;
    root.addHandler(rootSpy);
    try {
      LibraryLogCapture.install(log);
      // what the OTLP exporter logs at every failed batch (unshaded name in unit tests)
      Logger sdk = Logger.getLogger(LibraryLogCapture.otelRoot() + ".exporter.internal.http.HttpExporter");
      for (int i = 0; i < 50; i++) {
        sdk.log(Level.SEVERE, "Failed to export spans. The request could not be executed. Full error message: {0}",
            new IOException("No space left on device"));
        sdk.log(Level.SEVERE, "Failed to export spans.", new IOException("No space left on device"));
      }
      Logger.getLogger(LibraryLogCapture.otelRoot() + ".sdk.x").fine("chatter");
      // the SDK's ThrottlingLogger announcing itself is not a problem of its own
      Logger.getLogger(LibraryLogCapture.otelRoot() + ".exporter.internal.StreamJsonWriter").log(Level.SEVERE,
          "Too many log messages detected. Will only log 1 time(s) per minute from now on.");

      assertThat(atRoot).isEmpty();
      assertThat(root.getLevel()).isEqualTo(rootLevel);
      assertThat(root.getHandlers()).hasSize(rootHandlers + 1); // only the spy
      assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
          "racetrace: inside HttpExporter: Failed to export spans. The request could not be executed. Full error "
              + "message: {0} (java.io.IOException: No space left on device)",
          "racetrace: inside HttpExporter: Failed to export spans. (java.io.IOException: No space left on device)");
      assertThat(log.summary()).hasSize(2).allMatch(s -> s.endsWith(" x50"));
    } finally {
      root.removeHandler(rootSpy);
    }
  }

  @Test
  void theCapturedLoggersAreRacetracesOwn() {
    assertThat(LibraryLogCapture.loggerNames()).containsExactly("io.opentelemetry", "okhttp3");
  }
}
