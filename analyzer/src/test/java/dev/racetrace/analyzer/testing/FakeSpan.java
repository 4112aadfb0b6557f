package dev.racetrace.analyzer.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One span as the agent exports it, before it is written in OTLP JSON or Jaeger form. */
public final class FakeSpan {
  /** OTLP span kinds. */
  public static final int INTERNAL = 1;
  public static final int PRODUCER = 4;
  public static final int CONSUMER = 5;

  final String name;
  final int kind;
  final String traceId;
  final String spanId;
  String parentSpanId = "";
  long startNanos;
  long endNanos;
  final Map<String, Object> attributes = new LinkedHashMap<>();
  final List<String[]> links = new ArrayList<>();

  FakeSpan(String name, int kind, String traceId, String spanId) {
    this.name = name;
    this.kind = kind;
    this.traceId = traceId;
    this.spanId = spanId;
  }

  /** Sets an attribute: String, Long/Integer, Boolean or Double. */
  public FakeSpan attr(String key, Object value) {
    attributes.put(key, value instanceof Integer ? Long.valueOf((Integer) value) : value);
    return this;
  }

  /** Adds a link to another span, with {@code race.link}. */
  public FakeSpan link(FakeSpan to, String linkKind) {
    links.add(new String[] {to.traceId, to.spanId, linkKind});
    return this;
  }

  public String name() {
    return name;
  }

  public String spanId() {
    return spanId;
  }

  public Map<String, Object> attributes() {
    return attributes;
  }
}
