package dev.racetrace.sample.wire;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;
import java.util.Objects;

/**
 * One node's persisted record for one key, as returned by the raw-read endpoint
 * ({@code GET /raw/{key}}) and written to {@code raw-state.json}.
 *
 * @param node the node the record was read from (its {@code service.instance.id})
 * @param key the entity key
 * @param value the persisted value, or null when the node has no record for the key
 * @param version the record's version on that node (1 after the first publish); 0 when missing
 * @param metadataVersion the version of the dependency metadata the value was derived from (0: none)
 * @param writtenAtMicros epoch microseconds at which the value was derived; last-writer-wins
 *     reconciliation compares it
 * @param origin the node that derived the value (differs from {@code node} after reconciliation)
 */
@JsonPropertyOrder({"node", "key", "value", "version", "metadataVersion", "writtenAtMicros",
    "origin"})
public record RawRecord(String node, String key, String value, long version, long metadataVersion,
    long writtenAtMicros, String origin) {

  public RawRecord {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(key, "key");
  }

  /** The record of a node that has nothing persisted for {@code key}. */
  public static RawRecord missing(String node, String key) {
    return new RawRecord(node, key, null, 0, 0, 0, null);
  }

  /** Whether the node had a record. */
  public boolean present() {
    return value != null;
  }

  /** The same record as held by {@code otherNode} (used when reconciliation copies it). */
  public RawRecord heldBy(String otherNode) {
    return new RawRecord(otherNode, key, value, version, metadataVersion, writtenAtMicros, origin);
  }

  /**
   * Short human form for tables: {@code 1440 (m2)} = value 1440 derived from metadata version 2;
   * {@code -} when missing.
   */
  public String display() {
    return present() ? value + " (m" + metadataVersion + ")" : "-";
  }

  /**
   * The record as one JSON object: {@code node, key, value, version, metadataVersion,
   * writtenAtMicros, origin}, in that order, {@code null} for a missing value or origin.
   */
  public String toJson() {
    return Json.write(this);
  }

  /**
   * Reads a record written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException when {@code node} or {@code key} is missing
   */
  public static RawRecord fromJson(Map<String, Object> m) {
    Object node = m.get("node");
    Object key = m.get("key");
    if (!(node instanceof String) || !(key instanceof String)) {
      throw new IllegalArgumentException("raw record: node and key are required: " + m);
    }
    Object value = m.get("value");
    Object origin = m.get("origin");
    return new RawRecord((String) node, (String) key, value == null ? null : value.toString(),
        asLong(m.get("version")), asLong(m.get("metadataVersion")),
        asLong(m.get("writtenAtMicros")), origin == null ? null : origin.toString());
  }

  private static long asLong(Object o) {
    return o instanceof Number ? ((Number) o).longValue() : 0L;
  }
}
