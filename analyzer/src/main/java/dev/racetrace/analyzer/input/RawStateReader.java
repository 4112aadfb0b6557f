package dev.racetrace.analyzer.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code --raw raw-state.json}: a JSON array of {@code {"node","key","value","version"}},
 * one element per node-local raw read. {@code value} may be any JSON value; {@code version} is
 * optional.
 */
public final class RawStateReader {
  private final ObjectMapper mapper = new ObjectMapper();

  /**
   * @return the entries, in file order
   * @throws InputException naming the file and line of the first bad element
   */
  public List<RawStateEntry> read(Path file) throws InputException {
    List<RawStateEntry> entries = new ArrayList<>();
    JsonParser p = null;
    try (InputStream in = Files.newInputStream(file)) {
      p = mapper.createParser(in);
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalArgumentException("expected a JSON array of {node, key, value, version}");
      }
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
          throw new IllegalArgumentException("expected an object {node, key, value, version}");
        }
        int line = p.currentLocation().getLineNr();
        JsonNode element = mapper.readTree(p);
        entries.add(entry(element, file, line));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw InputException.whileParsing(file, p, e);
    }
    return entries;
  }

  private static RawStateEntry entry(JsonNode e, Path file, int line) throws InputException {
    JsonNode node = e.get("node");
    JsonNode key = e.get("key");
    if (node == null || !node.isValueNode() || node.asText().isEmpty()) {
      throw new InputException(file, line, "raw state entry without \"node\"");
    }
    if (key == null || !key.isValueNode()) {
      throw new InputException(file, line, "raw state entry without \"key\"");
    }
    JsonNode value = e.get("value");
    String text = value == null || value.isNull() ? null
        : value.isValueNode() ? value.asText() : value.toString();
    JsonNode version = e.get("version");
    Long v = null;
    if (version != null && !version.isNull()) {
      if (version.isIntegralNumber() || (version.isTextual() && version.asText().matches("-?\\d+"))) {
        v = version.asLong();
      } else {
        throw new InputException(file, line, "\"version\" is not an integer: " + version);
      }
    }
    return new RawStateEntry(node.asText(), key.asText(), text, v);
  }
}
