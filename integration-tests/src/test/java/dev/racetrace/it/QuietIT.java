package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.racetrace.it.programs.RoundsProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16, quiet by construction: faults a production service meets (a full disk, a read-only or
 * vanished output directory, a backend answering 4xx/5xx or hanging) give at most a few racetrace
 * lines on stderr, never a java.util.logging line or a stack trace, and the exit summary counts them.
 */
class QuietIT {
  private static final String PKG = "dev.racetrace.it.programs";
  private static String plainStdout;

  @TempDir Path dir;

  @BeforeAll
  static void runWithoutAgent() throws Exception {
    try (TimedRun plain = TimedRun.start(false, List.of(), Map.of(), RoundsProgram.class, "3", "20000")) {
      plain.awaitExitAfterMainEnd();
      plainStdout = plain.stdout();
    }
  }

  /** Mounts a tmpfs (root only); false where the machine does not allow it. */
  private static boolean mount(Path at, String options) throws Exception {
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString())
        .redirectErrorStream(true).start();
    return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  private static void unmount(Path at) throws Exception {
    new ProcessBuilder("umount", at.toString()).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
  }

  private TimedRun run(Path out, String... extra) throws IOException {
    List<String> args = new java.util.ArrayList<>(List.of("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + out,
        "-Dracetrace.shutdown.timeout=20s"));
    args.addAll(List.of(extra));
    return TimedRun.start(true, args, Map.of(), RoundsProgram.class, "3", "20000");
  }

  /** A few racetrace lines, nothing else: no JUL record, no stack trace; the summary names the failures. */
  private static void assertQuiet(TimedRun r) {
    List<String> lines = r.stderrLines();
    assertThat(lines).as("stderr:\n%s", r.stderr()).hasSizeLessThanOrEqualTo(4)
        .allSatisfy(l -> assertThat(l).startsWith("racetrace"));
    assertThat(r.stderr()).doesNotContain("\tat ").doesNotContainPattern("(?m)^(SEVERE|WARNING|INFO):");
    assertThat(lines.get(lines.size() - 1)).containsPattern("[1-9][0-9]* failed export batches")
        .containsPattern("problems: (export:|journal x)"); // the span file's or the journal's writes
    assertThat(r.stderr()).doesNotContain("did not finish within");
  }

  @ParameterizedTest(name = "encoder {0}")
  @ValueSource(strings = {"racetrace", "otel-sdk"})
  void aFullFilesystemGivesOneLineAndACount(String encoder) throws Exception {
    Path full = Files.createDirectory(dir.resolve("full"));
    assumeTrue(mount(full, "size=64k,mode=0700"), "mounting a tmpfs needs root");
    try (TimedRun r = run(full, "-Dracetrace.exporter=otlp-json", "-Dracetrace.file.encoder=" + encoder)) {
      r.awaitExitAfterMainEnd();
      assertThat(r.process.exitValue()).isZero();
      assertThat(r.stdout()).isEqualTo(plainStdout);
      assertQuiet(r);
      if (encoder.equals("racetrace")) { // the SDK's own exporter logs its cause through JUL, which the JDK resets at exit
        assertThat(r.stderr()).contains("No space left on device");
      }
    } finally {
      unmount(full);
    }
  }

  @Test
  void aFullFilesystemUnderTheJournalGivesOneLineAndACount() throws Exception {
    Path full = Files.createDirectory(dir.resolve("full-journal"));
    assumeTrue(mount(full, "size=64k,mode=0700"), "mounting a tmpfs needs root");
    try (TimedRun r = run(full)) { // the default recording
      r.awaitExitAfterMainEnd();
      assertThat(r.process.exitValue()).isZero();
      assertThat(r.stdout()).isEqualTo(plainStdout);
      assertQuiet(r);
      assertThat(r.stderr()).contains("No space left on device");
    } finally {
      unmount(full);
    }
  }

  @Test
  void aReadOnlyDirectoryGivesOneLineAndACount() throws Exception {
    Path ro = Files.createDirectory(dir.resolve("ro"));
    assumeTrue(mount(ro, "size=64k,mode=0700,ro"), "mounting a tmpfs needs root");
    try (TimedRun r = run(ro)) {
      r.awaitExitAfterMainEnd();
      assertThat(r.process.exitValue()).isZero();
      assertThat(r.stdout()).isEqualTo(plainStdout);
      assertQuiet(r);
      assertThat(r.stderr()).contains("Read-only file system");
    } finally {
      unmount(ro);
    }
  }

  @Test
  void aDirectoryRemovedMidRunIsSaidOnceAndTheSpansGoOnInANewFile() throws Exception {
    Path out = dir.resolve("spans");
    try (TimedRun r = TimedRun.start(true, List.of("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + out),
        Map.of(), RoundsProgram.class, "2", "2000", "--wait")) {
      r.awaitLine("round 1");
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(out) && Files.list(out).count() == 1
          && Files.size(Files.list(out).findFirst().get()) > 0);
      deleteRecursively(out);
      r.writeLine();
      r.awaitLine("round 2");
      r.writeLine();
      r.awaitExitAfterMainEnd();
      assertThat(r.process.exitValue()).isZero();
      List<String> lines = r.stderrLines();
      assertThat(lines).as(r.stderr()).hasSize(3); // the start line, the removal, the summary
      assertThat(lines.get(1)).endsWith("was removed while racetrace wrote to it; writing a new file");
      assertThat(lines.get(2)).contains("problems: out:removed x1");
      assertThat(SpanFile.readDir(out).event("queue.enqueue")).as("round 2 recorded in the new file").isNotEmpty();
    }
  }

  @ParameterizedTest(name = "HTTP {0} after {1} ms")
  @CsvSource({"404,0", "500,0", "429,0", "200,9223372036854775807"})
  void aFailingOrHangingBackendGivesAFewLinesAndACount(int status, long delayMillis) throws Exception {
    try (HttpBackend backend = new HttpBackend(status, delayMillis);
        TimedRun r = TimedRun.start(true, List.of("-Dracetrace.include=" + PKG, "-Dracetrace.shutdown.timeout=2s"),
            Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", backend.endpoint(), "OTEL_EXPORTER_OTLP_TIMEOUT", "60000"),
            RoundsProgram.class, "3", "20000")) {
      r.awaitExitAfterMainEnd();
      assertThat(r.process.exitValue()).isZero();
      assertThat(r.stdout()).isEqualTo(plainStdout);
      assertThat(backend.posts.get()).as("the agent did export").isPositive();
      List<String> lines = r.stderrLines();
      assertThat(lines).as("stderr:\n%s", r.stderr()).hasSizeLessThanOrEqualTo(5)
          .allSatisfy(l -> assertThat(l).startsWith("racetrace"));
      assertThat(r.stderr()).doesNotContain("\tat ").doesNotContainPattern("(?m)^(SEVERE|WARNING|INFO):");
      assertThat(lines.get(lines.size() - 1)).containsPattern("[1-9][0-9]* failed export batches");
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    try (Stream<Path> all = Files.walk(p)) {
      for (Path x : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(x);
      }
    }
  }
}
