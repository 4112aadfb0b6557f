package dev.racetrace.sample;

import dev.racetrace.sample.wire.RawRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Step 1 of the method: compare each key's raw value across nodes. All equal: no divergence.
 * Exactly one node differs while the rest agree: that node is odd, the signature of a timing race
 * on that node. Anything else: several nodes differ (not a single-node race).
 */
public final class DivergenceReport {
  /** How the nodes' values for one key relate. */
  public enum Agreement {
    /** Every node holds the same value. */
    AGREE,
    /** One node differs, all the others agree. */
    ONE_ODD,
    /** Some other split (or only two nodes, which cannot outvote each other). */
    SEVERAL
  }

  /**
   * One key.
   *
   * @param key the key
   * @param byNode each node's record, in node order
   * @param agreement how they relate
   * @param oddNode the odd node when {@link Agreement#ONE_ODD}
   */
  public record Row(String key, Map<String, RawRecord> byNode, Agreement agreement,
      Optional<String> oddNode) {
    /** Whether the nodes disagree on this key. */
    public boolean divergent() {
      return agreement != Agreement.AGREE;
    }
  }

  private final List<String> nodes;
  private final List<Row> rows;

  private DivergenceReport(List<String> nodes, List<Row> rows) {
    this.nodes = nodes;
    this.rows = rows;
  }

  /**
   * Compares raw state.
   *
   * @param nodes node ids, in display order
   * @param keys keys, in display order
   * @param state node id &rarr; key &rarr; record (a missing entry means no record)
   */
  public static DivergenceReport of(List<String> nodes, List<String> keys,
      Map<String, Map<String, RawRecord>> state) {
    List<Row> rows = new ArrayList<>();
    for (String key : keys) {
      Map<String, RawRecord> byNode = new LinkedHashMap<>();
      for (String node : nodes) {
        RawRecord r = state.getOrDefault(node, Map.of()).get(key);
        byNode.put(node, r == null ? RawRecord.missing(node, key) : r);
      }
      rows.add(classify(key, byNode));
    }
    return new DivergenceReport(List.copyOf(nodes), Collections.unmodifiableList(rows));
  }

  private static Row classify(String key, Map<String, RawRecord> byNode) {
    Map<String, List<String>> nodesByValue = new LinkedHashMap<>();
    for (RawRecord r : byNode.values()) {
      nodesByValue.computeIfAbsent(Objects.toString(r.value(), "\u0000missing"), v -> new ArrayList<>())
          .add(r.node());
    }
    if (nodesByValue.size() == 1) {
      return new Row(key, byNode, Agreement.AGREE, Optional.empty());
    }
    if (nodesByValue.size() == 2 && byNode.size() >= 3) {
      for (List<String> group : nodesByValue.values()) {
        if (group.size() == 1) {
          return new Row(key, byNode, Agreement.ONE_ODD, Optional.of(group.get(0)));
        }
      }
    }
    return new Row(key, byNode, Agreement.SEVERAL, Optional.empty());
  }

  /** Node ids. */
  public List<String> nodes() {
    return nodes;
  }

  /** One row per key. */
  public List<Row> rows() {
    return rows;
  }

  /** Keys on which the nodes disagree. */
  public List<String> divergentKeys() {
    return rows.stream().filter(Row::divergent).map(Row::key).toList();
  }

  /** How many divergent keys each node is the odd one on. */
  public Map<String, Integer> oddCounts() {
    Map<String, Integer> m = new TreeMap<>();
    for (Row r : rows) {
      r.oddNode().ifPresent(n -> m.merge(n, 1, Integer::sum));
    }
    return m;
  }

  /**
   * The race signature: at least one key diverges, and on every divergent key the same single
   * node is the odd one.
   */
  public Optional<String> oddNode() {
    List<String> divergent = divergentKeys();
    if (divergent.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Integer> counts = oddCounts();
    if (counts.size() == 1 && counts.values().iterator().next() == divergent.size()) {
      return Optional.of(counts.keySet().iterator().next());
    }
    return Optional.empty();
  }
}
