package dev.racetrace.agent.export.sink;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Encodes a batch of spans as one OTLP/JSON {@code ExportTraceServiceRequest} line, byte for byte
 * what the OpenTelemetry SDK's OTLP JSON exporter writes for the same spans (a test holds it to
 * that), without the SDK's per-span marshaler objects: this runs for every span the agent exports,
 * and the generic marshalling was most of the exporter thread's CPU.
 *
 * <p>Attribute keys are encoded once and reused. Spans are grouped by resource and scope in the
 * order first seen. Not thread-safe: one encoder per exporter thread.
 *
 * <p>Over 300 lines on purpose: a fifth of it is the byte constants of the OTLP JSON field names,
 * and the rest writes one message of the OTLP schema per method, top to bottom in the order the
 * SDK writes them; split up, the byte-for-byte order it must keep would no longer read in one place.
 */
public final class OtlpJsonEncoder implements BiConsumer<AttributeKey<?>, Object> {
  private static final int MAX_CACHED_KEYS = 4096;

  private static final byte[] KEY_OPEN = ascii("{\"key\":");
  private static final byte[] VALUE_OPEN = ascii(",\"value\":{");
  private static final byte[] REQUEST_START = ascii("{\"resourceSpans\":[");
  private static final byte[] RESOURCE_START = ascii("{\"resource\":{");
  private static final byte[] SCOPE_SPANS = ascii("},\"scopeSpans\":[");
  private static final byte[] REQUEST_END = ascii("]}\n");
  private static final byte[] SCOPE_START = ascii("{\"scope\":{");
  private static final byte[] ATTRIBUTES = ascii(",\"attributes\":[");
  private static final byte[] FIRST_ATTRIBUTES = ascii("\"attributes\":[");
  private static final byte[] SPANS_START = ascii("]},\"spans\":[");
  private static final byte[] TRACE_ID = ascii("{\"traceId\":");
  private static final byte[] SPAN_ID = ascii(",\"spanId\":");
  private static final byte[] PARENT_SPAN_ID = ascii(",\"parentSpanId\":");
  private static final byte[] KIND = ascii(",\"kind\":");
  private static final byte[] START_TIME = ascii(",\"startTimeUnixNano\":");
  private static final byte[] END_TIME = ascii(",\"endTimeUnixNano\":");
  private static final byte[] EVENTS = ascii(",\"events\":[");
  private static final byte[] LINKS = ascii(",\"links\":[");
  private static final byte[] FLAGS = ascii(",\"flags\":");
  private static final byte[] EVENT_TIME = ascii("{\"timeUnixNano\":");
  private static final byte[] STATUS = ascii(",\"status\":{");
  private static final byte[] CODE = ascii(",\"code\":");
  private static final byte[] FIRST_CODE = ascii("\"code\":");
  private static final byte[] TRACE_STATE = ascii(",\"traceState\":");
  private static final byte[] KEY_VALUE_END = ascii("}}");
  private static final byte[] STRING_VALUE = ascii("\"stringValue\":");
  private static final byte[] BOOL_VALUE = ascii("\"boolValue\":");
  private static final byte[] INT_VALUE = ascii("\"intValue\":");
  private static final byte[] DOUBLE_VALUE = ascii("\"doubleValue\":");
  private static final byte[] ARRAY_VALUE = ascii("\"arrayValue\":{\"values\":[");
  private static final byte[] ARRAY_VALUE_END = ascii("]}");
  private static final byte[] SCHEMA_URL = ascii(",\"schemaUrl\":");
  private static final byte[] FIRST_NAME = ascii("\"name\":");
  private static final byte[] NAME = ascii(",\"name\":");
  private static final byte[] DROPPED_ATTRIBUTES = ascii(",\"droppedAttributesCount\":");
  private static final byte[] DROPPED_EVENTS = ascii(",\"droppedEventsCount\":");
  private static final byte[] DROPPED_LINKS = ascii(",\"droppedLinksCount\":");
  private static final byte[] FIRST_MESSAGE = ascii("\"message\":");
  private static final byte[] VERSION = ascii(",\"version\":");
  private static final byte[] FIRST_VERSION = ascii("\"version\":");

  private final JsonBytes out;
  // by identity: the assembler's keys are constants, so this is a pointer comparison
  private final Map<AttributeKey<?>, byte[]> keyPrefixes = new IdentityHashMap<>();
  private final JsonBytes scratch = new JsonBytes(64);
  private boolean firstAttribute;

  public OtlpJsonEncoder(JsonBytes out) {
    this.out = out;
  }

  /** Appends one request holding {@code spans}, and a newline, to the buffer. */
  public void encodeRequest(Collection<? extends SpanData> spans) {
    out.raw(REQUEST_START);
    boolean firstResource = true;
    for (Map.Entry<Resource, Map<InstrumentationScopeInfo, List<SpanData>>> r : group(spans).entrySet()) {
      if (!firstResource) {
        out.raw(',');
      }
      firstResource = false;
      out.raw(RESOURCE_START);
      attributes(r.getKey().getAttributes());
      out.raw(SCOPE_SPANS);
      boolean firstScope = true;
      for (Map.Entry<InstrumentationScopeInfo, List<SpanData>> s : r.getValue().entrySet()) {
        if (!firstScope) {
          out.raw(',');
        }
        firstScope = false;
        scopeSpans(s.getKey(), s.getValue());
      }
      out.raw(']');
      optionalString(SCHEMA_URL, r.getKey().getSchemaUrl());
      out.raw('}');
    }
    out.raw(REQUEST_END);
  }

  private static Map<Resource, Map<InstrumentationScopeInfo, List<SpanData>>> group(
      Collection<? extends SpanData> spans) {
    Map<Resource, Map<InstrumentationScopeInfo, List<SpanData>>> groups = new LinkedHashMap<>();
    Resource lastResource = null;
    InstrumentationScopeInfo lastScope = null;
    List<SpanData> last = null;
    for (SpanData span : spans) {
      // the agent's spans all share one resource and scope: skip the lookups while they repeat
      if (span.getResource() != lastResource || span.getInstrumentationScopeInfo() != lastScope) {
        lastResource = span.getResource();
        lastScope = span.getInstrumentationScopeInfo();
        last = groups.computeIfAbsent(lastResource, k -> new LinkedHashMap<>())
            .computeIfAbsent(lastScope, k -> new ArrayList<>());
      }
      last.add(span);
    }
    return groups;
  }

  private void scopeSpans(InstrumentationScopeInfo scope, List<SpanData> spans) {
    out.raw(SCOPE_START);
    boolean any = optionalString(FIRST_NAME, scope.getName());
    optionalString(any ? VERSION : FIRST_VERSION, scope.getVersion());
    out.raw(any || nonEmpty(scope.getVersion()) ? ATTRIBUTES : FIRST_ATTRIBUTES);
    attributeList(scope.getAttributes());
    out.raw(SPANS_START);
    for (int i = 0; i < spans.size(); i++) {
      if (i > 0) {
        out.raw(',');
      }
      span(spans.get(i));
    }
    out.raw(']');
    optionalString(SCHEMA_URL, scope.getSchemaUrl());
    out.raw('}');
  }

  private void span(SpanData span) {
    SpanContext context = span.getSpanContext();
    out.raw(TRACE_ID).asciiString(context.getTraceId());
    out.raw(SPAN_ID).asciiString(context.getSpanId());
    traceState(context.getTraceState());
    SpanContext parent = span.getParentSpanContext();
    if (parent.isValid()) {
      out.raw(PARENT_SPAN_ID).asciiString(parent.getSpanId());
    }
    optionalString(NAME, span.getName());
    out.raw(KIND).number(span.getKind().ordinal() + 1);
    out.raw(START_TIME).quotedNumber(span.getStartEpochNanos());
    out.raw(END_TIME).quotedNumber(span.getEndEpochNanos());
    out.raw(ATTRIBUTES);
    attributeList(span.getAttributes());
    out.raw(']');
    droppedCount(DROPPED_ATTRIBUTES, span.getTotalAttributeCount() - span.getAttributes().size());
    out.raw(EVENTS);
    List<EventData> events = span.getEvents();
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        out.raw(',');
      }
      event(events.get(i));
    }
    out.raw(']');
    droppedCount(DROPPED_EVENTS, span.getTotalRecordedEvents() - events.size());
    out.raw(LINKS);
    List<LinkData> links = span.getLinks();
    for (int i = 0; i < links.size(); i++) {
      if (i > 0) {
        out.raw(',');
      }
      link(links.get(i));
    }
    out.raw(']');
    droppedCount(DROPPED_LINKS, span.getTotalRecordedLinks() - links.size());
    status(span.getStatus());
    out.raw(FLAGS).number(flags(context, parent.isRemote()));
    out.raw('}');
  }

  private void event(EventData event) {
    out.raw(EVENT_TIME).quotedNumber(event.getEpochNanos());
    optionalString(NAME, event.getName());
    out.raw(ATTRIBUTES);
    attributeList(event.getAttributes());
    out.raw(']');
    droppedCount(DROPPED_ATTRIBUTES, event.getTotalAttributeCount() - event.getAttributes().size());
    out.raw('}');
  }

  private void link(LinkData link) {
    SpanContext context = link.getSpanContext();
    out.raw(TRACE_ID).asciiString(context.getTraceId());
    out.raw(SPAN_ID).asciiString(context.getSpanId());
    traceState(context.getTraceState());
    out.raw(ATTRIBUTES);
    attributeList(link.getAttributes());
    out.raw(']');
    droppedCount(DROPPED_ATTRIBUTES, link.getTotalAttributeCount() - link.getAttributes().size());
    out.raw(FLAGS).number(flags(context, context.isRemote()));
    out.raw('}');
  }

  private void status(StatusData status) {
    out.raw(STATUS);
    boolean any = optionalString(FIRST_MESSAGE, status.getDescription());
    int code = status.getStatusCode().ordinal(); // UNSET 0, OK 1, ERROR 2, as in the proto
    if (code != 0) {
      out.raw(any ? CODE : FIRST_CODE).number(code);
    }
    out.raw('}');
  }

  /** The proto's span flags: the W3C trace flags, plus whether the parent (or link) is remote. */
  private static int flags(SpanContext context, boolean remote) {
    return (context.getTraceFlags().asByte() & 0xFF) | 0x100 | (remote ? 0x200 : 0);
  }

  private void traceState(TraceState state) {
    if (state.isEmpty()) {
      return;
    }
    StringBuilder w3c = new StringBuilder();
    state.forEach((k, v) -> {
      if (w3c.length() > 0) {
        w3c.append(',');
      }
      w3c.append(k).append('=').append(v);
    });
    out.raw(TRACE_STATE).string(w3c.toString());
  }

  private void attributes(Attributes attributes) {
    out.raw(FIRST_ATTRIBUTES);
    attributeList(attributes);
    out.raw(']');
  }

  private void attributeList(Attributes attributes) {
    firstAttribute = true;
    attributes.forEach(this);
  }

  /** One attribute, as an OTLP {@code KeyValue}; called by {@link Attributes#forEach}. */
  @Override
  public void accept(AttributeKey<?> key, Object value) {
    if (!firstAttribute) {
      out.raw(',');
    }
    firstAttribute = false;
    out.raw(keyPrefix(key));
    anyValue(key.getType(), value);
    out.raw(KEY_VALUE_END);
  }

  private void anyValue(AttributeType type, Object value) {
    switch (type) {
      case STRING:
        out.raw(STRING_VALUE).string((String) value);
        return;
      case BOOLEAN:
        out.raw(BOOL_VALUE).bool((Boolean) value);
        return;
      case LONG:
        out.raw(INT_VALUE).quotedNumber((Long) value);
        return;
      case DOUBLE:
        out.raw(DOUBLE_VALUE).number((double) (Double) value);
        return;
      case STRING_ARRAY:
      case BOOLEAN_ARRAY:
      case LONG_ARRAY:
      case DOUBLE_ARRAY:
        array(type, (List<?>) value);
        return;
      default:
        // AttributeType.VALUE_OPEN: the agent never writes one; keep its text rather than fail
        out.raw(STRING_VALUE).string(String.valueOf(value));
    }
  }

  private void array(AttributeType type, List<?> values) {
    AttributeType element = type == AttributeType.STRING_ARRAY ? AttributeType.STRING
        : type == AttributeType.BOOLEAN_ARRAY ? AttributeType.BOOLEAN
        : type == AttributeType.LONG_ARRAY ? AttributeType.LONG : AttributeType.DOUBLE;
    out.raw(ARRAY_VALUE);
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.raw(',');
      }
      out.raw('{');
      anyValue(element, values.get(i));
      out.raw('}');
    }
    out.raw(ARRAY_VALUE_END);
  }

  /** {@code {"key":"<key>","value":{}, encoded once per key (bounded cache). */
  private byte[] keyPrefix(AttributeKey<?> key) {
    byte[] prefix = keyPrefixes.get(key);
    if (prefix == null) {
      scratch.reset();
      scratch.raw(KEY_OPEN).string(key.getKey()).raw(VALUE_OPEN);
      prefix = scratch.toByteArray();
      if (keyPrefixes.size() < MAX_CACHED_KEYS) {
        keyPrefixes.put(key, prefix);
      }
    }
    return prefix;
  }

  /** Writes {@code field} and the string unless it is null or empty (proto3 omits defaults). */
  private boolean optionalString(byte[] field, String value) {
    if (!nonEmpty(value)) {
      return false;
    }
    out.raw(field).string(value);
    return true;
  }

  private void droppedCount(byte[] field, int count) {
    if (count != 0) {
      out.raw(field).number(count);
    }
  }

  private static boolean nonEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static byte[] ascii(String constant) {
    return constant.getBytes(StandardCharsets.US_ASCII);
  }
}
