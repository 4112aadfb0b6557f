package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.racetrace.it.programs.PipelineProgram;
import dev.racetrace.sample.DemoOptions;
import dev.racetrace.sample.DemoRunner;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zipkin as a backend, against a real Zipkin 3.6.1 server: {@code otel.traces.exporter=zipkin}
 * in the shaded agent jar, spans read back through Zipkin's API with their node, and the sample
 * race analysed from Zipkin ({@code analyze --zipkin}) with the same findings as from the files.
 */
class ZipkinIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ZipkinServer zipkin;

  @TempDir Path dir;

  @BeforeAll
  static void startZipkin() throws Exception {
    zipkin = ZipkinServer.start();
  }

  @AfterAll
  static void stopZipkin() {
    if (zipkin != null) {
      zipkin.close();
    }
  }

  @Test
  void spansOfAProgramArriveInZipkinWithTheirNode() throws Exception {
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .env("OTEL_TRACES_EXPORTER", "zipkin")
        .env("OTEL_EXPORTER_ZIPKIN_ENDPOINT", zipkin.spansEndpoint())
        .env("OTEL_SERVICE_NAME", "orders-zipkin")
        .env("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=orders-2")
        .jvmArg("-Dracetrace.include=dev.racetrace.it.programs", "-Dracetrace.out=" + dir.resolve("journal"),
            "-Dracetrace.shutdown.timeout=30s")
        .workDir(dir)
        .run(PipelineProgram.class);
    assertThat(r.exitCode).as("%s", r).isZero();
    assertThat(r.nonEmptyStderr())
        .contains("spans -> Zipkin " + zipkin.spansEndpoint())
        .doesNotContain("failed", "dependency", "classpath");

    // Zipkin lowercases span and service names.
    List<JsonNode> enqueues = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      enqueues.clear();
      for (JsonNode span : spans("orders-zipkin")) {
        if (span.path("name").asText().equals("pipelineprogram.linkedqueue enqueue")) {
          enqueues.add(span);
        }
      }
      assertThat(enqueues).hasSize(201);
    });
    JsonNode e = enqueues.get(0);
    assertThat(e.path("kind").asText()).isEqualTo("PRODUCER");
    assertThat(e.path("localEndpoint").path("serviceName").asText()).isEqualTo("orders-zipkin");
    assertThat(e.path("tags").path("service.instance.id").asText()).isEqualTo("orders-2");
    assertThat(e.path("tags").path("race.event").asText()).isEqualTo("queue.enqueue");
    assertThat(e.path("tags").path("race.seq").asText()).matches("\\d+");
    // the journal next to the live export (racetrace.exporter=auto), and no span file
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir.resolve("journal"))) {
      assertThat(files.map(p -> p.getFileName().toString())).hasSize(1).allMatch(n -> n.endsWith(".rtj"));
    }
  }

  @Test
  void theSampleRaceAnalysedFromZipkinGivesTheFindingsOfTheFiles() throws Exception {
    Path out = dir.resolve("demo");
    DemoRunner.run(DemoOptions.builder()
        .agent(ForkedJvm.AGENT.toString())
        .zipkin(zipkin.url())
        .out(out)
        .runAnalyzer(false)
        .console(new PrintStream(OutputStream.nullOutputStream()))
        .build());
    Path spansDir = out.resolve("spans");
    int fileSpans = SpanFile.readDir(spansDir).spans.size();
    await("every span the nodes wrote to their files also in Zipkin")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(spans("sample-store")).hasSize(fileSpans));

    JsonNode fromFiles = analyze(spansDir.toString());
    JsonNode fromZipkin = analyze("--zipkin", zipkin.url(), "--service", "sample-store");

    assertThat(fromFiles.path("exit").asInt()).as(fromFiles.path("text").asText()).isEqualTo(2);
    assertThat(fromZipkin.path("exit").asInt()).as(fromZipkin.path("text").asText()).isEqualTo(2);
    assertThat(findings(fromZipkin)).isEqualTo(findings(fromFiles));
    assertThat(fromZipkin.path("nodes").toString()).contains("node-1", "node-2", "node-3");

    String key = fromFiles.path("breaks").get(0).path("key").asText();
    JsonNode oneKey = analyze("--zipkin", zipkin.url(), "--service", "sample-store", "--key", key);
    // the analyzer's own words when it finds no break there: what it fetched, or why it could not
    assertThat(oneKey.path("exit").asInt()).as(oneKey.path("text").asText()).isEqualTo(2);
    assertThat(oneKey.path("breaks")).as(oneKey.path("text").asText()).isNotEmpty();
    assertThat(oneKey.path("breaks").get(0).path("key").asText()).isEqualTo(key);
    assertThat(oneKey.path("breaks").get(0).path("node").asText())
        .isEqualTo(fromFiles.path("breaks").get(0).path("node").asText());
  }

  @Test
  void anExporterTheAgentDoesNotBundleIsOneLineNamingTheBundledOnes() throws Exception {
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .env("OTEL_TRACES_EXPORTER", "jaeger")
        .jvmArg("-Dracetrace.include=dev.racetrace.it.programs")
        .workDir(dir)
        .run(PipelineProgram.class);
    assertThat(r.exitCode).as("%s", r).isZero();
    assertThat(r.nonEmptyStderr()).isEqualTo("racetrace: otel.traces.exporter=jaeger: "
        + "\"jaeger\" is not an exporter the racetrace agent bundles; use one of otlp, zipkin, "
        + "logging-otlp, none (or racetrace.exporter=otlp-json and send the files on); agent disabled\n");
  }

  @Test
  void aZipkinThatRefusesOrAnswers404IsAFewRacetraceLinesNamingIt() throws Exception {
    String closed = "http://127.0.0.1:" + Ports.freeLoopbackPort() + "/api/v2/spans";
    String notFound = zipkin.url() + "/no/such/path";
    for (String endpoint : List.of(closed, notFound)) {
      ForkedJvm.Result r = ForkedJvm.withAgent()
          .env("OTEL_TRACES_EXPORTER", "zipkin")
          .env("OTEL_EXPORTER_ZIPKIN_ENDPOINT", endpoint)
          .jvmArg("-Dracetrace.include=dev.racetrace.it.programs", "-Dracetrace.shutdown.timeout=10s")
          .workDir(dir)
          .run(PipelineProgram.class);
      assertThat(r.exitCode).as("%s", r).isZero();
      String err = r.nonEmptyStderr();
      assertThat(err).as(endpoint).contains("Zipkin " + endpoint + " failed")
          // the exporter's internals (ZipkinSpanExporter{endpoint=..., compressionEnabled=...}) are not for users
          .doesNotContain("ZipkinSpanExporter{", "Exception", "\tat ");
      assertThat(err.lines()).as(endpoint).allSatisfy(line -> assertThat(line).startsWith("racetrace"))
          .hasSizeLessThanOrEqualTo(4);
    }
  }

  /** Every span Zipkin holds for {@code service} (lowercase), over its whole lookback. */
  private static List<JsonNode> spans(String service) throws Exception {
    JsonNode traces = JSON.readTree(zipkin.get("/api/v2/traces?serviceName=" + service
        + "&limit=10000&lookback=86400000"));
    List<JsonNode> spans = new ArrayList<>();
    for (JsonNode trace : traces) {
      trace.forEach(spans::add);
    }
    return spans;
  }

  /** What a user acts on: divergent keys and odd nodes, breaks, affected keys per node. */
  private static Set<String> findings(JsonNode result) {
    Set<String> f = new TreeSet<>();
    for (JsonNode d : result.path("divergence")) {
      f.add("divergence " + d.path("key").asText() + " " + d.path("verdict").asText() + " "
          + d.path("odd_node").asText());
    }
    for (JsonNode b : result.path("breaks")) {
      f.add("break " + b.path("node").asText() + " " + b.path("key").asText() + " "
          + b.path("early_op").asText() + " before " + b.path("late_op").asText() + " guard "
          + b.path("guard").path("kind").asText() + " " + b.path("guard").path("object").asText());
    }
    for (JsonNode a : result.path("affected")) {
      f.add("affected " + a.path("node").asText() + " " + a.path("key").asText());
    }
    f.add("focus " + result.path("focus").path("node").asText() + " "
        + result.path("focus").path("key").asText());
    return f;
  }

  private JsonNode analyze(String... args) throws Exception {
    return InProcessAnalyzer.run(dir.resolve("analysis-" + System.nanoTime() + ".json"),
        List.of(args));
  }
}
