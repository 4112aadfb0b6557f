package dev.racetrace.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the agent's recordings into simple span records for assertions: OTLP JSON lines files, and
 * the spans built from journals (the default recording) by the agent's own replay ({@link Journals}).
 */
final class SpanFile {
  /** One exported span. */
  static final class Span {
    String name;
    int kind;
    String traceId;
    String spanId;
    String parentSpanId;
    long start;
    long end;
    final Map<String, Object> attributes = new HashMap<>();
    final Map<String, Object> resource = new HashMap<>();
    final List<String> linkedSpanIds = new ArrayList<>();
    /** "traceId/spanId" of the links to the application's own spans (race.link=app). */
    final List<String> appLinks = new ArrayList<>();
    String statusCode;

    String str(String key) {
      Object v = attributes.get(key);
      return v == null ? null : v.toString();
    }

    Long num(String key) {
      Object v = attributes.get(key);
      return v instanceof Long ? (Long) v : null;
    }

    Boolean bool(String key) {
      Object v = attributes.get(key);
      return v instanceof Boolean ? (Boolean) v : null;
    }

    long seq() {
      Long s = num("race.seq");
      return s == null ? -1 : s;
    }

    String event() {
      return str("race.event");
    }

    @Override
    public String toString() {
      return name + " " + attributes;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  final List<Span> spans;

  private SpanFile(List<Span> spans) {
    this.spans = spans;
  }

  /** Reads every *.jsonl file in a directory, and the spans built from every *.rtj journal in it. */
  static SpanFile readDir(Path dir) throws IOException {
    List<Span> all = new ArrayList<>();
    if (Journals.any(dir)) {
      all.addAll(readJsonl(Journals.toOtlpJson(dir)));
    }
    all.addAll(readJsonl(dir));
    return new SpanFile(all);
  }

  private static List<Span> readJsonl(Path dir) throws IOException {
    List<Span> all = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).collect(Collectors.toList())) {
          all.addAll(read(f));
        }
      }
    }
    return all;
  }

  static List<Span> read(Path file) throws IOException {
    List<Span> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode req = JSON.readTree(line);
        for (JsonNode rs : req.path("resourceSpans")) {
          Map<String, Object> resource = attributes(rs.path("resource").path("attributes"));
          for (JsonNode ss : rs.path("scopeSpans")) {
            for (JsonNode s : ss.path("spans")) {
              Span span = new Span();
              span.name = s.path("name").asText();
              span.kind = s.path("kind").asInt();
              span.traceId = s.path("traceId").asText();
              span.spanId = s.path("spanId").asText();
              span.parentSpanId = s.path("parentSpanId").asText("");
              span.start = Long.parseLong(s.path("startTimeUnixNano").asText("0"));
              span.end = Long.parseLong(s.path("endTimeUnixNano").asText("0"));
              span.attributes.putAll(attributes(s.path("attributes")));
              span.resource.putAll(resource);
              for (JsonNode l : s.path("links")) {
                span.linkedSpanIds.add(l.path("spanId").asText());
                if ("app".equals(attributes(l.path("attributes")).get("race.link"))) {
                  span.appLinks.add(l.path("traceId").asText() + "/" + l.path("spanId").asText());
                }
              }
              span.statusCode = s.path("status").path("code").asText("");
              out.add(span);
            }
          }
        }
      }
    }
    return out;
  }

  static Map<String, Object> attributes(JsonNode list) {
    Map<String, Object> m = new HashMap<>();
    for (JsonNode a : list) {
      JsonNode v = a.path("value");
      Object value;
      if (v.has("intValue")) {
        value = Long.parseLong(v.path("intValue").asText());
      } else if (v.has("boolValue")) {
        value = v.path("boolValue").asBoolean();
      } else if (v.has("doubleValue")) {
        value = v.path("doubleValue").asDouble();
      } else {
        value = v.path("stringValue").asText();
      }
      m.put(a.path("key").asText(), value);
    }
    return m;
  }

  /** A span event. */
  static final class Event {
    String name;
    final Map<String, Object> attributes = new HashMap<>();
  }

  /** The event named {@code name} on the span with this id, read from the files in {@code dir}. */
  static Event event(Path dir, String spanId, String name) throws IOException {
    if (Journals.any(dir)) {
      dir = Journals.toOtlpJson(dir);
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).collect(Collectors.toList())) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          for (JsonNode rs : JSON.readTree(line).path("resourceSpans")) {
            for (JsonNode ss : rs.path("scopeSpans")) {
              for (JsonNode s : ss.path("spans")) {
                if (!spanId.equals(s.path("spanId").asText())) {
                  continue;
                }
                for (JsonNode e : s.path("events")) {
                  if (name.equals(e.path("name").asText())) {
                    Event ev = new Event();
                    ev.name = name;
                    ev.attributes.putAll(attributes(e.path("attributes")));
                    return ev;
                  }
                }
              }
            }
          }
        }
      }
    }
    throw new AssertionError("no event " + name + " on span " + spanId);
  }

  List<Span> where(Predicate<Span> p) {
    return spans.stream().filter(p).sorted(Comparator.comparingLong(Span::seq)).collect(Collectors.toList());
  }

  List<Span> event(String event) {
    return where(s -> event.equals(s.event()));
  }

  Span bySpanId(String id) {
    return spans.stream().filter(s -> s.spanId.equals(id)).findFirst().orElse(null);
  }
}
