package dev.racetrace.sample;

import dev.racetrace.sample.wire.RawRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code raw-state.json}: the raw reads of every node, the evidence the analyzer starts from. A
 * JSON array of {@code {"node","key","value","version",...}}, one record per line; {@code node} is
 * the node's {@code service.instance.id}; a node without a record for a key has {@code "value":null}.
 */
public final class RawStateFile {
  private RawStateFile() {}

  /** Writes the records of {@code state} (node &rarr; key &rarr; record) in node and key order. */
  public static void write(Path file, List<String> nodes, List<String> keys,
      Map<String, Map<String, RawRecord>> state) throws IOException {
    List<RawRecord> all = new ArrayList<>();
    for (String node : nodes) {
      for (String key : keys) {
        RawRecord r = state.getOrDefault(node, Map.of()).get(key);
        all.add(r == null ? RawRecord.missing(node, key) : r);
      }
    }
    String json = all.stream().map(RawRecord::toJson)
        .collect(Collectors.joining(",\n  ", "[\n  ", "\n]\n"));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, json, StandardCharsets.UTF_8);
  }

  /** Groups records by node, then key. */
  public static Map<String, Map<String, RawRecord>> byNode(List<RawRecord> records) {
    Map<String, Map<String, RawRecord>> m = new LinkedHashMap<>();
    for (RawRecord r : records) {
      m.computeIfAbsent(r.node(), n -> new LinkedHashMap<>()).put(r.key(), r);
    }
    return m;
  }
}
