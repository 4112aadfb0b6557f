package dev.racetrace.analyzer.input.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.racetrace.analyzer.testing.BackendAnswers;
import dev.racetrace.analyzer.testing.CommandRun;
import dev.racetrace.analyzer.testing.FakeNode;
import dev.racetrace.analyzer.testing.JaegerWriter;
import dev.racetrace.analyzer.testing.SampleScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze --zipkin|--jaeger|--tempo}: the sample race, served by a query API answering
 * what the backend documents, gives the same findings as the span files it came from.
 */
class BackendAnalysisTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private List<FakeNode> nodes;
  private JsonNode fromFiles;

  @BeforeEach
  void analyseTheFilesFirst() throws Exception {
    SampleScenario scenario = SampleScenario.broken().recordRules();
    nodes = scenario.build();
    CommandRun.Result r = CommandRun.withJson(dir, scenario.writeOtlp(dir.resolve("spans")));
    assertThat(r.run().exit).as(r.run().err).isEqualTo(2);
    fromFiles = r.json();
  }

  @Test
  void zipkinTracesGiveTheSameBreakAsTheFiles() throws Exception {
    try (FakeBackend zipkin = new FakeBackend()) {
      zipkin.answer("/api/v2/traces", BackendAnswers.zipkinTraces(nodes));
      JsonNode r = analyze(2, "--zipkin", zipkin.url(), "--service", "sample-store");
      assertSameFindings(r);
      assertThat(zipkin.query("/api/v2/traces")).startsWith("serviceName=sample-store&endTs=")
          .contains("&lookback=86400000&limit=10000");
    }
  }

  @Test
  void zipkinIsAskedForOneKeyAndWindowByAnnotationQuery() throws Exception {
    try (FakeBackend zipkin = new FakeBackend()) {
      zipkin.answer("/api/v2/traces", BackendAnswers.zipkinTraces(nodes));
      analyze(-1, "--zipkin", zipkin.url() + "/", "--key", "order-17",
          "--from", "2024-05-01T14:30:00Z", "--to", "2024-05-01T14:40:00Z");
      assertThat(zipkin.query("/api/v2/traces")).isEqualTo("annotationQuery=race.key=order-17"
          + "&endTs=1714574400000&lookback=600000&limit=10000");
      // plain HTTP/1.1: the JDK's cleartext upgrade to HTTP/2 fails now and then against Armeria,
      // Zipkin's server
      assertThat(zipkin.upgrades).as("requests asking to upgrade the connection").isEmpty();
    }
  }

  @Test
  void zipkinJsonFilesAreReadLikeTheApiAnswer() throws Exception {
    // /api/v2/traces answers a list of traces; /api/v2/trace/{id} and the UI's JSON, a list of spans
    JsonNode traces = JSON.readTree(BackendAnswers.zipkinTraces(nodes));
    com.fasterxml.jackson.databind.node.ArrayNode flat = JSON.createArrayNode();
    traces.forEach(trace -> trace.forEach(flat::add));
    Path nested = Files.writeString(dir.resolve("zipkin-traces.json"), traces.toString());
    Path spans = Files.writeString(dir.resolve("zipkin-spans.json"), flat.toString());
    assertSameFindings(analyze(2, nested.toString()));
    assertSameFindings(analyze(2, spans.toString()));
  }

  @Test
  void jaegerTracesGiveTheSameBreakAsTheFiles() throws Exception {
    Path export = dir.resolve("jaeger.json");
    JaegerWriter.write(export, nodes.toArray(new FakeNode[0]));
    try (FakeBackend jaeger = new FakeBackend()) {
      jaeger.answer("/api/traces", Files.readString(export));
      JsonNode r = analyze(2, "--jaeger", jaeger.url(), "--service", "sample-store",
          "--key", "order-17", "--from", "1714573800000", "--to", "1714574400000");
      assertThat(r.get("breaks").get(0).get("key").asText()).isEqualTo("order-17");
      assertThat(r.get("breaks").get(0).get("node").asText()).isEqualTo("node-2");
      assertThat(jaeger.query("/api/traces")).isEqualTo("service=sample-store"
          + "&tags={\"race.key\":\"order-17\"}&start=1714573800000000&end=1714574400000000"
          + "&limit=10000");
    }
  }

  @Test
  void tempoSearchThenTracesGiveTheSameBreakAsTheFiles() throws Exception {
    List<String> ids = BackendAnswers.traceIds(nodes);
    try (FakeBackend tempo = new FakeBackend()) {
      tempo.answer("/api/search", BackendAnswers.tempoSearch(ids));
      for (String id : ids) {
        tempo.answer("/api/traces/" + id, BackendAnswers.tempoTrace(nodes, id));
      }
      JsonNode r = analyze(2, "--tempo", tempo.url(), "--service", "sample-store");
      assertSameFindings(r);
      assertThat(tempo.query("/api/search"))
          .startsWith("q={ span.race.seq >= 0 && resource.service.name = \"sample-store\" }&start=");
      assertThat(tempo.requests).hasSize(1 + ids.size());
    }
  }

  @Test
  void tempoIsAskedByTraceQlOnRaceKey() throws Exception {
    try (FakeBackend tempo = new FakeBackend()) {
      tempo.answer("/api/search", BackendAnswers.tempoSearch(List.of()));
      CommandRun run = CommandRun.of("--tempo", tempo.url(), "--key", "order-\"17",
          "--from", "1714573800000", "--to", "1714574400500");
      assertThat(run.exit).isEqualTo(1);
      assertThat(run.err).contains("no racetrace spans found there");
      assertThat(tempo.query("/api/search")).isEqualTo("q={ span.race.key = \"order-\\\"17\" }"
          + "&start=1714573800&end=1714574401&limit=10000");
    }
  }

  @Test
  void reachingTheTraceLimitIsSaidAndAnEmptyJaegerAnswerIsNoSpans() throws Exception {
    int traces = BackendAnswers.traceIds(nodes).size();
    try (FakeBackend zipkin = new FakeBackend()) {
      zipkin.answer("/api/v2/traces", BackendAnswers.zipkinTraces(nodes));
      BackendReader.Result atLimit = new BackendReader().read(new BackendQuery(Backend.ZIPKIN,
          java.net.URI.create(zipkin.url()), null, null, Long.MIN_VALUE, Long.MAX_VALUE, traces), null);
      assertThat(atLimit.traces).isEqualTo(traces);
      assertThat(atLimit.store.notes()).containsExactly("--zipkin: fetched the limit of " + traces
          + " traces; some may be missing: narrow with --key, --from and --to");
      BackendReader.Result below = new BackendReader().read(new BackendQuery(Backend.ZIPKIN,
          java.net.URI.create(zipkin.url()), null, null, Long.MIN_VALUE, Long.MAX_VALUE, traces + 1), null);
      assertThat(below.store.notes()).isEmpty();
    }
    try (FakeBackend jaeger = new FakeBackend()) {
      // what Jaeger's query service answers when nothing matches
      jaeger.answer("/api/traces", "{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}");
      CommandRun run = CommandRun.of("--jaeger", jaeger.url(), "--service", "orders");
      assertThat(run.exit).isEqualTo(1);
      assertThat(run.err).contains("no racetrace spans found there");
    }
  }

  @Test
  void aBackendErrorIsOneLineNamingTheUrlAndStatus() throws Exception {
    try (FakeBackend jaeger = new FakeBackend()) {
      jaeger.answer("/api/traces", 500, "{\"errors\":[{\"code\":500,\"msg\":\"storage down\"}]}");
      CommandRun run = CommandRun.of("--jaeger", jaeger.url(), "--service", "orders");
      assertThat(run.exit).isEqualTo(1);
      assertThat(run.err).startsWith("racetrace analyze: " + jaeger.url() + "/api/traces?service=orders")
          .contains(": HTTP 500: {\"errors\":[{\"code\":500,\"msg\":\"storage down\"}]}");
      assertThat(run.err.lines().count()).isEqualTo(1);
    }
  }

  @Test
  void unreachableBackendJaegerWithoutServiceAndMixedInputsAreClearErrors() throws Exception {
    String closed;
    try (FakeBackend gone = new FakeBackend()) {
      closed = gone.url();
    }
    CommandRun refused = CommandRun.of("--zipkin", closed);
    assertThat(refused.exit).isEqualTo(1);
    assertThat(refused.err).contains(closed + "/api/v2/traces?").contains("cannot connect");

    CommandRun noService = CommandRun.of("--jaeger", "http://127.0.0.1:16686");
    assertThat(noService.err).contains("Jaeger's query API needs a service: add --service");

    CommandRun mixed = CommandRun.of("--zipkin", "http://127.0.0.1:9411", "spans/");
    assertThat(mixed.exit).isEqualTo(1);
    assertThat(mixed.err).startsWith("racetrace analyze: --zipkin reads spans from the backend: "
        + "give no span files with it (got spans)");

    CommandRun notUrl = CommandRun.of("--tempo", "tempo:3200");
    assertThat(notUrl.err).startsWith("racetrace analyze: --tempo=tempo:3200: not an http(s) URL "
        + "such as http://localhost:3200");

    CommandRun serviceAlone = CommandRun.of("spans/", "--service", "x");
    assertThat(serviceAlone.err).contains("--service selects spans in a backend");
  }

  /** Runs {@code analyze args --json}; checks the exit code unless it is -1. */
  private JsonNode analyze(int exit, String... args) throws Exception {
    Path json = dir.resolve("backend-" + System.nanoTime() + ".json");
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--json");
    all.add(json.toString());
    CommandRun run = CommandRun.of(all.toArray(new String[0]));
    if (exit >= 0) {
      assertThat(run.exit).as("%s%s", run.out, run.err).isEqualTo(exit);
    }
    return Files.exists(json) ? JSON.readTree(json.toFile()) : null;
  }

  private void assertSameFindings(JsonNode fromBackend) {
    for (String field : new String[] {"divergence", "breaks", "affected", "focus"}) {
      assertThat(fromBackend.get(field)).as(field).isEqualTo(fromFiles.get(field));
    }
  }
}
