package dev.racetrace.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Splits the span files of a multi-seed sample-app run into one directory per seed, using the
 * {@code seed-start} marks each node records when it boots a seed: a node's spans with a seq from
 * one mark up to the next belong to that seed.
 */
final class SeedSplitter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SeedSplitter() {}

  /** @return seed -> directory holding that seed's spans of every node */
  static Map<Long, Path> split(Path spansDir, Path outDir) throws IOException {
    if (Journals.any(spansDir)) {
      spansDir = Journals.toOtlpJson(spansDir); // the default recording: spans built from the journals
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(spansDir)) {
      files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().collect(Collectors.toList());
    }
    Map<Long, Path> dirs = new TreeMap<>();
    for (Path file : files) {
      List<JsonNode> requests = new ArrayList<>();
      TreeMap<Long, Long> seedBySeqStart = new TreeMap<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        JsonNode req = JSON.readTree(line);
        requests.add(req);
        forEachSpan(req, span -> {
          Map<String, String> a = attributes(span);
          if ("mark".equals(a.get("race.event")) && "seed-start".equals(a.get("race.op"))) {
            seedBySeqStart.put(Long.parseLong(a.get("race.seq")), Long.parseLong(a.get("race.key").substring(5)));
          }
        });
      }
      Map<Long, BufferedWriter> writers = new HashMap<>();
      try {
        for (JsonNode req : requests) {
          Map<Long, ObjectNode> bySeed = new HashMap<>();
          for (JsonNode rs : req.path("resourceSpans")) {
            for (JsonNode ss : rs.path("scopeSpans")) {
              for (JsonNode span : ss.path("spans")) {
                String seq = attributes(span).get("race.seq");
                Map.Entry<Long, Long> seed = seq == null ? null : seedBySeqStart.floorEntry(Long.parseLong(seq));
                if (seed == null) {
                  continue; // warm-up before the first seed, or the agent's own stats
                }
                ObjectNode copy = bySeed.computeIfAbsent(seed.getValue(), k -> skeleton(rs, ss));
                ((ArrayNode) copy.path("resourceSpans").get(0).path("scopeSpans").get(0).path("spans")).add(span);
              }
            }
          }
          for (Map.Entry<Long, ObjectNode> e : bySeed.entrySet()) {
            Path dir = dirs.computeIfAbsent(e.getKey(), s -> outDir.resolve("seed-" + s));
            Files.createDirectories(dir);
            BufferedWriter w = writers.computeIfAbsent(e.getKey(), s -> open(dir.resolve(file.getFileName())));
            w.write(JSON.writeValueAsString(e.getValue()));
            w.newLine();
          }
        }
      } finally {
        for (BufferedWriter w : writers.values()) {
          w.close();
        }
      }
    }
    return dirs;
  }

  private static BufferedWriter open(Path file) {
    try {
      return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode skeleton(JsonNode rs, JsonNode ss) {
    ObjectNode req = JSON.createObjectNode();
    ObjectNode r = req.putArray("resourceSpans").addObject();
    r.set("resource", rs.path("resource"));
    ObjectNode s = r.putArray("scopeSpans").addObject();
    s.set("scope", ss.path("scope"));
    s.putArray("spans");
    return req;
  }

  private static void forEachSpan(JsonNode req, java.util.function.Consumer<JsonNode> f) {
    for (JsonNode rs : req.path("resourceSpans")) {
      for (JsonNode ss : rs.path("scopeSpans")) {
        for (JsonNode span : ss.path("spans")) {
          f.accept(span);
        }
      }
    }
  }

  static Map<String, String> attributes(JsonNode span) {
    Map<String, String> m = new HashMap<>();
    for (JsonNode a : span.path("attributes")) {
      JsonNode v = a.path("value");
      String value = v.has("stringValue") ? v.path("stringValue").asText()
          : v.has("intValue") ? v.path("intValue").asText() : v.has("boolValue") ? v.path("boolValue").asText() : v.toString();
      m.put(a.path("key").asText(), value);
    }
    return m;
  }
}
