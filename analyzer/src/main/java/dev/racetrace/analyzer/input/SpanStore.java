package dev.racetrace.analyzer.input;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything read from the span files, per node: the spans the analysis uses, the agent's
 * counters, the services and the rules recorded in the resources. With a key filter, spans of
 * other keys are not kept (keyless spans, such as a latch counted down at boot, are).
 */
public final class SpanStore implements SpanSink {
  private static final int OTHER_KEYS_KEPT = 20;
  private final String keyFilter;
  private final Map<String, NodeData> nodes = new TreeMap<>();
  private final Set<String> recordedRules = new LinkedHashSet<>();
  private long spansRead;
  private long spansSkipped;
  private final List<String> notes = new ArrayList<>();
  /** A few keys the key filter dropped, to name when the filter matches nothing. */
  private final Set<String> otherKeys = new java.util.TreeSet<>();

  /** @param keyFilter keep only spans of this key (and keyless ones); null keeps all */
  public SpanStore(String keyFilter) {
    this.keyFilter = keyFilter;
  }

  private NodeData node(String node) {
    return nodes.computeIfAbsent(node, NodeData::new);
  }

  @Override
  public void resource(String node, String service, String rules) {
    NodeData n = node(node);
    if (service != null) {
      n.service = service;
    }
    if (rules != null) {
      for (String rule : rules.split(";")) {
        if (!rule.isBlank()) {
          recordedRules.add(rule.trim());
        }
      }
    }
  }

  @Override
  public void span(SpanRecord span) {
    spansRead++;
    if (keyFilter != null && span.key() != null && !keyFilter.equals(span.key())) {
      if (otherKeys.size() < OTHER_KEYS_KEPT) {
        otherKeys.add(span.key());
      }
      return;
    }
    node(span.node()).spans.add(span);
  }

  @Override
  public void counters(String node, NodeCounters counters) {
    NodeData n = node(node);
    n.counters = n.counters.max(counters);
  }

  @Override
  public void skipped(String node) {
    spansSkipped++;
  }

  /**
   * Moves everything {@code other} read into this store (used to merge files read in parallel,
   * in file order).
   */
  public void addAll(SpanStore other) {
    for (String k : other.otherKeys) {
      if (otherKeys.size() < OTHER_KEYS_KEPT) {
        otherKeys.add(k);
      }
    }
    for (NodeData o : other.nodes.values()) {
      NodeData n = node(o.node);
      if (n.spans.isEmpty()) {
        n.spans = o.spans;
      } else {
        n.spans.addAll(o.spans);
      }
      n.counters = n.counters.max(o.counters);
      if (o.service != null) {
        n.service = o.service;
      }
      o.spans = new ArrayList<>(0);
    }
    recordedRules.addAll(other.recordedRules);
    spansRead += other.spansRead;
    spansSkipped += other.spansSkipped;
    notes.addAll(other.notes);
  }

  /** Node ids, sorted. */
  public List<String> nodes() {
    return new ArrayList<>(nodes.keySet());
  }

  /** The spans kept for {@code node}, in file order. */
  public List<SpanRecord> spans(String node) {
    NodeData n = nodes.get(node);
    return n == null ? Collections.emptyList() : n.spans;
  }

  /** Drops the spans of {@code node} once its timeline is built, to free memory. */
  public void release(String node) {
    NodeData n = nodes.get(node);
    if (n != null) {
      n.spans = new ArrayList<>(0);
    }
  }

  /** The agent's counters for {@code node}. */
  public NodeCounters counters(String node) {
    NodeData n = nodes.get(node);
    return n == null ? NodeCounters.EMPTY : n.counters;
  }

  /** {@code service.name} of {@code node}, or null. */
  public String service(String node) {
    NodeData n = nodes.get(node);
    return n == null ? null : n.service;
  }

  /** Rules recorded in the resources' {@code racetrace.rules}, in first-seen order. */
  public Set<String> recordedRules() {
    return recordedRules;
  }

  /** Spans read that the analysis uses (before the key filter). */
  public long spansRead() {
    return spansRead;
  }

  /** Spans skipped: not racetrace spans, or without {@code race.seq}. */
  public long spansSkipped() {
    return spansSkipped;
  }

  /** Records something about the input that makes the result less certain. */
  public void note(String note) {
    notes.add(note);
  }

  /** Notes about the input, in the order they were made. */
  public List<String> notes() {
    return notes;
  }

  private static final class NodeData {
    final String node;
    List<SpanRecord> spans = new ArrayList<>();
    NodeCounters counters = NodeCounters.EMPTY;
    String service;

    NodeData(String node) {
      this.node = node;
    }
  }

  /** Up to 20 keys of spans the key filter left out (for "matches nothing" messages). */
  public Set<String> otherKeys() {
    return Collections.unmodifiableSet(otherKeys);
  }
}
