package dev.racetrace.analyzer.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Query API answers of Zipkin and Tempo for nodes' spans, written from the backends' documented
 * formats:
 *
 * <ul>
 *   <li>Zipkin {@code GET /api/v2/traces}: a list of traces, each a list of v2 spans (times in
 *       microseconds, tags as strings, service and span names lowercased as Zipkin stores them;
 *       the node in the {@code service.instance.id} tag the racetrace agent adds for Zipkin);
 *   <li>Tempo {@code GET /api/search}: {@code {"traces":[{"traceID",...}],"metrics":{...}}};
 *   <li>Tempo {@code GET /api/traces/<id>}: {@code {"batches":[ResourceSpans]}} in protobuf JSON,
 *       ids in base64, 64-bit numbers as strings.
 * </ul>
 */
public final class BackendAnswers {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private BackendAnswers() {}

  /** The Zipkin {@code /api/v2/traces} answer holding every span of {@code nodes}. */
  public static String zipkinTraces(List<FakeNode> nodes) throws IOException {
    Map<String, List<Object[]>> byTrace = byTrace(nodes);
    StringWriter w = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      g.writeStartArray();
      for (List<Object[]> trace : byTrace.values()) {
        g.writeStartArray();
        for (Object[] e : trace) {
          FakeSpan s = (FakeSpan) e[0];
          FakeNode n = (FakeNode) e[1];
          g.writeStartObject();
          g.writeStringField("traceId", s.traceId);
          if (!s.parentSpanId.isEmpty()) {
            g.writeStringField("parentId", s.parentSpanId);
          }
          g.writeStringField("id", s.spanId);
          if (s.kind != FakeSpan.INTERNAL) {
            g.writeStringField("kind", s.kind == FakeSpan.PRODUCER ? "PRODUCER" : "CONSUMER");
          }
          g.writeStringField("name", s.name.toLowerCase(Locale.ROOT));
          g.writeNumberField("timestamp", (s.startNanos + n.skewNanos()) / 1000);
          g.writeNumberField("duration", Math.max(1, (s.endNanos - s.startNanos) / 1000));
          g.writeObjectFieldStart("localEndpoint");
          g.writeStringField("serviceName",
              String.valueOf(n.resource().get("service.name")).toLowerCase(Locale.ROOT));
          g.writeStringField("ipv4", "10.0.0.7");
          g.writeEndObject();
          g.writeObjectFieldStart("tags");
          for (Map.Entry<String, Object> a : s.attributes.entrySet()) {
            g.writeStringField(a.getKey(), String.valueOf(a.getValue()));
          }
          g.writeStringField("otel.scope.name", "dev.racetrace");
          g.writeStringField("service.instance.id",
              String.valueOf(n.resource().get("service.instance.id")));
          if (n.resource().get("racetrace.rules") != null) {
            g.writeStringField("racetrace.rules", String.valueOf(n.resource().get("racetrace.rules")));
          }
          g.writeEndObject();
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndArray();
    }
    return w.toString();
  }

  /** The trace ids of {@code nodes}' spans, in first-seen order. */
  public static List<String> traceIds(List<FakeNode> nodes) {
    return new ArrayList<>(byTrace(nodes).keySet());
  }

  /** Tempo's {@code /api/search} answer listing {@code traceIds}. */
  public static String tempoSearch(List<String> traceIds) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      g.writeStartObject();
      g.writeArrayFieldStart("traces");
      for (String id : traceIds) {
        g.writeStartObject();
        g.writeStringField("traceID", id);
        g.writeStringField("rootServiceName", "sample-store");
        g.writeStringField("rootTraceName", "Node.workQueue enqueue");
        g.writeStringField("startTimeUnixNano", "1714573800000000000");
        g.writeNumberField("durationMs", 12);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("metrics");
      g.writeNumberField("inspectedBytes", 1024);
      g.writeNumberField("completedJobs", 1);
      g.writeNumberField("totalJobs", 1);
      g.writeEndObject();
      g.writeEndObject();
    }
    return w.toString();
  }

  /** Tempo's {@code /api/traces/<traceId>} answer: one batch per node with spans in the trace. */
  public static String tempoTrace(List<FakeNode> nodes, String traceId) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      g.writeStartObject();
      g.writeArrayFieldStart("batches");
      for (FakeNode n : nodes) {
        List<FakeSpan> spans = new ArrayList<>();
        for (FakeSpan s : n.spans()) {
          if (s.traceId.equals(traceId)) {
            spans.add(s);
          }
        }
        if (spans.isEmpty()) {
          continue;
        }
        g.writeStartObject();
        g.writeObjectFieldStart("resource");
        OtlpWriter.attributes(g, n.resource());
        g.writeEndObject();
        g.writeArrayFieldStart("scopeSpans");
        g.writeStartObject();
        g.writeObjectFieldStart("scope");
        g.writeStringField("name", "dev.racetrace");
        g.writeEndObject();
        g.writeArrayFieldStart("spans");
        for (FakeSpan s : spans) {
          g.writeStartObject();
          g.writeStringField("traceId", base64(s.traceId));
          g.writeStringField("spanId", base64(s.spanId));
          if (!s.parentSpanId.isEmpty()) {
            g.writeStringField("parentSpanId", base64(s.parentSpanId));
          }
          g.writeStringField("name", s.name);
          g.writeStringField("kind", s.kind == FakeSpan.PRODUCER ? "SPAN_KIND_PRODUCER"
              : s.kind == FakeSpan.CONSUMER ? "SPAN_KIND_CONSUMER" : "SPAN_KIND_INTERNAL");
          g.writeStringField("startTimeUnixNano", Long.toString(s.startNanos + n.skewNanos()));
          g.writeStringField("endTimeUnixNano", Long.toString(s.endNanos + n.skewNanos()));
          OtlpWriter.attributes(g, s.attributes);
          if (!s.links.isEmpty()) {
            g.writeArrayFieldStart("links");
            for (String[] l : s.links) {
              g.writeStartObject();
              g.writeStringField("traceId", base64(l[0]));
              g.writeStringField("spanId", base64(l[1]));
              g.writeEndObject();
            }
            g.writeEndArray();
          }
          g.writeObjectFieldStart("status");
          g.writeEndObject();
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return w.toString();
  }

  private static String base64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  private static Map<String, List<Object[]>> byTrace(List<FakeNode> nodes) {
    Map<String, List<Object[]>> byTrace = new LinkedHashMap<>();
    for (FakeNode n : nodes) {
      for (FakeSpan s : n.spans()) {
        byTrace.computeIfAbsent(s.traceId, t -> new ArrayList<>()).add(new Object[] {s, n});
      }
    }
    return byTrace;
  }
}
