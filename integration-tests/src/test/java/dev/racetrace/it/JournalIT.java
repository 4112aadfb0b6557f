package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.SpanFile.Span;
import dev.racetrace.it.programs.PipelineProgram;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal, the default recording, end to end: the program records a binary journal instead of spans;
 * {@code export --otlp-json} turns it into the spans the file export writes, and {@code analyze}
 * reads the journal directly.
 */
class JournalIT {
  private static final int ITEMS = 200;
  private static final String PKG = "dev.racetrace.it.programs";

  @TempDir Path dir;

  @Test
  void aJournalRecordingExportsToTheSpansOfTheFileExportAndIsAnalyzed() throws Exception {
    Path jsonOut = dir.resolve("json");
    Path journalOut = dir.resolve("journal");
    ForkedJvm.Result live = ForkedJvm.withAgent()
        .jvmArg("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + jsonOut, "-Dracetrace.exporter=otlp-json")
        .run(PipelineProgram.class);
    ForkedJvm.Result journaled = ForkedJvm.withAgent()
        .jvmArg("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + journalOut) // the default recording
        .run(PipelineProgram.class);
    assertThat(live.exitCode).as("%s", live).isZero();
    assertThat(journaled.exitCode).as("%s", journaled).isZero();
    assertThat(journaled.stdout).isEqualTo(live.stdout);
    assertThat(journaled.nonEmptyStderr()).startsWith("racetrace ").contains("spans -> journal ")
        .contains("(at most 1g, racetrace.out.max, oldest parts deleted; spans from it: java -jar racetrace-agent.jar export "
            + journalOut + " --otlp [endpoint] | --otlp-json DIR)")
        .contains(".rtj").doesNotContain("failed").doesNotContain("dropped");
    List<Path> files = list(journalOut);
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString()).endsWith(".rtj");

    Path exported = dir.resolve("exported");
    ForkedJvm.Result export = AgentCli.run("export", journalOut.toString(), "--otlp-json", exported.toString());
    assertThat(export.exitCode).as("%s", export).isZero();
    assertThat(export.stderr).contains(files.get(0).toString()).contains(" events -> ").contains(" spans -> ")
        .doesNotContain("warning");

    SpanFile fromJournal = SpanFile.readDir(exported);
    SpanFile fromLive = SpanFile.readDir(jsonOut);
    // by event and role, not by name: an executor read from locals in two methods takes the name of
    // whichever submitted first, which differs between two runs (live export too)
    assertThat(countByEvent(fromJournal)).as("spans by event").isEqualTo(countByEvent(fromLive));
    for (String queue : List.of("PipelineProgram.linkedQueue", "PipelineProgram.arrayQueue")) {
      assertThat(fromJournal.where(s -> "queue.enqueue".equals(s.event()) && queue.equals(s.str("race.queue.id"))))
          .hasSize(ITEMS + 1);
      List<Span> processes = fromJournal.where(s -> "queue.dequeue".equals(s.event())
          && queue.equals(s.str("race.queue.id")) && s.name.endsWith(" process"));
      assertThat(processes).hasSize(ITEMS + 1).allSatisfy(p -> assertThat(p.linkedSpanIds).hasSize(1));
    }
    assertThat(fromJournal.event("task.submit")).hasSize(2 * ITEMS);
    assertThat(fromJournal.where(s -> "task.start".equals(s.event()))).hasSize(2 * ITEMS)
        .allSatisfy(r -> assertThat(r.linkedSpanIds).hasSize(1));
    assertThat(fromJournal.event("latch.await")).hasSize(2)
        .allSatisfy(a -> assertThat(a.str("race.guard.object")).isEqualTo("PipelineProgram.startupLatch"));
    assertThat(fromJournal.spans).allSatisfy(s -> assertThat(s.resource.keySet())
        .as("the resource recorded in the journal").isEqualTo(fromLive.spans.get(0).resource.keySet()));

    ForkedJvm.Result analyzedJournal = AgentCli.run("analyze", journalOut.toString());
    ForkedJvm.Result analyzedJson = AgentCli.run("analyze", jsonOut.toString());
    assertThat(analyzedJournal.exitCode).as("%s", analyzedJournal).isEqualTo(analyzedJson.exitCode);
    assertThat(analyzedJournal.stdout).isNotBlank();
    assertThat(analyzedJournal.stdout.lines().count()).isEqualTo(analyzedJson.stdout.lines().count());
  }

  @Test
  void aJournalIsSentToAnOtlpHttpBackendAfterTheFactWithTheNodeIdentity() throws Exception {
    Path out = dir.resolve("otlp-journal");
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .env("OTEL_SERVICE_NAME", "orders")
        .env("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=orders-2,deployment.environment=test")
        .jvmArg("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + out, "-Dracetrace.exporter=journal")
        .run(PipelineProgram.class);
    assertThat(r.exitCode).as("%s", r).isZero();
    try (OtlpReceiver receiver = new OtlpReceiver(false)) {
      // the endpoint and a credential as a live exporter of the service reads them
      ForkedJvm.Result export = AgentCli.run(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
          "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20t0ken-1"), "export", out.toString(), "--otlp");
      assertThat(export.exitCode).as("%s", export).isZero();
      assertThat(export.stderr).contains("spans -> " + receiver.endpoint() + "/v1/traces (headers: authorization)")
          .doesNotContain("t0ken");
      assertThat(receiver.authorizations).isNotEmpty().containsOnly("Bearer t0ken-1");
      List<io.opentelemetry.proto.trace.v1.ResourceSpans> all = receiver.requests.stream()
          .flatMap(req -> req.getResourceSpansList().stream()).collect(Collectors.toList());
      assertThat(all).isNotEmpty();
      Map<String, String> resource = all.get(0).getResource().getAttributesList().stream()
          .collect(Collectors.toMap(kv -> kv.getKey(), kv -> kv.getValue().getStringValue(), (x, y) -> x));
      assertThat(resource).containsEntry("service.name", "orders").containsEntry("service.instance.id", "orders-2")
          .containsEntry("deployment.environment", "test").containsEntry("racetrace.schema.version", "1");
      List<io.opentelemetry.proto.trace.v1.Span> spans = all.stream().flatMap(rs -> rs.getScopeSpansList().stream())
          .flatMap(ss -> ss.getSpansList().stream()).collect(Collectors.toList());
      assertThat(spans).filteredOn(s -> s.getName().equals("PipelineProgram.linkedQueue enqueue")).hasSize(ITEMS + 1);
      assertThat(spans).filteredOn(s -> s.getName().equals("PipelineProgram.linkedQueue process")).hasSize(ITEMS + 1)
          .allSatisfy(p -> assertThat(p.getLinksCount()).isEqualTo(1));
    }
  }

  @Test
  void aJournalOfAProcessKilledWithSigkillIsExportedUpToItsLastChunk() throws Exception {
    Path out = dir.resolve("killed");
    Path tmp = Files.createDirectories(dir.resolve("killed-tmp"));
    try (TimedRun r = TimedRun.start(true, List.of("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + out,
        "-Dracetrace.exporter=journal", "-Djava.io.tmpdir=" + tmp), Map.of(),
        dev.racetrace.it.programs.RoundsProgram.class, "1000", "2000", "--wait")) {
      r.awaitLine("round 1");
      assertThat(bootstrapJars(tmp)).as("agent-core's extracted jar, deleted once the JVM has it open").isEmpty();
      // a chunk is written at the latest a second after its first record: once the program waits
      // and the journal has not grown for longer than that, all of round 1 is on disk (a first
      // chunk alone may hold only part of it)
      java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong(-1);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
          .pollInterval(java.time.Duration.ofMillis(1500)).untilAsserted(() -> {
            assertThat(list(out)).hasSize(1);
            long size = Files.size(list(out).get(0));
            assertThat(size).isPositive().isEqualTo(seen.getAndSet(size));
          });
      r.process.getOutputStream().write("next\n".getBytes(StandardCharsets.UTF_8));
      r.process.getOutputStream().flush();
      r.awaitLine("round 2");
      r.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
    }
    assertThat(bootstrapJars(tmp)).as("nothing of racetrace left in java.io.tmpdir").isEmpty();
    Path exported = dir.resolve("killed-json");
    ForkedJvm.Result export = AgentCli.run("export", out.toString(), "--otlp-json", exported.toString());
    assertThat(export.exitCode).as("%s", export).isZero();
    SpanFile spans = SpanFile.readDir(exported);
    assertThat(spans.event("queue.enqueue")).as("round 1's enqueues, at least").hasSizeGreaterThanOrEqualTo(2000);
    assertThat(spans.where(s -> "queue.dequeue".equals(s.event()) && s.name.endsWith(" process")))
        .hasSizeGreaterThanOrEqualTo(2000);
  }

  private static Map<String, Long> countByEvent(SpanFile f) {
    return f.spans.stream().filter(s -> !s.name.equals("racetrace.stats"))
        .collect(Collectors.groupingBy(s -> s.event() + " " + s.name.substring(s.name.lastIndexOf(' ') + 1)
            + " kind=" + s.kind, TreeMap::new, Collectors.counting()));
  }

  /** racetrace's extracted agent-core jars in {@code tmp}. */
  private static List<Path> bootstrapJars(Path tmp) throws Exception {
    return list(tmp).stream().filter(p -> p.getFileName().toString().startsWith("racetrace-bootstrap-"))
        .collect(Collectors.toList());
  }

  /** The files in {@code d}; none before the agent created it. */
  private static List<Path> list(Path d) throws Exception {
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.collect(Collectors.toList());
    }
  }
}
