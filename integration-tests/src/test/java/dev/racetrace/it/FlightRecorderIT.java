package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.racetrace.it.programs.GuardsProgram;
import dev.racetrace.it.programs.WaitingProgram;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * racetrace.mode=flight: the recording stays in memory until a trigger or a dump request. By
 * default that is a ring of journal chunks, dumped as a journal ({@code *-flight-<n>.rtj}) that
 * {@code analyze} and {@code export} read; with racetrace.exporter=otlp-json the last spans.
 */
class FlightRecorderIT {
  private static final String P = GuardsProgram.class.getName();

  @TempDir Path dir;

  private ForkedJvm guards(Path out, String triggers, String... more) {
    return ForkedJvm.withAgent().jvmArg("-Dracetrace.include=dev.racetrace.it.programs",
        "-Dracetrace.out=" + out, "-Dracetrace.mode=flight",
        "-Dracetrace.flight.triggers=" + triggers,
        "-Dracetrace.keys=" + P + "$Operation#key",
        "-Dracetrace.ops=" + P + "$LoadMetadata=load-metadata," + P + "$Derive=derive",
        "-Dracetrace.rules=load-metadata < derive per key").jvmArg(more);
  }

  /** The flight dumps (journals) written under {@code out}. */
  private static List<Path> flightDumps(Path out) throws Exception {
    if (!Files.isDirectory(out)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> s = Files.list(out)) {
      return s.filter(f -> f.getFileName().toString().matches(".*-flight-[0-9]+\\.rtj")).sorted()
          .collect(java.util.stream.Collectors.toList());
    }
  }

  /** An idle worker's timed wait expiring every 20 ms dumps once per racetrace.flight.timeout.interval. */
  @Test
  void expiredWaitsDumpAtMostOncePerTimeoutInterval() throws Exception {
    ForkedJvm.Result plain = ForkedJvm.plain().run(dev.racetrace.it.programs.IdleTimeoutProgram.class, "40");
    List<Long> limited = timeoutDumps("limited", "60s", plain.stdout);
    assertThat(limited).as("dumps within the default interval").hasSize(1);
    List<Long> unlimited = timeoutDumps("unlimited", "0ms", plain.stdout);
    assertThat(unlimited).as("dumps without a limit").hasSizeGreaterThan(1);
  }

  /** The race.flight.suppressed of each timeout-triggered dump span. */
  private List<Long> timeoutDumps(String name, String interval, String plainStdout) throws Exception {
    Path out = dir.resolve(name);
    ForkedJvm.Result r = ForkedJvm.withAgent().jvmArg("-Dracetrace.include=dev.racetrace.it.programs",
        "-Dracetrace.out=" + out, "-Dracetrace.mode=flight", "-Dracetrace.flight.triggers=timeout",
        "-Dracetrace.export.interval=10ms", "-Dracetrace.flight.timeout.interval=" + interval)
        .run(dev.racetrace.it.programs.IdleTimeoutProgram.class, "40");
    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.stdout).isEqualTo(plainStdout);
    return SpanFile.readDir(out).where(s -> s.name.equals("racetrace.flight.dump")
        && s.str("race.flight.reason").startsWith("timed wait on")).stream().map(s -> s.num("race.flight.suppressed"))
        .collect(java.util.stream.Collectors.toList());
  }

  @Test
  void anOrderlyRunWritesNothingWhenOnlyViolationsTrigger() throws Exception {
    Path out = dir.resolve("ordered");
    ForkedJvm.Result r = guards(out, "violation").run(GuardsProgram.class, "ordered", "1", "3");
    assertThat(r.exitCode).isZero();
    assertThat(r.nonEmptyStderr()).contains("flight recorder keeps the journal of the last 10m within "
        + "16.0 MiB in memory (racetrace.flight.maxage, maxsize), written on violation or: java -jar "
        + "racetrace-agent.jar dump ").doesNotContain("racetrace: flight dump (");
    assertThat(out).doesNotExist();
  }

  @Test
  void aRuleViolationDumpsTheJournalThatLedToItAsAJournalAnalyzeAndExportRead() throws Exception {
    Path out = dir.resolve("broken");
    ForkedJvm.Result r = guards(out, "violation").run(GuardsProgram.class, "broken", "1", "2");
    assertThat(r.exitCode).as("%s", r).isZero();
    // one key per round breaks the rule; the first violation triggers the dump
    List<String> oddKeys = r.stdout.lines().filter(l -> l.startsWith("odd=")).map(l -> l.substring(4))
        .collect(java.util.stream.Collectors.toList());
    String odd = oddKeys.get(0);
    List<Path> dumps = flightDumps(out);
    assertThat(dumps).as("one dump, a journal, and nothing else").hasSize(1);
    try (java.util.stream.Stream<Path> all = Files.list(out)) {
      assertThat(all.count()).isEqualTo(1);
    }
    assertThat(r.nonEmptyStderr()).contains("racetrace: flight dump (rule violation on key " + odd
        + "): ").contains(" events -> " + dumps.get(0));

    SpanFile spans = SpanFile.readDir(out); // the agent's own export --otlp-json
    List<SpanFile.Span> dumpSpans = spans.where(s -> s.name.equals("racetrace.flight.dump"));
    assertThat(dumpSpans).singleElement().satisfies(d -> {
      assertThat(d.str("race.flight.reason")).isEqualTo("rule violation on key " + odd);
      assertThat(d.num("race.flight.events")).isPositive();
    });
    // the window around the trigger: the violating key's late derive and the load-metadata it overtook
    List<SpanFile.Span> violated = spans.where(s -> Boolean.TRUE.equals(s.bool("race.rule.violated")));
    assertThat(violated).isNotEmpty().allSatisfy(v -> assertThat(v.str("race.key")).isIn(oddKeys));
    assertThat(violated).extracting(v -> v.str("race.key")).contains(odd);
    assertThat(spans.where(s -> odd.equals(s.str("race.key")) && "queue.enqueue".equals(s.event())))
        .extracting(s -> s.str("race.op")).contains("load-metadata", "derive");

    ForkedJvm.Result analyzed = AgentCli.run("analyze", out.toString());
    assertThat(analyzed.stderr).as("%s", analyzed).contains("flight dump (rule violation on key " + odd + "): ");
    assertThat(analyzed.stdout).as("%s", analyzed).contains(odd);
    Path exported = dir.resolve("exported");
    ForkedJvm.Result export = AgentCli.run("export", out.toString(), "--otlp-json", exported.toString());
    assertThat(export.exitCode).as("%s", export).isZero();
    assertThat(export.stderr).contains("flight dump (rule violation on key " + odd + "): ");
  }

  /** An OTLP endpoint beside flight mode: the dump is written, and its spans are sent there too. */
  @Test
  void withAnOtlpEndpointTheDumpIsWrittenAndItsSpansAreSentThere() throws Exception {
    Path out = dir.resolve("broken-otlp");
    try (OtlpReceiver receiver = new OtlpReceiver(false)) {
      ForkedJvm.Result r = guards(out, "violation").env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
          .run(GuardsProgram.class, "broken", "1", "2");
      assertThat(r.exitCode).as("%s", r).isZero();
      String otlp = "OTLP " + receiver.endpoint() + " (http/protobuf)";
      assertThat(r.nonEmptyStderr()).contains("-flight-<n>.rtj (spans from it: ", ", each dump also sent to " + otlp);
      List<Path> dumps = flightDumps(out);
      assertThat(dumps).hasSize(1);
      assertThat(r.nonEmptyStderr()).contains(dumps.get(0) + ": flight dump (rule violation on key ")
          .containsPattern(" events -> [0-9]+ spans -> " + Pattern.quote(otlp));
      List<io.opentelemetry.proto.trace.v1.Span> received = receiver.spans();
      assertThat(received).filteredOn(s -> s.getName().equals("racetrace.flight.dump")).hasSize(1);
      assertThat(received).anyMatch(s -> s.getAttributesList().stream().anyMatch(a ->
          a.getKey().equals("race.rule.violated") && a.getValue().getBoolValue()));
      // what the receiver got is what export builds from the dump file
      assertThat(received.stream().filter(s -> !s.getName().equals("racetrace.stats")).count())
          .isEqualTo(SpanFile.readDir(out).where(s -> !s.name.equals("racetrace.stats")).size());
    }
  }

  @Test
  void atExitTheShutdownTriggerDumpsWhatTheRingHolds() throws Exception {
    Path out = dir.resolve("exit");
    ForkedJvm.Result r = guards(out, "violation,shutdown").run(GuardsProgram.class, "ordered", "1", "2");
    assertThat(r.exitCode).as("%s", r).isZero();
    List<Path> dumps = flightDumps(out);
    assertThat(dumps).hasSize(1);
    assertThat(r.nonEmptyStderr()).contains("racetrace: flight dump (shutdown): ");
    SpanFile spans = SpanFile.readDir(out);
    assertThat(spans.where(s -> s.name.equals("racetrace.flight.dump")))
        .singleElement().satisfies(d -> assertThat(d.str("race.flight.reason")).isEqualTo("shutdown"));
    assertThat(spans.where(s -> Boolean.TRUE.equals(s.bool("race.rule.violated")))).isEmpty();
    assertThat(spans.event("queue.enqueue")).extracting(s -> s.str("race.op")).contains("load-metadata", "derive");
  }

  @Test
  void withOtlpJsonARuleViolationExportsTheRetainedSpans() throws Exception {
    Path out = dir.resolve("broken-json");
    ForkedJvm.Result r = guards(out, "violation", "-Dracetrace.exporter=otlp-json", "-Dracetrace.flight.size=500")
        .run(GuardsProgram.class, "broken", "1", "2");
    assertThat(r.exitCode).isZero();
    assertThat(r.nonEmptyStderr()).contains("flight recorder keeps the last 500 spans");
    assertThat(flightDumps(out)).as("no journal").isEmpty();
    SpanFile spans = SpanFile.readDir(out);
    List<SpanFile.Span> dumps = spans.where(s -> s.name.equals("racetrace.flight.dump"));
    assertThat(dumps).isNotEmpty();
    assertThat(dumps.get(0).str("race.flight.reason")).startsWith("rule violation on key r0-order-");
    assertThat(dumps.get(0).num("race.flight.spans")).isPositive();
    assertThat(spans.where(s -> Boolean.TRUE.equals(s.bool("race.rule.violated")))).isNotEmpty();
    assertThat(spans.event("queue.enqueue")).isNotEmpty();
  }

  @Test
  void theDumpCommandWritesARunningProcesssFlightJournal() throws Exception {
    Path out = dir.resolve("dumped");
    Path stderr = dir.resolve("stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + ForkedJvm.AGENT, "-Dracetrace.include=dev.racetrace.it.programs",
        "-Dracetrace.out=" + out, "-Dracetrace.mode=flight", "-Dracetrace.flight.triggers=violation",
        "-cp", ForkedJvm.CLASSES, WaitingProgram.class.getName());
    pb.redirectError(stderr.toFile());
    Process p = pb.start();
    try {
      BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      for (String line; !(line = stdout.readLine()).equals("done"); ) {
        assertThat(line).isNotNull();
      }
      Matcher m = Pattern.compile("dump (\\d+) --token ([0-9a-f]{32})").matcher(Files.readString(stderr));
      assertThat(m.find()).as("start line names the dump command").isTrue();
      assertThat(m.group(1)).isEqualTo(Long.toString(p.pid()));
      assertThat(out).as("no trigger yet: nothing written").doesNotExist();

      ForkedJvm.Result wrong = AgentCli.run("dump", m.group(1), "--token", "0".repeat(32));
      assertThat(wrong.exitCode).isEqualTo(1);
      assertThat(wrong.stderr).contains("refused: wrong token");

      ForkedJvm.Result ok = AgentCli.run("dump", m.group(1), "--token", m.group(2));
      assertThat(ok.exitCode).as("%s", ok).isZero();
      assertThat(ok.stdout).contains("dump requested");
      await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> // the file may be mid-write
          assertThat(SpanFile.readDir(out).where(s -> s.name.equals("racetrace.flight.dump")))
              .singleElement().satisfies(d -> assertThat(d.str("race.flight.reason")).isEqualTo("dump requested")));
      assertThat(flightDumps(out)).hasSize(1);
      assertThat(SpanFile.readDir(out).event("queue.enqueue")).isNotEmpty();
      try (OutputStream stdin = p.getOutputStream()) {
        stdin.write('\n');
      }
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
  }
}
