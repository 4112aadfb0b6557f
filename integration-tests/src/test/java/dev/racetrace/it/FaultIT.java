package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.programs.PipelineProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The agent never breaks the application: bad configuration, a dead or stuck collector. */
class FaultIT {
  private static final String PKG = "dev.racetrace.it.programs";
  private static ForkedJvm.Result plain;

  @TempDir Path dir;

  @BeforeAll
  static void runWithoutAgent() throws Exception {
    plain = ForkedJvm.plain().run(PipelineProgram.class);
    assertThat(plain.exitCode).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "-Dracetrace.buffer.size=12x|racetrace: racetrace.buffer.size=12x: not a power-of-two integer; agent disabled",
      "-Dracetrace.buffer.sise=64|racetrace: racetrace.buffer.sise=64: unknown key (did you mean racetrace.buffer.size?); agent disabled",
      "-Dracetrace.include=java.util|racetrace: racetrace.include=java.util: 'java.util' cannot be instrumented (JDK and racetrace packages are never transformed); agent disabled",
      "-Dracetrace.config=/nonexistent/rt.properties|racetrace: racetrace.config=/nonexistent/rt.properties: cannot read file (NoSuchFileException); agent disabled",
      "-Dracetrace.rules=derive before publish|racetrace: racetrace.rules=derive before publish: rule \"derive before publish\": expected operations separated by '<', e.g. \"load-metadata < derive per key\"; agent disabled",
      "-Dracetrace.keys=com.acme.Missing#key|racetrace: racetrace.keys=com.acme.Missing#key: class com.acme.Missing not found on the class path (if it loads from another class loader, set racetrace.verify.classes=false); agent disabled",
      "-Dracetrace.guards.flags=dev.racetrace.it.programs.PipelineProgram#POISON|racetrace: racetrace.guards.flags=dev.racetrace.it.programs.PipelineProgram#POISON: dev.racetrace.it.programs.PipelineProgram#POISON has type dev.racetrace.it.programs.PipelineProgram$Item, not boolean, int or long; agent disabled",
      "-Dracetrace.export.interval=soon|racetrace: racetrace.export.interval=soon: not a duration (e.g. 250ms, 5s, 2m); agent disabled",
      "-Dracetrace.exporter=jaeger|racetrace: racetrace.exporter=jaeger: not one of auto, journal, otlp-json, otel, both; agent disabled",
      "-Dracetrace.enabled=false|racetrace: racetrace.enabled=false; agent disabled",
  })
  void badConfigurationPrintsOneLineAndTheApplicationRunsUntouched(String arg, String line) throws Exception {
    Path out = dir.resolve("spans");
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .jvmArg("-Dracetrace.out=" + out, arg.contains("include") ? arg : "-Dracetrace.include=" + PKG)
        .jvmArg(arg.contains("include") ? new String[0] : new String[] {arg})
        .run(PipelineProgram.class);
    assertThat(r.exitCode).isZero();
    assertThat(r.stdout).isEqualTo(plain.stdout);
    assertThat(r.nonEmptyStderr()).isEqualTo(line + "\n");
    assertThat(out).doesNotExist();
  }

  @Test
  void anEnvironmentVariableTypoIsNamed() throws Exception {
    ForkedJvm.Result r = ForkedJvm.withAgent().env("RACETRACE_INCLUDES", PKG).run(PipelineProgram.class);
    assertThat(r.stdout).isEqualTo(plain.stdout);
    assertThat(r.nonEmptyStderr())
        .isEqualTo("racetrace: RACETRACE_INCLUDES=" + PKG + ": unknown key (did you mean RACETRACE_INCLUDE?); agent disabled\n");
  }

  @Test
  void nothingIsInstrumentedWithoutIncludeAndTheAgentSaysSo() throws Exception {
    Path out = dir.resolve("spans");
    ForkedJvm.Result r = ForkedJvm.withAgent().jvmArg("-Dracetrace.out=" + out).run(PipelineProgram.class);
    assertThat(r.stdout).isEqualTo(plain.stdout);
    assertThat(r.nonEmptyStderr()).startsWith("racetrace ")
        .contains("racetrace.include is empty, nothing is instrumented");
    assertThat(out).doesNotExist(); // nothing recorded, no file
  }

  @Test
  void aCollectorThatIsDownCostsTheApplicationNothing() throws Exception {
    int closedPort = Ports.freeLoopbackPort();
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + closedPort)
        .jvmArg("-Dracetrace.include=" + PKG, "-Dracetrace.shutdown.timeout=2s")
        .run(PipelineProgram.class);
    assertThat(r.exitCode).isZero();
    assertThat(r.stdout).isEqualTo(plain.stdout);
    assertThat(r.nonEmptyStderr()).containsAnyOf("failed or timed out; spans are dropped and counted",
        "export did not finish within racetrace.shutdown.timeout=2s");
  }

  @Test
  void aCollectorThatNeverAnswersDelaysExitByAtMostTheShutdownTimeout() throws Exception {
    try (OtlpReceiver stuck = new OtlpReceiver(true)) {
      ForkedJvm.Result r = ForkedJvm.withAgent()
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", stuck.endpoint())
          .env("OTEL_EXPORTER_OTLP_TIMEOUT", "60000")
          .jvmArg("-Dracetrace.include=" + PKG, "-Dracetrace.shutdown.timeout=2s")
          .run(PipelineProgram.class);
      assertThat(r.exitCode).isZero();
      assertThat(r.stdout).isEqualTo(plain.stdout);
      assertThat(stuck.posts.get()).as("the agent did try to export").isPositive();
      assertThat(r.millis).as("exit not held hostage by the collector").isLessThan(plain.millis + 20_000);
    }
  }

  @Test
  void anUnwritableOutputDirectoryCostsTheApplicationNothing() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .jvmArg("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + file.resolve("spans"))
        .run(PipelineProgram.class);
    assertThat(r.exitCode).isZero();
    assertThat(r.stdout).isEqualTo(plain.stdout);
    // the journal, the default recording: its chunks are lost and counted, in one line
    assertThat(r.nonEmptyStderr()).contains("journal write failed; its chunks are lost until writing "
        + "works again").containsPattern("[1-9][0-9]* failed export batches");
  }
}
