package dev.racetrace.analyzer.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Streams OTLP/JSON trace data as written by the OpenTelemetry SDK's OTLP JSON exporters: an
 * {@code ExportTraceServiceRequest} ({@code {"resourceSpans":[...]}}) or a bare
 * {@code ResourceSpans} per line. Nothing but the current span is held in memory.
 */
final class OtlpJsonReader extends TraceJsonReader {
  private final SpanRecordBuilder b = new SpanRecordBuilder();
  private final AnyValue value = new AnyValue();

  OtlpJsonReader(JsonParser parser, Interner interner) {
    super(parser, interner);
  }

  /** Parser on the {@code START_ARRAY} of {@code resourceSpans}. */
  void readResourceSpansArray(SpanSink sink, String fallbackNode) throws IOException {
    expect(JsonToken.START_ARRAY, "resourceSpans");
    while (p.nextToken() != JsonToken.END_ARRAY) {
      expect(JsonToken.START_OBJECT, "resourceSpans[]");
      ResourceBlock block = new ResourceBlock(fallbackNode, sink);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        readResourceSpansField(field, block);
      }
      block.resolve();
    }
  }

  /** Reads one field of a {@code ResourceSpans}; parser on the field's value. */
  void readResourceSpansField(String field, ResourceBlock block) throws IOException {
    switch (field) {
      case "resource":
        readResource(block);
        break;
      case "scopeSpans":
      case "instrumentationLibrarySpans":
        readScopeSpansArray(block);
        break;
      default:
        p.skipChildren();
    }
  }

  private void readResource(ResourceBlock block) throws IOException {
    expect(JsonToken.START_OBJECT, "resource");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("attributes")) {
        expect(JsonToken.START_ARRAY, "resource.attributes");
        while (p.nextToken() != JsonToken.END_ARRAY) {
          String key = readKeyValue(false);
          if (key != null && value.type != AnyValue.NONE) {
            block.info.put(key, value.asText());
          }
        }
      } else {
        p.skipChildren();
      }
    }
    block.resolve();
  }

  private void readScopeSpansArray(ResourceBlock block) throws IOException {
    expect(JsonToken.START_ARRAY, "scopeSpans");
    while (p.nextToken() != JsonToken.END_ARRAY) {
      expect(JsonToken.START_OBJECT, "scopeSpans[]");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("spans")) {
          expect(JsonToken.START_ARRAY, "spans");
          while (p.nextToken() != JsonToken.END_ARRAY) {
            readSpan(block);
          }
        } else {
          p.skipChildren();
        }
      }
    }
  }

  private void readSpan(ResourceBlock block) throws IOException {
    expect(JsonToken.START_OBJECT, "span");
    b.reset();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "spanId":
          b.spanId = hexId("spanId");
          break;
        case "parentSpanId":
          b.parentSpanId = hexId("parentSpanId");
          break;
        case "name":
          b.name = text();
          break;
        case "startTimeUnixNano":
          b.startNanos = longValue("startTimeUnixNano", t);
          break;
        case "endTimeUnixNano":
          b.endNanos = longValue("endTimeUnixNano", t);
          break;
        case "attributes":
          readSpanAttributes();
          break;
        case "links":
          readLinks();
          break;
        default:
          p.skipChildren();
      }
    }
    block.accept(b, interner);
  }

  private void readSpanAttributes() throws IOException {
    expect(JsonToken.START_ARRAY, "attributes");
    while (p.nextToken() != JsonToken.END_ARRAY) {
      String key = readKeyValue(true);
      if (key == null) {
        continue;
      }
      switch (value.type) {
        case AnyValue.STRING: b.putString(key, value.string); break;
        case AnyValue.LONG: b.putLong(key, value.number); break;
        case AnyValue.BOOL: b.putBoolean(key, value.bool); break;
        case AnyValue.DOUBLE: b.putDouble(key, value.dbl); break;
        default: break;
      }
    }
  }

  private void readLinks() throws IOException {
    expect(JsonToken.START_ARRAY, "links");
    while (p.nextToken() != JsonToken.END_ARRAY) {
      expect(JsonToken.START_OBJECT, "links[]");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("spanId") && b.linkSpanId == 0) {
          b.linkSpanId = hexId("links[].spanId");
        } else {
          p.skipChildren();
        }
      }
    }
  }

  /**
   * Reads {@code {"key":..,"value":{..}}} into {@link #value}; returns the key. For a span, the
   * value of an attribute the analysis does not use is skipped unread.
   */
  private String readKeyValue(boolean forSpan) throws IOException {
    expect(JsonToken.START_OBJECT, "attribute");
    String key = null;
    value.type = AnyValue.NONE;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("key")) {
        key = text();
      } else if (field.equals("value")) {
        if (forSpan && key != null && !b.wants(key)) {
          p.skipChildren();
        } else {
          readAnyValue();
        }
      } else {
        p.skipChildren();
      }
    }
    return key;
  }

  private void readAnyValue() throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "stringValue":
          value.type = AnyValue.STRING;
          value.string = text();
          break;
        case "intValue":
          value.type = AnyValue.LONG;
          value.number = longValue("intValue", t);
          break;
        case "boolValue":
          value.type = AnyValue.BOOL;
          value.bool = t == JsonToken.VALUE_TRUE
              || (t == JsonToken.VALUE_STRING && "true".equals(p.getText()));
          break;
        case "doubleValue":
          value.type = AnyValue.DOUBLE;
          value.dbl = t == JsonToken.VALUE_STRING ? Double.parseDouble(p.getText())
              : p.getDoubleValue();
          break;
        default:
          p.skipChildren();
      }
    }
  }

  /** As the other readers', but a field name without allocating too, and null for a JSON null. */
  @Override
  String text() throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME) {
      return interner.intern(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    return interner.intern(p.getText());
  }

  private long longValue(String what, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new IllegalArgumentException(what + " is not an integer: " + JsonTokens.describe(t));
    }
    return Chars.parseLong(what, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
  }

  private long hexId(String what) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw new IllegalArgumentException(what + ": expected a hex string but found "
          + JsonTokens.describe(p.currentToken()));
    }
    try {
      return Chars.parseHexId(what, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    } catch (IllegalArgumentException notHex) {
      long id = SpanRecordBuilder.parseBase64Id(p.getText()); // Tempo's query API
      if (id == 0) {
        throw notHex;
      }
      return id;
    }
  }

  /** One OTLP {@code AnyValue} or Jaeger tag value, reused. */
  static final class AnyValue {
    static final int NONE = 0;
    static final int STRING = 1;
    static final int LONG = 2;
    static final int BOOL = 3;
    static final int DOUBLE = 4;
    int type;
    String string;
    long number;
    boolean bool;
    double dbl;

    String asText() {
      switch (type) {
        case STRING: return string;
        case LONG: return Long.toString(number);
        case BOOL: return Boolean.toString(bool);
        case DOUBLE: return Double.toString(dbl);
        default: return null;
      }
    }
  }
}
