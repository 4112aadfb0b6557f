package dev.racetrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.racetrace.agent.fixtures.TestProperties.props;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every accepted value keeps racetrace's promises: out-of-range values are refused with one line. */
class ConfigBoundsTest {
  private static final long GIB = 1L << 30;

  @TempDir Path dir;

  private static AgentConfig load(long heap, String... kv) throws ConfigException {
    return ConfigLoader.load(props(kv), Map.of(), heap, 2);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "racetrace.buffer.size|1073741824|racetrace.buffer.size=1073741824: above the maximum 1048576",
      "racetrace.buffer.size|1|racetrace.buffer.size=1: below the minimum 16",
      "racetrace.buffer.threads|100000|racetrace.buffer.threads=100000: above the maximum 65536",
      "racetrace.export.interval|0ms|racetrace.export.interval=0ms: below the minimum 1ms",
      "racetrace.export.interval|2m|racetrace.export.interval=2m: above the maximum 1m",
      "racetrace.shutdown.timeout|9223372036854775807ms|racetrace.shutdown.timeout=9223372036854775807ms: above the maximum 10m",
      "racetrace.shutdown.timeout|9223372036854775807s|racetrace.shutdown.timeout=9223372036854775807s: too large a duration",
      "racetrace.shutdown.timeout|99999999999999999999|racetrace.shutdown.timeout=99999999999999999999: too large a duration",
      "racetrace.export.cpu|0%|racetrace.export.cpu=0%: below the minimum 1%",
      "racetrace.export.cpu|101%|racetrace.export.cpu=101%: above the maximum 100%",
      "racetrace.export.cpu|five|racetrace.export.cpu=five: not a whole percentage (e.g. 5%)",
      "racetrace.export.cpu|2.5%|racetrace.export.cpu=2.5%: not a whole percentage (e.g. 5%)",
      "racetrace.trace.window|0ms|racetrace.trace.window=0ms: below the minimum 1ms",
      "racetrace.trace.window|25h|racetrace.trace.window=25h: above the maximum 24h",
      "racetrace.flight.size|2147483647|racetrace.flight.size=2147483647: above the maximum 1000000",
      "racetrace.flight.maxsize|512k|racetrace.flight.maxsize=512k: below the minimum 1m",
      "racetrace.flight.maxsize|2g|racetrace.flight.maxsize=2g: above the maximum 1g",
      "racetrace.flight.maxage|500ms|racetrace.flight.maxage=500ms: below the minimum 1s",
      "racetrace.memory.max|12x|racetrace.memory.max=12x: not a size (e.g. 512k, 4m, 1g)",
      "racetrace.memory.max|100k|racetrace.memory.max=100k: below the minimum 256k",
      "racetrace.memory.max|2g|racetrace.memory.max=2g: above the maximum 1g",
      "racetrace.memory.max|512m|racetrace.memory.max=512m: more than 1/4 of the max heap 1024 MiB; at most 256 MiB fits",
      "racetrace.out.max|99999999999999999999g|racetrace.out.max=99999999999999999999g: too large a size",
      "racetrace.out.max|1k|racetrace.out.max=1k: below the minimum 64k",
      "racetrace.include|dev.racetrace|racetrace.include=dev.racetrace: 'dev.racetrace' contains dev.racetrace.agent, which is never instrumented (JDK and racetrace packages); name your own packages",
      "racetrace.include|com|racetrace.include=com: 'com' contains com.sun, which is never instrumented (JDK and racetrace packages); name your own packages",
      "racetrace.delay|op:load=11m|racetrace.delay=op:load=11m: 'op:load=11m': a delay or jitter above the maximum 10m",
      "racetrace.delay|op:load=1ms~9223372036854775807ms|racetrace.delay=op:load=1ms~9223372036854775807ms: 'op:load=1ms~9223372036854775807ms': a delay or jitter above the maximum 10m",
      "racetrace.state|n=com.acme.S#size/2h|racetrace.state=n=com.acme.S#size/2h: 'n=com.acme.S#size/2h' has a sample interval above the maximum 1h",
      "racetrace.rules|a < b per key; b < a per key|racetrace.rules=a < b per key; b < a per key: the rules order a < b < a, a cycle no run can satisfy",
      "racetrace.rules|a < b < c per key; c < d per key; d < b per key|racetrace.rules=a < b < c per key; c < d per key; d < b per key: the rules order b < c < d < b, a cycle no run can satisfy",
  })
  void outOfRangeValuesAreRefusedNamingKeyValueAndLimit(String key, String value, String message) {
    assertThatThrownBy(() -> load(GIB, key, value)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void emptyFlightTriggersAreRefusedInsteadOfMeaningNothing() {
    assertThatThrownBy(() -> load(GIB, "racetrace.flight.triggers", ""))
        .hasMessage("racetrace.flight.triggers=: empty: name at least one of violation, timeout, shutdown "
            + "(a dump request always exports)");
  }

  @Test
  void ringsThatDoNotFitAnEighthOfTheHeapAreRefusedBeforeAnythingIsAllocated() {
    // 2097152 events × 72 B = 144 MiB per ring: the two shared rings alone exceed 1/8 of 1 GiB
    assertThatThrownBy(() -> load(GIB, "racetrace.buffer.size", "1048576"))
        .hasMessage("racetrace.buffer.size=1048576: 2 shared rings of 1048576 events need 144 MiB, more than "
            + "racetrace's share of the heap (1/8 of the max heap 1024 MiB = 128 MiB); at most 524288 fits");
    assertThatThrownBy(() -> load(GIB, "racetrace.buffer.threads", "2000"))
        .hasMessage("racetrace.buffer.threads=2000: 2000 rings of 4096 events (72 B each) plus 4 shared need "
            + "563 MiB, more than racetrace's share of the heap (1/8 of the max heap 1024 MiB = 128 MiB); "
            + "at most 451 fit with racetrace.buffer.size=4096");
  }

  @Test
  void defaultsShrinkToFitASmallHeapAndStayWithinTheShare() throws Exception {
    long heap = 128L << 20;
    AgentConfig c = load(heap, "racetrace.mode", "flight");
    assertThat(c.bufferSize()).isEqualTo(4096);
    assertThat(c.bufferThreads()).isBetween(1, 511);
    assertThat(c.ringBytes()).isLessThanOrEqualTo(heap / 8);
    assertThat((long) c.flightSize() * MemoryBudget.FLIGHT_SPAN_BYTES).isLessThanOrEqualTo(heap / 8);
    AgentConfig tiny = load(4L << 20);
    assertThat(tiny.bufferSize()).isLessThan(4096);
    assertThat(tiny.ringBytes()).isLessThanOrEqualTo((4L << 20) / 8);
    AgentConfig big = load(8 * GIB);
    assertThat(big.bufferThreads()).isEqualTo(512);
    assertThat(big.flightSize()).isEqualTo(20_000);
  }

  @Test
  void theLiveExportShareIsAPercentageOfOneCore() throws Exception {
    assertThat(load(GIB).exportCpuShare()).isEqualTo(0.05);
    assertThat(load(GIB, "racetrace.export.cpu", "100%").exportCpuShare()).isEqualTo(1.0);
    assertThat(load(GIB, "racetrace.export.cpu", "20").exportCpuShare()).isEqualTo(0.2);
  }

  @Test
  void theStateBudgetIsAsSetOrTheDefaultFittedToTheHeap() throws Exception {
    assertThat(load(GIB).stateBytes()).isEqualTo(8L << 20);
    assertThat(load(32L << 20).stateBytes()).as("1/8 of a 32 MiB heap").isEqualTo(4L << 20);
    assertThat(load(GIB, "racetrace.memory.max", "16m").stateBytes()).isEqualTo(16L << 20);
    assertThat(load(GIB, "racetrace.memory.max", "512K").stateBytes()).isEqualTo(512L << 10);
    assertThat(load(GIB).outMaxBytes()).isEqualTo(GIB);
    assertThat(load(GIB, "racetrace.out.max", "200mb").outMaxBytes()).isEqualTo(200L << 20);
  }

  @Test
  void anExplicitFlightSizeBeyondTheHeapShareIsRefusedInFlightModeOnly() throws Exception {
    assertThatThrownBy(() -> load(GIB, "racetrace.mode", "flight", "racetrace.flight.size", "500000"))
        .hasMessageStartingWith("racetrace.flight.size=500000: spans of about 1 KiB each need 488 MiB, more than");
    assertThat(load(GIB, "racetrace.flight.size", "500000").flightSize()).isEqualTo(500_000);
  }

  @Test
  void theJournalsFlightRingIsAsSetWithinTheHeapShareOrTheDefaultFittedToIt() throws Exception {
    assertThat(load(GIB, "racetrace.mode", "flight").flightMaxBytes()).isEqualTo(16L << 20);
    assertThat(load(64L << 20, "racetrace.mode", "flight").flightMaxBytes()).as("1/8 of a 64 MiB heap")
        .isEqualTo(8L << 20);
    assertThat(load(4L << 20, "racetrace.mode", "flight").flightMaxBytes()).as("never below 1 MiB")
        .isEqualTo(1L << 20);
    assertThat(load(GIB, "racetrace.mode", "flight", "racetrace.flight.maxsize", "64m").flightMaxBytes())
        .isEqualTo(64L << 20);
    assertThatThrownBy(() -> load(GIB, "racetrace.mode", "flight", "racetrace.flight.maxsize", "512m"))
        .hasMessage("racetrace.flight.maxsize=512m: more than racetrace's share of the heap (1/8 of the max "
            + "heap 1024 MiB = 128 MiB)");
    assertThat(load(GIB, "racetrace.mode", "flight").flightMaxAgeMillis()).isEqualTo(600_000);
    assertThat(load(GIB, "racetrace.flight.maxage", "2m").flightMaxAgeMillis()).isEqualTo(120_000);
  }

  @Test
  void aConfigFileMustBeASmallRegularFile() throws Exception {
    assertThatThrownBy(() -> load(GIB, "racetrace.config", dir.toString()))
        .hasMessage("racetrace.config=" + dir + ": a directory, not a properties file");
    assertThatThrownBy(() -> load(GIB, "racetrace.config", "/dev/zero"))
        .hasMessage("racetrace.config=/dev/zero: not a regular file (a FIFO, device or socket is never read)");
    Path big = dir.resolve("big.properties");
    Files.write(big, new byte[(1 << 20) + 1]);
    assertThatThrownBy(() -> load(GIB, "racetrace.config", big.toString()))
        .hasMessage("racetrace.config=" + big + ": larger than 1 MiB, not a racetrace properties file");
  }

  @Test
  void aFifoIsRefusedWithoutBeingOpened() throws Exception {
    Path fifo = dir.resolve("fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mk.waitFor()).isZero();
    // opening a FIFO for reading blocks until a writer comes: the check must not open it
    assertThatThrownBy(() -> load(GIB, "racetrace.config", fifo.toString()))
        .hasMessage("racetrace.config=" + fifo + ": not a regular file (a FIFO, device or socket is never read)");
  }

  @Test
  void aProcFileThatMisreportsItsSizeIsReadOnlyUpToTheCap() {
    // /proc files report size 0; this one's content is not properties: it must fail, not hang
    Path self = Paths.get("/proc/self/status");
    if (Files.isRegularFile(self)) {
      assertThatThrownBy(() -> load(GIB, "racetrace.config", self.toString()))
          .isInstanceOf(ConfigException.class);
    }
  }

  @Test
  void controlCharactersInAValueAreEscapedInTheMessage() {
    assertThatThrownBy(() -> load(GIB, "racetrace.buffer.size", "12\n\u001b[31mred"))
        .hasMessage("racetrace.buffer.size=12\\n\\u001b[31mred: not a power-of-two integer");
  }

  @Test
  void anOverlongValueIsShortenedInTheMessage() {
    String value = "x".repeat(70_000);
    assertThatThrownBy(() -> load(GIB, "racetrace.out", value))
        .hasMessage("racetrace.out=" + "x".repeat(200) + "...(70000 characters): longer than 65536 characters");
  }

  @Test
  void aLowerCaseEnvironmentVariableIsNamedWithItsRightSpelling() {
    assertThatThrownBy(() -> ConfigLoader.load(new Properties(), Map.of("racetrace_include", "com.acme")))
        .hasMessage("racetrace_include=com.acme: not read: racetrace's environment variables are upper case "
            + "(did you mean RACETRACE_INCLUDE?)");
    assertThatThrownBy(() -> ConfigLoader.load(new Properties(), Map.of("RACETRACE_include", "com.acme")))
        .hasMessage("RACETRACE_include=com.acme: not read: racetrace's environment variables are upper case "
            + "(did you mean RACETRACE_INCLUDE?)");
  }

  @Test
  void everyKeyDocumentsItsLimitOrIsAFixedChoice() {
    for (ConfigKey k : ConfigKey.values()) {
      boolean choice = k.type() == ValueType.BOOLEAN || k.type() == ValueType.MODE
          || k.type() == ValueType.EXPORTER || k.type() == ValueType.FILE_ENCODER;
      if (!choice && k.type() != ValueType.TEXT && k.type() != ValueType.PATH) {
        assertThat(k.bound().describe()).as(k.key()).isNotEmpty();
      }
    }
  }
}
