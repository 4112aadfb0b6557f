package dev.racetrace.analyzer.input;

import dev.racetrace.schema.SchemaNames;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Streams Zipkin v2 JSON: a list of spans ({@code /api/v2/trace/{id}}, the UI's JSON download) or
 * a list of such lists ({@code /api/v2/traces}). Zipkin keeps no resource: the service is
 * {@code localEndpoint.serviceName} and the node is the {@code service.instance.id} tag racetrace
 * puts on every span it sends to Zipkin (docs/backends/zipkin.md); tags are strings, parsed by
 * attribute as in the other readers. Zipkin lowercases service and span names.
 */
final class ZipkinJsonReader extends TraceJsonReader {
  private final SpanRecordBuilder b = new SpanRecordBuilder();
  /** One block per (service, node): the node of each span is known when the span is read. */
  private final Map<String, ResourceBlock> blocks = new HashMap<>();
  private String service;
  private String instanceId;
  private String rules;
  private int traces;

  ZipkinJsonReader(JsonParser parser, Interner interner) {
    super(parser, interner);
  }

  /** Parser on the top-level {@code START_ARRAY}: spans, or arrays of spans. */
  void readArray(SpanSink sink, String fallbackNode) throws IOException {
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == JsonToken.START_ARRAY) {
        traces++;
        readArray(sink, fallbackNode);
      } else if (p.currentToken() == JsonToken.START_OBJECT) {
        readSpan(sink, fallbackNode);
      } else {
        throw new IllegalArgumentException("Zipkin JSON: expected a span object but found "
            + JsonTokens.describe(p.currentToken()));
      }
    }
  }

  private void readSpan(SpanSink sink, String fallbackNode) throws IOException {
    b.reset();
    service = null;
    instanceId = null;
    rules = null;
    long durationMicros = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "id":
          b.spanId = SpanRecordBuilder.parseSpanId("id", p.getText());
          break;
        case "parentId":
          b.parentSpanId = SpanRecordBuilder.parseSpanId("parentId", p.getText());
          break;
        case "name":
          b.name = text();
          break;
        case "timestamp":
          b.startNanos = JsonTokens.micros(p, t, "timestamp") * 1000L;
          break;
        case "duration":
          durationMicros = JsonTokens.micros(p, t, "duration");
          break;
        case "localEndpoint":
          readEndpoint();
          break;
        case "tags":
          readTags();
          break;
        default:
          p.skipChildren();
      }
    }
    b.endNanos = b.startNanos + durationMicros * 1000L;
    String blockKey = service + "\u0000" + instanceId;
    ResourceBlock block = blocks.get(blockKey);
    if (block == null) {
      block = new ResourceBlock(fallbackNode, sink);
      if (instanceId != null) {
        block.info.put(SchemaNames.NODE, instanceId);
      }
      if (service != null) {
        block.info.put(SchemaNames.SERVICE, service);
      }
      if (rules != null) {
        block.info.put(SchemaNames.RULES, rules);
      }
      block.resolve();
      blocks.put(blockKey, block);
    }
    block.accept(b, interner);
  }

  /** How many traces (lists of spans inside the top-level list) were read. */
  int traces() {
    return traces;
  }

  private void readEndpoint() throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("serviceName")) {
        service = text();
      } else {
        p.skipChildren();
      }
    }
  }

  /** {@code {"key": "value", ...}}: every value a string. */
  private void readTags() throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = interner.intern(p.currentName());
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        p.skipChildren();
        continue;
      }
      if (key.equals(SchemaNames.NODE)) {
        instanceId = p.getText();
      } else if (key.equals(SchemaNames.RULES)) {
        rules = p.getText();
      } else if (b.wants(key) || key.startsWith(SchemaNames.STATE_PREFIX)) {
        b.putString(key, text());
      }
    }
  }
}
