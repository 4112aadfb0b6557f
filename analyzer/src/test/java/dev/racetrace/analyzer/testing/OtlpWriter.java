package dev.racetrace.analyzer.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * Writes spans as OTLP JSON lines exactly like the SDK's OTLP JSON exporter: one
 * {@code ExportTraceServiceRequest} per line, ids as hex, times and {@code intValue} as decimal
 * strings, {@code kind} numeric, empty {@code events}, {@code status} and {@code flags}.
 */
public final class OtlpWriter implements AutoCloseable {
  private final JsonFactory factory = JsonFactory.builder().build();
  private final Writer out;
  private final Map<String, Object> resource;

  /**
   * @param out where lines go (closed by {@link #close()})
   * @param resource the resource attributes
   */
  public OtlpWriter(Writer out, Map<String, Object> resource) {
    this.out = out;
    this.resource = resource;
  }

  /** Writes one line holding {@code spans}, shifted by {@code skewNanos}. */
  public void writeLine(List<FakeSpan> spans, long skewNanos) throws IOException {
    JsonGenerator g = factory.createGenerator(out);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.writeStartObject();
    g.writeArrayFieldStart("resourceSpans");
    g.writeStartObject();
    g.writeObjectFieldStart("resource");
    attributes(g, resource);
    g.writeEndObject();
    g.writeArrayFieldStart("scopeSpans");
    g.writeStartObject();
    g.writeObjectFieldStart("scope");
    g.writeStringField("name", "dev.racetrace");
    g.writeStringField("version", "0.1.0-SNAPSHOT");
    g.writeArrayFieldStart("attributes");
    g.writeEndArray();
    g.writeEndObject();
    g.writeArrayFieldStart("spans");
    for (FakeSpan s : spans) {
      g.writeStartObject();
      g.writeStringField("traceId", s.traceId);
      g.writeStringField("spanId", s.spanId);
      if (!s.parentSpanId.isEmpty()) {
        g.writeStringField("parentSpanId", s.parentSpanId);
      }
      g.writeStringField("name", s.name);
      g.writeNumberField("kind", s.kind);
      g.writeStringField("startTimeUnixNano", Long.toString(s.startNanos + skewNanos));
      g.writeStringField("endTimeUnixNano", Long.toString(s.endNanos + skewNanos));
      attributes(g, s.attributes);
      g.writeArrayFieldStart("events");
      g.writeEndArray();
      g.writeArrayFieldStart("links");
      for (String[] l : s.links) {
        g.writeStartObject();
        g.writeStringField("traceId", l[0]);
        g.writeStringField("spanId", l[1]);
        g.writeArrayFieldStart("attributes");
        keyValue(g, "race.link", l[2]);
        g.writeEndArray();
        g.writeNumberField("flags", 259);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("status");
      g.writeEndObject();
      g.writeNumberField("flags", 259);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.close();
    out.write('\n');
  }

  /**
   * An OTLP JSON {@code attributes} array: Long as an {@code intValue} string, Boolean, Double,
   * anything else as its string. {@link BackendAnswers} writes Tempo's answers with it, which are
   * OTLP JSON as well.
   */
  static void attributes(JsonGenerator g, Map<String, Object> attrs) throws IOException {
    g.writeArrayFieldStart("attributes");
    for (Map.Entry<String, Object> e : attrs.entrySet()) {
      keyValue(g, e.getKey(), e.getValue());
    }
    g.writeEndArray();
  }

  private static void keyValue(JsonGenerator g, String key, Object v) throws IOException {
    g.writeStartObject();
    g.writeStringField("key", key);
    g.writeObjectFieldStart("value");
    if (v instanceof Long) {
      g.writeStringField("intValue", v.toString());
    } else if (v instanceof Boolean) {
      g.writeBooleanField("boolValue", (Boolean) v);
    } else if (v instanceof Double) {
      g.writeNumberField("doubleValue", (Double) v);
    } else {
      g.writeStringField("stringValue", String.valueOf(v));
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
