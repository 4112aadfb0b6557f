package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.programs.ManyThreadsProgram;
import dev.racetrace.it.programs.PipelineProgram;
import dev.racetrace.it.programs.ThrowingProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every value a new user might try that once broke a promise (issue 17): with each, the
 * application's output is that of a run without the agent, the JVM exits on time, and stderr has
 * exactly one racetrace line naming the key and the (escaped) value.
 */
class ConfigSafetyIT {
  private static final String PKG = "dev.racetrace.it.programs";
  /** A fixed heap, so the heap-share limits in the expected lines do not depend on the machine. */
  private static final String HEAP = "-Xmx256m";
  /** The program runs well under a second: a run with the agent disabled may not take much longer. */
  private static final long ON_TIME_MILLIS = 10_000;

  @TempDir static Path dir;
  private static ForkedJvm.Result plain;
  private static Path fifo;

  @BeforeAll
  static void runWithoutAgent() throws Exception {
    plain = ForkedJvm.plain().jvmArg(HEAP).run(PipelineProgram.class);
    assertThat(plain.exitCode).isZero();
    fifo = dir.resolve("config.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
  }

  private static Arguments sys(String property, String line) {
    return Arguments.of(List.of("-D" + property), List.of(), line);
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        sys("racetrace.buffer.size=1073741824",
            "racetrace.buffer.size=1073741824: above the maximum 1048576"),
        sys("racetrace.buffer.size=67108864", "racetrace.buffer.size=67108864: above the maximum 1048576"),
        sys("racetrace.buffer.size=1048576", "racetrace.buffer.size=1048576: 2 shared rings of 1048576 events "
            + "need 144 MiB, more than racetrace's share of the heap (1/8 of the max heap 256 MiB = 32 MiB); "
            + "at most 131072 fits"),
        sys("racetrace.buffer.threads=2000", "racetrace.buffer.threads=2000: 2000 rings of 4096 events (72 B "
            + "each) plus 4 shared need 563 MiB, more than racetrace's share of the heap (1/8 of the max heap "
            + "256 MiB = 32 MiB); at most 109 fit with racetrace.buffer.size=4096"),
        sys("racetrace.export.interval=0ms", "racetrace.export.interval=0ms: below the minimum 1ms"),
        sys("racetrace.shutdown.timeout=9223372036854775807ms",
            "racetrace.shutdown.timeout=9223372036854775807ms: above the maximum 10m"),
        sys("racetrace.trace.window=0ms", "racetrace.trace.window=0ms: below the minimum 1ms"),
        Arguments.of(List.of("-Dracetrace.mode=flight", "-Dracetrace.flight.size=2147483647"), List.of(),
            "racetrace.flight.size=2147483647: above the maximum 1000000"),
        Arguments.of(List.of("-Dracetrace.mode=flight", "-Dracetrace.flight.size=100000"), List.of(),
            "racetrace.flight.size=100000: spans of about 1 KiB each need 97 MiB, more than racetrace's share "
                + "of the heap (1/8 of the max heap 256 MiB = 32 MiB); at most 32768 fit"),
        Arguments.of(List.of("-Dracetrace.mode=flight", "-Dracetrace.flight.maxsize=64m"), List.of(),
            "racetrace.flight.maxsize=64m: more than racetrace's share of the heap (1/8 of the max heap "
                + "256 MiB = 32 MiB)"),
        sys("racetrace.flight.maxage=forever", "racetrace.flight.maxage=forever: not a duration (e.g. 250ms, 5s, 2m)"),
        Arguments.of(List.of("-Dracetrace.mode=flight", "-Dracetrace.flight.triggers="), List.of(),
            "racetrace.flight.triggers=: empty: name at least one of violation, timeout, shutdown (a dump "
                + "request always exports)"),
        sys("racetrace.include=dev.racetrace", "racetrace.include=dev.racetrace: 'dev.racetrace' contains "
            + "dev.racetrace.agent, which is never instrumented (JDK and racetrace packages); name your own packages"),
        sys("racetrace.record=queues,lockz", "racetrace.record=queues,lockz: 'lockz' is not an event family "
            + "(all, queues, executors, latches, semaphores, locks, conditions, monitors, futures, sleeps, flags)"),
        sys("racetrace.config=/dev/zero",
            "racetrace.config=/dev/zero: not a regular file (a FIFO, device or socket is never read)"),
        sys("racetrace.config=" + fifo,
            "racetrace.config=" + fifo + ": not a regular file (a FIFO, device or socket is never read)"),
        sys("racetrace.config=" + dir, "racetrace.config=" + dir + ": a directory, not a properties file"),
        sys("racetrace.rules=a < b per key;b < a per key",
            "racetrace.rules=a < b per key;b < a per key: the rules order a < b < a, a cycle no run can satisfy"),
        sys("racetrace.buffer.size=12\n\u001b[31mred",
            "racetrace.buffer.size=12\\n\\u001b[31mred: not a power-of-two integer"),
        Arguments.of(List.of(), List.of("racetrace_include", PKG), "racetrace_include=" + PKG
            + ": not read: racetrace's environment variables are upper case (did you mean RACETRACE_INCLUDE?)"),
        Arguments.of(List.of(), List.of("RACETRACE_include", PKG), "RACETRACE_include=" + PKG
            + ": not read: racetrace's environment variables are upper case (did you mean RACETRACE_INCLUDE?)"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badValues")
  void aBadValueIsOneEscapedLineAndTheApplicationRunsUntouchedAndOnTime(List<String> jvmArgs,
      List<String> env, String line) throws Exception {
    Path out = Files.createTempDirectory(dir, "out").resolve("spans");
    // the number of shared rings follows the processor count: fixed, like the heap
    ForkedJvm jvm = ForkedJvm.withAgent().jvmArg(HEAP, "-XX:ActiveProcessorCount=2", "-Dracetrace.out=" + out);
    if (jvmArgs.stream().noneMatch(a -> a.startsWith("-Dracetrace.include="))) {
      jvm.jvmArg("-Dracetrace.include=" + PKG);
    }
    jvm.jvmArg(jvmArgs.toArray(new String[0]));
    if (!env.isEmpty()) {
      jvm.env(env.get(0), env.get(1));
    }
    ForkedJvm.Result r = jvm.run(PipelineProgram.class);
    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.stdout).isEqualTo(plain.stdout);
    assertThat(r.millis).as("exit on time").isLessThan(ON_TIME_MILLIS);
    assertThat(r.nonEmptyStderr()).isEqualTo("racetrace: " + line + "; agent disabled\n");
    assertThat(out).doesNotExist();
  }

  @Test
  void defaultBuffersFitASmallHeapWithManyThreads() throws Exception {
    ForkedJvm.Result without = ForkedJvm.plain().jvmArg("-Xmx32m").run(ManyThreadsProgram.class, "1500");
    ForkedJvm.Result with = ForkedJvm.withAgent()
        .jvmArg("-Xmx32m", "-Dracetrace.include=" + PKG, "-Dracetrace.out=" + dir.resolve("many"))
        .run(ManyThreadsProgram.class, "1500");
    assertThat(with.exitCode).as(with.toString()).isZero();
    assertThat(with.stdout).isEqualTo(without.stdout);
    assertThat(with.nonEmptyStderr()).doesNotContain("OutOfMemoryError").doesNotContain("internal errors");
  }

  @Test
  void aSecondJavaagentFlagStartsNothingAndSaysSoOnce() throws Exception {
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .jvmArg("-javaagent:" + ForkedJvm.AGENT, "-Dracetrace.include=" + PKG,
            "-Dracetrace.out=" + dir.resolve("twice"))
        .run(PipelineProgram.class);
    assertThat(r.exitCode).isZero();
    assertThat(r.stdout).isEqualTo(plain.stdout);
    List<String> lines = Arrays.asList(r.nonEmptyStderr().split("\n"));
    assertThat(lines).filteredOn(l -> l.equals("racetrace: racetrace is already running in this JVM; this copy does nothing")).hasSize(1);
    assertThat(lines).filteredOn(l -> l.contains(": recording " + PKG)).hasSize(1);
  }

  @Test
  void secretsInTheOtlpSettingsNeverReachStderr() throws Exception {
    ForkedJvm.Result headers = ForkedJvm.withAgent()
        .env("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer s3cret-token,broken")
        .jvmArg("-Dracetrace.include=" + PKG, "-Dracetrace.exporter=otel")
        .run(PipelineProgram.class);
    assertThat(headers.stdout).isEqualTo(plain.stdout);
    assertThat(headers.stderr).doesNotContain("s3cret").contains("otel.exporter.otlp.headers=(value not shown)");
    assertThat(racetraceLines(headers)).hasSize(1);

    int closedPort = Ports.freeLoopbackPort();
    ForkedJvm.Result url = ForkedJvm.withAgent()
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://alice:pa55word@127.0.0.1:" + closedPort)
        .jvmArg("-Dracetrace.include=" + PKG, "-Dracetrace.shutdown.timeout=1s")
        .run(PipelineProgram.class);
    assertThat(url.stdout).isEqualTo(plain.stdout);
    assertThat(url.stderr).doesNotContain("pa55word").doesNotContain("alice")
        .contains("spans -> OTLP http://***@127.0.0.1:" + closedPort);
  }

  @Test
  void anIncludeThatNamesAClassOffTheClassPathIsReportedAtExit() throws Exception {
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .jvmArg("-Dracetrace.include=com.acme.Replica", "-Dracetrace.out=" + dir.resolve("none"))
        .run(PipelineProgram.class);
    assertThat(r.stdout).isEqualTo(plain.stdout);
    assertThat(r.nonEmptyStderr())
        .contains("racetrace: racetrace.include=com.acme.Replica: no class of com.acme.Replica was loaded "
            + "(as a package or as a class)\n")
        .contains("racetrace: recorded nothing: no instrumented queue, executor or guard call ran in "
            + "com.acme.Replica");
  }

  @Test
  void anIncludedClassIsRecordedAndAnExcludedClassWithItsNestedClassesIsNot() throws Exception {
    String cls = PipelineProgram.class.getName();
    ForkedJvm.Result in = ForkedJvm.withAgent()
        .jvmArg("-Dracetrace.include=" + cls, "-Dracetrace.out=" + dir.resolve("class-in"))
        .run(PipelineProgram.class);
    assertThat(in.stdout).isEqualTo(plain.stdout);
    assertThat(in.nonEmptyStderr()).contains(": recording " + cls + " (class) on node ")
        .doesNotContain("recorded nothing").doesNotContain("no class of");
    assertThat(SpanFile.readDir(dir.resolve("class-in")).spans).isNotEmpty();

    ForkedJvm.Result out = ForkedJvm.withAgent()
        .jvmArg("-Dracetrace.include=" + PKG, "-Dracetrace.exclude=" + cls,
            "-Dracetrace.out=" + dir.resolve("class-out"))
        .run(PipelineProgram.class);
    assertThat(out.stdout).isEqualTo(plain.stdout);
    // every queue and executor call of the program is in PipelineProgram or its nested classes
    assertThat(out.nonEmptyStderr())
        .contains(": recording " + PKG + " (package) excluding " + cls + " (class) on node ")
        .contains("racetrace: recorded nothing");
  }

  @Test
  void aStateProbeThatThrowsIsNamedOnceAndTheApplicationRunsUntouched() throws Exception {
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .jvmArg("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + dir.resolve("probe"),
            "-Dracetrace.state=boom=" + ThrowingProbe.class.getName() + "#count")
        .run(PipelineProgram.class);
    assertThat(r.exitCode).isZero();
    assertThat(r.stdout).isEqualTo(plain.stdout);
    assertThat(racetraceLines(r)).filteredOn(l -> l.contains("state probe")).containsExactly(
        "racetrace: state probe boom=" + ThrowingProbe.class.getName() + "#count threw "
            + "java.lang.IllegalStateException; it is read without effect on the application and disabled "
            + "after 3 failures (counted as internal errors)");
    assertThat(r.stderr).doesNotContain("application detail");
  }

  @Test
  void aTemporaryDirectoryRacetraceCannotWriteToDoesNotMatterAsItWritesNothingThere() throws Exception {
    Path missing = dir.resolve("no-such-tmp");
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .jvmArg(HEAP, "-Djava.io.tmpdir=" + missing, "-Dracetrace.include=" + PKG, "-Dracetrace.out=" + dir.resolve("tmp"))
        .run(PipelineProgram.class);
    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.stdout).isEqualTo(plain.stdout);
    // agent-core's classes go into the bootstrap loader from the agent jar: it starts and records
    assertThat(racetraceLines(r)).singleElement().asString().startsWith("racetrace ").contains(": recording " + PKG);
    assertThat(Journals.any(dir.resolve("tmp"))).isTrue();
    assertThat(missing).doesNotExist();
  }

  private static List<String> racetraceLines(ForkedJvm.Result r) {
    List<String> out = new ArrayList<>();
    for (String l : r.stderr.split("\n")) {
      if (l.startsWith("racetrace")) {
        out.add(l);
      }
    }
    return out;
  }
}
