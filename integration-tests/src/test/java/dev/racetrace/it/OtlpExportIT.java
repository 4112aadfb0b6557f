package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.programs.PipelineProgram;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spans reach a real OTLP/HTTP receiver configured with the standard OTEL_* settings. */
class OtlpExportIT {
  @TempDir Path dir;

  @Test
  void spansArriveAtAnOtlpHttpReceiverWithTheNodeIdentity() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver(false)) {
      ForkedJvm.Result r = ForkedJvm.withAgent()
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
          .env("OTEL_SERVICE_NAME", "orders")
          .env("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=orders-2,deployment.environment=test")
          .jvmArg("-Dracetrace.include=dev.racetrace.it.programs", "-Dracetrace.out=" + dir.resolve("journal"))
          .workDir(dir)
          .run(PipelineProgram.class);
      assertThat(r.exitCode).as("%s", r).isZero();
      assertThat(r.nonEmptyStderr()).contains("spans -> OTLP " + receiver.endpoint() + " (http/protobuf)");

      List<ResourceSpans> all = receiver.requests.stream()
          .flatMap(req -> req.getResourceSpansList().stream()).collect(Collectors.toList());
      assertThat(all).isNotEmpty();
      Map<String, String> resource = strings(all.get(0).getResource().getAttributesList());
      assertThat(resource).containsEntry("service.name", "orders")
          .containsEntry("service.instance.id", "orders-2")
          .containsEntry("deployment.environment", "test")
          .containsEntry("racetrace.schema.version", "1");
      List<Span> spans = all.stream().flatMap(rs -> rs.getScopeSpansList().stream())
          .flatMap(ss -> ss.getSpansList().stream()).collect(Collectors.toList());
      List<Span> enqueues = spans.stream().filter(s -> s.getName().equals("PipelineProgram.linkedQueue enqueue"))
          .collect(Collectors.toList());
      assertThat(enqueues).hasSize(201);
      assertThat(enqueues.get(0).getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_PRODUCER);
      assertThat(strings(enqueues.get(0).getAttributesList())).containsKey("race.event");
      List<Span> processes = spans.stream().filter(s -> s.getName().equals("PipelineProgram.linkedQueue process"))
          .collect(Collectors.toList());
      assertThat(processes).hasSize(201).allSatisfy(p -> assertThat(p.getLinksCount()).isEqualTo(1));
      // the journal next to the live export (racetrace.exporter=auto), and no span file
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir.resolve("journal"))) {
        assertThat(files.map(p -> p.getFileName().toString())).hasSize(1).allMatch(n -> n.endsWith(".rtj"));
      }
    }
  }

  @Test
  void spansArriveAtAnOtlpGrpcReceiver() throws Exception {
    try (OtlpGrpcReceiver receiver = new OtlpGrpcReceiver()) {
      ForkedJvm.Result r = ForkedJvm.withAgent()
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
          .env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
          // delivery, not exit latency, is under test: a loaded machine may need time for the
          // first connection
          .jvmArg("-Dracetrace.include=dev.racetrace.it.programs", "-Dracetrace.shutdown.timeout=30s")
          .workDir(dir)
          .run(PipelineProgram.class);
      assertThat(r.exitCode).as("%s", r).isZero();
      assertThat(r.nonEmptyStderr()).contains("spans -> OTLP " + receiver.endpoint() + " (grpc)")
          .doesNotContain("failed");
      long enqueues = receiver.requests.stream().flatMap(req -> req.getResourceSpansList().stream())
          .flatMap(rs -> rs.getScopeSpansList().stream()).flatMap(ss -> ss.getSpansList().stream())
          .filter(s -> s.getName().equals("PipelineProgram.arrayQueue enqueue")).count();
      assertThat(enqueues).as("%s", r).isEqualTo(201);
    }
  }

  @Test
  void bothSendsOtlpAndWritesTheFile() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver(false)) {
      Path out = dir.resolve("spans");
      ForkedJvm.Result r = ForkedJvm.withAgent()
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
          .jvmArg("-Dracetrace.include=dev.racetrace.it.programs", "-Dracetrace.out=" + out,
              "-Dracetrace.exporter=both")
          .run(PipelineProgram.class);
      assertThat(r.exitCode).isZero();
      long received = receiver.requests.stream().flatMap(req -> req.getResourceSpansList().stream())
          .flatMap(rs -> rs.getScopeSpansList().stream()).mapToLong(ss -> ss.getSpansCount()).sum();
      assertThat(SpanFile.readDir(out).spans).hasSize((int) received);
    }
  }

  @Test
  void loggingOtlpPrintsEachBatchAsAnOtlpJsonLineOnStandardError() throws Exception {
    Path out = dir.resolve("spans");
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .env("OTEL_TRACES_EXPORTER", "logging-otlp")
        .jvmArg("-Dracetrace.include=dev.racetrace.it.programs", "-Dracetrace.out=" + out,
            "-Dracetrace.exporter=both")
        .run(PipelineProgram.class);
    assertThat(r.exitCode).as("%s", r).isZero();
    assertThat(r.nonEmptyStderr()).contains("standard error (logging-otlp");
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    long printed = 0;
    for (String line : r.stderr.lines().filter(l -> l.startsWith("{")).collect(Collectors.toList())) {
      for (com.fasterxml.jackson.databind.JsonNode resourceSpans : json.readTree(line).path("resourceSpans")) {
        assertThat(resourceSpans.path("resource").path("attributes").toString()).contains("service.instance.id");
        for (com.fasterxml.jackson.databind.JsonNode scope : resourceSpans.path("scopeSpans")) {
          printed += scope.path("spans").size();
        }
      }
    }
    // every span the file got was printed too, and nothing of the span lines went to stdout
    assertThat(printed).as("%s", r).isPositive().isEqualTo(SpanFile.readDir(out).spans.size());
    assertThat(r.stdout).doesNotContain("resourceSpans", "scopeSpans");
  }

  private static Map<String, String> strings(List<KeyValue> attributes) {
    return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> {
      switch (kv.getValue().getValueCase()) {
        case STRING_VALUE:
          return kv.getValue().getStringValue();
        case INT_VALUE:
          return Long.toString(kv.getValue().getIntValue());
        case BOOL_VALUE:
          return Boolean.toString(kv.getValue().getBoolValue());
        default:
          return kv.getValue().toString();
      }
    }, (a, b) -> b));
  }
}
