package dev.racetrace.analyzer.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams a Jaeger JSON export (UI "Download JSON", or the query API's {@code /api/traces}):
 * {@code {"data":[{"traceID","spans":[..],"processes":{..}}]}}. A trace's spans are held until
 * its {@code processes} are read (they name the node), then handed on; one trace at a time.
 * References of type {@code CHILD_OF} give the parent, {@code FOLLOWS_FROM} the link.
 */
final class JaegerJsonReader extends TraceJsonReader {
  private int traces;

  JaegerJsonReader(JsonParser parser, Interner interner) {
    super(parser, interner);
  }

  /** Parser on the {@code START_ARRAY} of {@code data}. */
  void readTraces(SpanSink sink, String fallbackNode) throws IOException {
    expect(JsonToken.START_ARRAY, "data");
    while (p.nextToken() != JsonToken.END_ARRAY) {
      expect(JsonToken.START_OBJECT, "data[]");
      traces++;
      readTrace(sink, fallbackNode);
    }
  }

  /** How many traces ({@code data[]} entries) were read. */
  int traces() {
    return traces;
  }

  private void readTrace(SpanSink sink, String fallbackNode) throws IOException {
    List<SpanRecordBuilder> spans = new ArrayList<>();
    List<String> processIds = new ArrayList<>();
    Map<String, ResourceBlock> processes = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("spans")) {
        expect(JsonToken.START_ARRAY, "spans");
        while (p.nextToken() != JsonToken.END_ARRAY) {
          SpanRecordBuilder span = new SpanRecordBuilder();
          processIds.add(readSpan(span, processes, sink, fallbackNode));
          spans.add(span);
        }
      } else if (field.equals("processes")) {
        expect(JsonToken.START_OBJECT, "processes");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String id = p.currentName();
          p.nextToken();
          ResourceBlock block = new ResourceBlock(fallbackNode, sink);
          readProcess(block);
          processes.put(id, block);
        }
      } else {
        p.skipChildren();
      }
    }
    ResourceBlock unknown = null;
    for (int i = 0; i < spans.size(); i++) {
      ResourceBlock block = processes.get(processIds.get(i));
      if (block == null) {
        if (unknown == null) {
          unknown = new ResourceBlock(fallbackNode, sink);
        }
        block = unknown;
      }
      block.resolve();
      block.accept(spans.get(i), interner);
    }
  }

  private String readSpan(SpanRecordBuilder span, Map<String, ResourceBlock> processes,
      SpanSink sink, String fallbackNode) throws IOException {
    expect(JsonToken.START_OBJECT, "span");
    String processId = "";
    long durationMicros = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "spanID":
          span.spanId = SpanRecordBuilder.parseSpanId("spanID", p.getText());
          break;
        case "parentSpanID":
          span.parentSpanId = SpanRecordBuilder.parseSpanId("parentSpanID", p.getText());
          break;
        case "operationName":
          span.name = text();
          break;
        case "startTime":
          span.startNanos = JsonTokens.micros(p, t, "startTime") * 1000L;
          break;
        case "duration":
          durationMicros = JsonTokens.micros(p, t, "duration");
          break;
        case "references":
          readReferences(span);
          break;
        case "tags":
          readTags(span, null);
          break;
        case "processID":
          processId = p.getText();
          break;
        case "process":
          // Older exports inline the process into each span.
          processId = "inline:" + processes.size();
          ResourceBlock block = new ResourceBlock(fallbackNode, sink);
          readProcess(block);
          processes.put(processId, block);
          break;
        default:
          p.skipChildren();
      }
    }
    span.endNanos = span.startNanos + durationMicros * 1000L;
    return processId;
  }

  private void readReferences(SpanRecordBuilder span) throws IOException {
    expect(JsonToken.START_ARRAY, "references");
    while (p.nextToken() != JsonToken.END_ARRAY) {
      expect(JsonToken.START_OBJECT, "references[]");
      String refType = "";
      long id = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("refType")) {
          refType = p.getText();
        } else if (field.equals("spanID")) {
          id = SpanRecordBuilder.parseSpanId("references[].spanID", p.getText());
        } else {
          p.skipChildren();
        }
      }
      if (refType.equals("CHILD_OF") && span.parentSpanId == 0) {
        span.parentSpanId = id;
      } else if (refType.equals("FOLLOWS_FROM") && span.linkSpanId == 0) {
        span.linkSpanId = id;
      }
    }
  }

  private void readProcess(ResourceBlock block) throws IOException {
    expect(JsonToken.START_OBJECT, "process");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("serviceName")) {
        block.info.service(p.getText());
      } else if (field.equals("tags")) {
        readTags(null, block.info);
      } else {
        p.skipChildren();
      }
    }
  }

  /** Reads {@code [{"key","type","value"}]} into a span or a resource. */
  private void readTags(SpanRecordBuilder span, ResourceInfo resource) throws IOException {
    expect(JsonToken.START_ARRAY, "tags");
    while (p.nextToken() != JsonToken.END_ARRAY) {
      expect(JsonToken.START_OBJECT, "tags[]");
      String key = null;
      JsonToken valueToken = null;
      String text = null;
      long number = 0;
      double dbl = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("key")) {
          key = text();
        } else if (field.equals("value")) {
          valueToken = t;
          if (t == JsonToken.VALUE_NUMBER_INT) {
            number = p.getLongValue();
          } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            dbl = p.getDoubleValue();
          } else if (t == JsonToken.VALUE_STRING) {
            text = text();
          } else {
            p.skipChildren();
          }
        } else {
          p.skipChildren();
        }
      }
      if (key == null || valueToken == null) {
        continue;
      }
      if (resource != null) {
        String v = valueToken == JsonToken.VALUE_STRING ? text
            : valueToken == JsonToken.VALUE_NUMBER_INT ? Long.toString(number)
            : valueToken == JsonToken.VALUE_NUMBER_FLOAT ? Double.toString(dbl)
            : valueToken == JsonToken.VALUE_TRUE ? "true"
            : valueToken == JsonToken.VALUE_FALSE ? "false" : null;
        if (v != null) {
          resource.put(key, v);
        }
        continue;
      }
      switch (valueToken) {
        case VALUE_STRING: span.putString(key, text); break;
        case VALUE_NUMBER_INT: span.putLong(key, number); break;
        case VALUE_NUMBER_FLOAT: span.putDouble(key, dbl); break;
        case VALUE_TRUE: span.putBoolean(key, true); break;
        case VALUE_FALSE: span.putBoolean(key, false); break;
        default: break;
      }
    }
  }
}
