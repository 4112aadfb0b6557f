package dev.racetrace.analyzer.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes nodes' spans as a Jaeger JSON export ({@code /api/traces}, UI "Download JSON"): one
 * trace per trace id, processes {@code p1..pN} carrying the resource as tags, times in
 * microseconds, parent as a {@code CHILD_OF} reference and links as {@code FOLLOWS_FROM}.
 * Pretty-printed, with {@code processes} after {@code spans} as Jaeger writes it.
 */
public final class JaegerWriter {
  private JaegerWriter() {}

  /** Writes the export of {@code nodes} to {@code file}. */
  public static void write(Path file, FakeNode... nodes) throws IOException {
    Map<String, List<Object[]>> byTrace = new LinkedHashMap<>();
    for (int p = 0; p < nodes.length; p++) {
      for (FakeSpan s : nodes[p].spans()) {
        byTrace.computeIfAbsent(s.traceId, t -> new ArrayList<>()).add(new Object[] {s, p});
      }
    }
    try (Writer w = Files.newBufferedWriter(file);
        JsonGenerator g = JsonFactory.builder().build().createGenerator(w)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeArrayFieldStart("data");
      for (Map.Entry<String, List<Object[]>> t : byTrace.entrySet()) {
        g.writeStartObject();
        g.writeStringField("traceID", t.getKey());
        g.writeArrayFieldStart("spans");
        for (Object[] entry : t.getValue()) {
          span(g, (FakeSpan) entry[0], nodes[(Integer) entry[1]].skewNanos(), (Integer) entry[1]);
        }
        g.writeEndArray();
        g.writeObjectFieldStart("processes");
        for (int p = 0; p < nodes.length; p++) {
          g.writeObjectFieldStart("p" + (p + 1));
          g.writeStringField("serviceName", (String) nodes[p].resource().get("service.name"));
          g.writeArrayFieldStart("tags");
          for (Map.Entry<String, Object> e : nodes[p].resource().entrySet()) {
            if (!e.getKey().equals("service.name")) {
              tag(g, e.getKey(), e.getValue());
            }
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        g.writeEndObject();
        g.writeNullField("warnings");
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("total", 0);
      g.writeNumberField("limit", 0);
      g.writeNumberField("offset", 0);
      g.writeNullField("errors");
      g.writeEndObject();
    }
  }

  private static void span(JsonGenerator g, FakeSpan s, long skew, int process)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("traceID", s.traceId);
    g.writeStringField("spanID", s.spanId);
    g.writeNumberField("flags", 1);
    g.writeStringField("operationName", s.name);
    g.writeArrayFieldStart("references");
    if (!s.parentSpanId.isEmpty()) {
      g.writeStartObject();
      g.writeStringField("refType", "CHILD_OF");
      g.writeStringField("traceID", s.traceId);
      g.writeStringField("spanID", s.parentSpanId);
      g.writeEndObject();
    }
    for (String[] l : s.links) {
      g.writeStartObject();
      g.writeStringField("refType", "FOLLOWS_FROM");
      g.writeStringField("traceID", l[0]);
      g.writeStringField("spanID", l[1]);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeNumberField("startTime", (s.startNanos + skew) / 1000);
    g.writeNumberField("duration", (s.endNanos - s.startNanos) / 1000);
    g.writeArrayFieldStart("tags");
    tag(g, "span.kind", s.kind == FakeSpan.PRODUCER ? "producer"
        : s.kind == FakeSpan.CONSUMER ? "consumer" : "internal");
    for (Map.Entry<String, Object> e : s.attributes.entrySet()) {
      tag(g, e.getKey(), e.getValue());
    }
    g.writeEndArray();
    g.writeArrayFieldStart("logs");
    g.writeEndArray();
    g.writeStringField("processID", "p" + (process + 1));
    g.writeNullField("warnings");
    g.writeEndObject();
  }

  private static void tag(JsonGenerator g, String key, Object v) throws IOException {
    g.writeStartObject();
    g.writeStringField("key", key);
    if (v instanceof Long) {
      g.writeStringField("type", "int64");
      g.writeNumberField("value", (Long) v);
    } else if (v instanceof Boolean) {
      g.writeStringField("type", "bool");
      g.writeBooleanField("value", (Boolean) v);
    } else if (v instanceof Double) {
      g.writeStringField("type", "float64");
      g.writeNumberField("value", (Double) v);
    } else {
      g.writeStringField("type", "string");
      g.writeStringField("value", String.valueOf(v));
    }
    g.writeEndObject();
  }
}
