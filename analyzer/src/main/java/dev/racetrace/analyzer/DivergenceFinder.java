package dev.racetrace.analyzer;

import dev.racetrace.analyzer.input.RawStateEntry;
import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.OperationInstance;
import dev.racetrace.schema.OrderingRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Step 1: which nodes hold a different value per key. */
public final class DivergenceFinder {
  private DivergenceFinder() {}

  /**
   * From node-local raw reads. The nodes compared are those in the raw state; a node's latest
   * entry for a key (highest version, else last in the file) is its value; {@code "value": null}
   * means the node has none. Keys no node has a value for are left out.
   *
   * @param keyFilter only this key, or null
   */
  public static List<KeyDivergence> fromRawState(List<RawStateEntry> entries, String keyFilter) {
    Set<String> nodes = new TreeSet<>();
    Map<String, Map<String, RawStateEntry>> byKey = new TreeMap<>();
    for (RawStateEntry e : entries) {
      nodes.add(e.node());
      if (keyFilter != null && !keyFilter.equals(e.key())) {
        continue;
      }
      byKey.computeIfAbsent(e.key(), k -> new HashMap<>()).merge(e.node(), e,
          (old, neu) -> old.version() != null && neu.version() != null
              && old.version() > neu.version() ? old : neu);
    }
    List<KeyDivergence> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, RawStateEntry>> k : byKey.entrySet()) {
      Map<String, String> values = new LinkedHashMap<>();
      Map<String, Long> versions = new HashMap<>();
      boolean any = false;
      for (String node : nodes) {
        RawStateEntry e = k.getValue().get(node);
        values.put(node, e == null ? null : e.value());
        any |= e != null && e.value() != null;
        if (e != null && e.version() != null && e.value() != null) {
          versions.put(node, e.version());
        }
      }
      if (any) {
        out.add(KeyDivergence.of(k.getKey(), values, versions));
      }
    }
    return out;
  }

  /** Which fallback {@link #fromTimelines} uses for these timelines and rules. */
  public static DivergenceSource fallbackSource(Map<String, NodeTimeline> timelines,
      List<OrderingRule> rules) {
    Set<String> publishOps = publishOps(rules);
    for (NodeTimeline t : timelines.values()) {
      for (String key : t.keys()) {
        for (OperationInstance o : t.operations(key)) {
          if (publishOps.contains(o.op())) {
            return DivergenceSource.LAST_PUBLISH;
          }
        }
      }
    }
    return DivergenceSource.OPERATION_ORDER;
  }

  /**
   * Without raw state: compares, per key, what each node's last publish-like operation was
   * derived from (see {@link DivergenceSource#LAST_PUBLISH}), or each node's order of operations
   * when nothing publish-like was recorded. Keys no node published are left out.
   */
  public static List<KeyDivergence> fromTimelines(Map<String, NodeTimeline> timelines,
      List<OrderingRule> rules, DivergenceSource source) {
    Set<String> publishOps = publishOps(rules);
    Set<String> keys = new TreeSet<>();
    for (NodeTimeline t : timelines.values()) {
      keys.addAll(t.keys());
    }
    List<KeyDivergence> out = new ArrayList<>();
    for (String key : keys) {
      Map<String, String> values = new LinkedHashMap<>();
      boolean any = false;
      for (Map.Entry<String, NodeTimeline> t : timelines.entrySet()) {
        List<OperationInstance> ops = t.getValue().operations(key);
        String v = source == DivergenceSource.LAST_PUBLISH
            ? lastPublishSignature(ops, publishOps, rules) : orderSignature(ops);
        values.put(t.getKey(), v);
        any |= v != null;
      }
      if (any) {
        out.add(KeyDivergence.of(key, values, Collections.emptyMap()));
      }
    }
    return out;
  }

  static Set<String> publishOps(List<OrderingRule> rules) {
    Set<String> ops = new LinkedHashSet<>();
    for (OrderingRule r : rules) {
      ops.add(r.last());
    }
    if (ops.isEmpty()) {
      ops.add("publish");
    }
    return ops;
  }

  /**
   * {@code load-metadata, derive -> publish}: the operations of the publish's rule (all, without
   * rules) that ended before the last publish proceeded and after the previous one did.
   */
  static String lastPublishSignature(List<OperationInstance> ops, Set<String> publishOps,
      List<OrderingRule> rules) {
    OperationInstance last = null;
    OperationInstance previous = null;
    List<OperationInstance> proceeded = new ArrayList<>();
    for (OperationInstance o : ops) {
      if (!o.pending()) {
        proceeded.add(o);
      }
    }
    proceeded.sort(Comparator.comparingLong(OperationInstance::proceedSeq));
    for (OperationInstance o : proceeded) {
      if (publishOps.contains(o.op())) {
        previous = last;
        last = o;
      }
    }
    if (last == null) {
      return null;
    }
    Set<String> relevant = new LinkedHashSet<>();
    for (OrderingRule r : rules) {
      if (r.last().equals(last.op())) {
        relevant.addAll(r.ops());
      }
    }
    long since = previous == null ? Long.MIN_VALUE : previous.proceedSeq();
    List<OperationInstance> inputs = new ArrayList<>();
    for (OperationInstance o : proceeded) {
      if (o != last && o.ended() && o.endSeq() < last.proceedSeq() && o.endSeq() > since
          && (relevant.isEmpty() || relevant.contains(o.op()))) {
        inputs.add(o);
      }
    }
    inputs.sort(Comparator.comparingLong(OperationInstance::endSeq));
    StringBuilder sb = new StringBuilder();
    for (OperationInstance o : inputs) {
      sb.append(sb.length() == 0 ? "" : ", ").append(o.op());
    }
    return (sb.length() == 0 ? "(nothing)" : sb.toString()) + " -> " + last.op();
  }

  /** {@code a < b < c}: operations in the order they proceeded; null when none did. */
  static String orderSignature(List<OperationInstance> ops) {
    List<OperationInstance> proceeded = new ArrayList<>();
    for (OperationInstance o : ops) {
      if (!o.pending()) {
        proceeded.add(o);
      }
    }
    if (proceeded.isEmpty()) {
      return null;
    }
    proceeded.sort(Comparator.comparingLong(OperationInstance::proceedSeq));
    StringBuilder sb = new StringBuilder();
    for (OperationInstance o : proceeded) {
      sb.append(sb.length() == 0 ? "" : " < ").append(o.op());
    }
    return sb.toString();
  }
}
