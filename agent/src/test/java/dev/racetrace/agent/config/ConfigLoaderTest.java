package dev.racetrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.racetrace.agent.fixtures.TestProperties.props;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static AgentConfig load(Properties p) throws ConfigException {
    return ConfigLoader.load(p, Map.of());
  }

  @Test
  void defaultsWhenNothingIsSet() throws Exception {
    AgentConfig c = load(new Properties());
    assertThat(c.enabled()).isTrue();
    assertThat(c.include()).isEmpty();
    assertThat(c.out().toString()).isEqualTo("./racetrace-out");
    assertThat(c.bufferSize()).isEqualTo(4096);
    assertThat(c.exporter()).isEqualTo(ExporterChoice.AUTO);
    assertThat(c.exportIntervalMillis()).isEqualTo(100);
    assertThat(c.shutdownTimeoutMillis()).isEqualTo(5000);
  }

  @Test
  void choicesAreParsedOnceIntoTheirTypesWithTheOldExporterNameAsAlias() throws Exception {
    AgentConfig c = load(props("racetrace.exporter", "file", "racetrace.mode", "flight",
        "racetrace.file.encoder", "otel-sdk"));
    assertThat(c.exporter()).isEqualTo(ExporterChoice.OTLP_JSON);
    assertThat(c.exporter().writesSpanFiles()).isTrue();
    assertThat(c.mode()).isEqualTo(RecordingMode.FLIGHT);
    assertThat(c.flight()).isTrue();
    assertThat(c.fileEncoder()).isEqualTo(FileEncoder.OTEL_SDK);
    assertThat(load(new Properties()).mode()).isEqualTo(RecordingMode.STREAM);
    assertThatThrownBy(() -> load(props("racetrace.exporter", "Journal")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("racetrace.exporter")
        .hasMessageContaining("Journal");
  }

  @Test
  void packagesAreSplitTrimmedAndWildcardsStripped() throws Exception {
    AgentConfig c = load(props("racetrace.include", " com.acme.orders , org.example.*,", "racetrace.exclude", "com.acme.orders.gen"));
    assertThat(c.include()).containsExactly("com.acme.orders", "org.example");
    assertThat(c.exclude()).containsExactly("com.acme.orders.gen");
  }

  @Test
  void systemPropertiesWinOverEnvironmentWhichWinsOverTheFile() throws Exception {
    Path file = dir.resolve("rt.properties");
    Files.writeString(file, "racetrace.buffer.size=256\nracetrace.out=/from/file\nracetrace.include=com.file\n");
    Map<String, String> env = new HashMap<>();
    env.put("RACETRACE_CONFIG", file.toString());
    env.put("RACETRACE_BUFFER_SIZE", "512");
    env.put("RACETRACE_INCLUDE", "com.env");
    AgentConfig c = ConfigLoader.load(props("racetrace.include", "com.sys"), env);
    assertThat(c.include()).containsExactly("com.sys");
    assertThat(c.bufferSize()).isEqualTo(512);
    assertThat(c.out().toString()).isEqualTo("/from/file");
  }

  @Test
  void otelSettingsInTheFileAreKeptForTheExporter() throws Exception {
    Path file = dir.resolve("rt.properties");
    Files.writeString(file, "otel.exporter.otlp.endpoint=http://127.0.0.1:4318\n");
    AgentConfig c = load(props("racetrace.config", file.toString()));
    assertThat(c.otelFromFile()).containsEntry("otel.exporter.otlp.endpoint", "http://127.0.0.1:4318");
  }

  @Test
  void durationsAcceptUnits() throws Exception {
    assertThat(load(props("racetrace.export.interval", "250ms")).exportIntervalMillis()).isEqualTo(250);
    assertThat(load(props("racetrace.export.interval", "2s")).exportIntervalMillis()).isEqualTo(2000);
    assertThat(load(props("racetrace.trace.window", "5m")).traceWindowMillis()).isEqualTo(300_000);
    assertThat(load(props("racetrace.export.interval", "40")).exportIntervalMillis()).isEqualTo(40);
  }

  /** Every malformed value gives one message naming the key, the value and what is wrong. */
  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "racetrace.buffer.size|12x|racetrace.buffer.size=12x: not a power-of-two integer",
      "racetrace.buffer.size|1000|racetrace.buffer.size=1000: not a power-of-two integer",
      "racetrace.buffer.size|-8|racetrace.buffer.size=-8: not a power-of-two integer",
      "racetrace.buffer.threads|0|racetrace.buffer.threads=0: not a positive integer",
      "racetrace.enabled|yes|racetrace.enabled=yes: not a boolean (true or false)",
      "racetrace.export.interval|fast|racetrace.export.interval=fast: not a duration (e.g. 250ms, 5s, 2m)",
      "racetrace.shutdown.timeout|-5s|racetrace.shutdown.timeout=-5s: not a duration (e.g. 250ms, 5s, 2m)",
      "racetrace.include|com.acme..orders|racetrace.include=com.acme..orders: 'com.acme..orders' is not a package or class name",
      "racetrace.include|com/acme|racetrace.include=com/acme: 'com/acme' is not a package or class name",
      "racetrace.include|java.util.concurrent|racetrace.include=java.util.concurrent: 'java.util.concurrent' cannot be instrumented (JDK and racetrace packages are never transformed)",
      "racetrace.exclude|1abc|racetrace.exclude=1abc: '1abc' is not a package or class name",
      "racetrace.exporter|jaeger|racetrace.exporter=jaeger: not one of auto, journal, otlp-json, otel, both",
      "racetrace.file.encoder|jackson|racetrace.file.encoder=jackson: not one of racetrace, otel-sdk",
      "racetrace.buffer.sise|64|racetrace.buffer.sise=64: unknown key (did you mean racetrace.buffer.size?)",
      "racetrace.includes|com.acme|racetrace.includes=com.acme: unknown key (did you mean racetrace.include?)",
      "racetrace.frobnicate|1|racetrace.frobnicate=1: unknown key",
      "racetrace.record|queues,lockz|racetrace.record=queues,lockz: 'lockz' is not an event family (all, queues, "
          + "executors, latches, semaphores, locks, conditions, monitors, futures, sleeps, flags)",
      "racetrace.record|' , '|racetrace.record=,: empty: name at least one of all, queues, executors, latches, "
          + "semaphores, locks, conditions, monitors, futures, sleeps, flags",
      "racetrace.flight.timeout.interval|-1s|racetrace.flight.timeout.interval=-1s: not a duration (e.g. 250ms, 5s, 2m)",
      "racetrace.flight.maxage|ten minutes|racetrace.flight.maxage=ten minutes: not a duration (e.g. 250ms, 5s, 2m)",
      "racetrace.flight.maxsize|16 megs|racetrace.flight.maxsize=16 megs: not a size (e.g. 512k, 4m, 1g)",
  })
  void malformedValuesAreRejectedWithOneClearMessage(String key, String value, String message) {
    assertThatThrownBy(() -> load(props(key, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void recordDefaultsToEveryFamilyAndTakesAList() throws Exception {
    assertThat(load(new Properties()).record()).containsExactlyInAnyOrder(RecordFamily.values());
    assertThat(load(props("racetrace.record", "executors, queues")).record())
        .containsExactly(RecordFamily.QUEUES, RecordFamily.EXECUTORS);
    assertThat(load(props("racetrace.record", "locks,all")).record()).containsExactlyInAnyOrder(RecordFamily.values());
  }

  @Test
  void theFlightTimeoutIntervalDefaultsToAMinute() throws Exception {
    assertThat(load(new Properties()).flightTimeoutIntervalMillis()).isEqualTo(60_000);
    assertThat(load(props("racetrace.flight.timeout.interval", "0s")).flightTimeoutIntervalMillis()).isZero();
  }

  @Test
  void unknownEnvironmentVariableIsNamedWithItsNearMiss() {
    assertThatThrownBy(() -> ConfigLoader.load(new Properties(), Map.of("RACETRACE_INCLUDES", "com.acme")))
        .hasMessage("RACETRACE_INCLUDES=com.acme: unknown key (did you mean RACETRACE_INCLUDE?)");
  }

  @Test
  void unreadableConfigFileIsNamed() {
    String missing = dir.resolve("missing.properties").toString();
    assertThatThrownBy(() -> load(props("racetrace.config", missing)))
        .hasMessage("racetrace.config=" + missing + ": cannot read file (NoSuchFileException)");
  }

  @Test
  void unknownKeyInTheFileIsNamedWithTheFile() throws IOException {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "racetrace.bufer.size=64\n");
    assertThatThrownBy(() -> load(props("racetrace.config", file.toString())))
        .hasMessageStartingWith("racetrace.bufer.size=64: unknown key in " + file
            + " (did you mean racetrace.buffer.size?)");
  }

  @Test
  void badValueInTheFileIsNamed() throws IOException {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "racetrace.buffer.size=big\n");
    assertThatThrownBy(() -> load(props("racetrace.config", file.toString())))
        .hasMessage("racetrace.buffer.size=big: not a power-of-two integer");
  }

  @Test
  void theSampleAppPackageMayBeInstrumentedButRacetracesOwnMayNot() throws Exception {
    assertThat(load(props("racetrace.include", "dev.racetrace.sample")).include())
        .containsExactly("dev.racetrace.sample");
    assertThatThrownBy(() -> load(props("racetrace.include", "dev.racetrace.core.hook")))
        .hasMessageContaining("cannot be instrumented");
  }
}
