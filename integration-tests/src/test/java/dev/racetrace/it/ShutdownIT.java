package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.programs.RoundsProgram;
import dev.racetrace.it.programs.ShutdownHookProgram;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, exit on time: all of racetrace's shutdown (drain, batches in flight, flush, exporter
 * shutdown) fits in racetrace.shutdown.timeout, whatever the backend does; the JVM exits within the
 * timeout + 1 s after main ends, and says what was lost.
 */
class ShutdownIT {
  private static final String PKG = "dev.racetrace.it.programs";
  private static final long TIMEOUT_MILLIS = 2_000;

  @TempDir Path dir;

  private static TimedRun run(String endpoint) throws Exception {
    return TimedRun.start(true, List.of("-Dracetrace.include=" + PKG, "-Dracetrace.shutdown.timeout=2s"),
        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "OTEL_EXPORTER_OTLP_TIMEOUT", "60000"),
        RoundsProgram.class, "1", "20000");
  }

  @Test
  void aRefusingBackendCostsAtMostTheTimeoutAndTheFailuresAreCounted() throws Exception {
    int closedPort = Ports.freeLoopbackPort();
    try (TimedRun r = run("http://127.0.0.1:" + closedPort)) {
      long exitMillis = r.awaitExitAfterMainEnd();
      assertThat(r.process.exitValue()).isZero();
      assertThat(exitMillis).as("exit after main, stderr:\n%s", r.stderr()).isLessThan(TIMEOUT_MILLIS + 1_000);
      assertThat(r.stderr()).containsPattern("[1-9][0-9]* failed export batches");
    }
  }

  @Test
  void aHangingBackendCostsAtMostTheTimeoutAndTheLossIsPrinted() throws Exception {
    try (HttpBackend hanging = new HttpBackend(200, Long.MAX_VALUE); TimedRun r = run(hanging.endpoint())) {
      long exitMillis = r.awaitExitAfterMainEnd();
      assertThat(r.process.exitValue()).isZero();
      assertThat(exitMillis).as("exit after main, stderr:\n%s", r.stderr()).isLessThan(TIMEOUT_MILLIS + 1_000);
      assertThat(r.stderr()).containsPattern("export did not finish within racetrace.shutdown.timeout=2s "
          + "\\(is the collector slow or down\\?\\); lost [0-9]+ events not yet exported and [1-9][0-9]* spans not confirmed");
    }
  }

  @Test
  void aSlowBackendCostsAtMostTheTimeout() throws Exception {
    try (HttpBackend slow = new HttpBackend(200, 1_500); TimedRun r = run(slow.endpoint())) {
      long exitMillis = r.awaitExitAfterMainEnd();
      assertThat(r.process.exitValue()).isZero();
      assertThat(exitMillis).as("exit after main, stderr:\n%s", r.stderr()).isLessThan(TIMEOUT_MILLIS + 1_000);
    }
  }

  @Test
  void aLocalFileExportFinishesWithoutAFalseTimeoutWarning() throws Exception {
    try (TimedRun r = TimedRun.start(true, List.of("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + dir),
        Map.of(), RoundsProgram.class, "1", "2000")) {
      long exitMillis = r.awaitExitAfterMainEnd();
      assertThat(r.process.exitValue()).isZero();
      assertThat(exitMillis).as(r.stderr()).isLessThan(5_000 + 1_000); // the default timeout
      assertThat(r.stderr()).doesNotContain("did not finish");
      assertThat(SpanFile.readDir(dir).event("queue.enqueue")).isNotEmpty();
    }
  }

  @Test
  void onSigtermWhatTheApplicationsOwnShutdownHookDoesIsRecordedWithoutAFalseWarning() throws Exception {
    try (TimedRun r = TimedRun.start(true, List.of("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + dir),
        Map.of(), ShutdownHookProgram.class)) {
      r.awaitLine("serving");
      // SIGTERM (Process.destroy() would also close the streams the test reads)
      assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(r.process.pid())).start().waitFor()).isZero();
      assertThat(r.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      r.awaitLine("drained: sum=20100");
      assertThat(r.stderr()).doesNotContain("did not finish");
      assertThat(SpanFile.readDir(dir).event("queue.enqueue")).as(r.stderr())
          .filteredOn(s -> "app-shutdown-hook".equals(s.str("thread.name"))).hasSize(200);
    }
  }
}
