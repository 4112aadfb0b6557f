package dev.racetrace.analyzer.timeline;

import dev.racetrace.analyzer.input.NodeCounters;
import dev.racetrace.analyzer.input.SpanRecord;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node's operations per key, reconstructed from its spans, plus what is needed to ask
 * whether one operation happens-before another ({@link #happensBefore()}). Order on a node is
 * decided by {@code race.seq} only; times are the node's own clock.
 */
public final class NodeTimeline {
  private final String node;
  private final SpanRecord[] spans;
  private final int[] contextInstance;
  private final LongIntMap workByCausal;
  private final Map<String, List<OperationInstance>> byKey;
  private final Map<String, Integer> keylessOps;
  private final NodeCounters counters;
  private HappensBefore happensBefore;
  private long lastSeenNanos = -1;

  NodeTimeline(String node, SpanRecord[] spans, int[] contextInstance,
      LongIntMap workByCausal,
      Map<String, List<OperationInstance>> byKey, Map<String, Integer> keylessOps,
      NodeCounters counters) {
    this.node = node;
    this.spans = spans;
    this.contextInstance = contextInstance;
    this.workByCausal = workByCausal;
    this.byKey = byKey;
    this.keylessOps = keylessOps;
    this.counters = counters;
  }

  /** The node id. */
  public String node() {
    return node;
  }

  /** Keys with at least one operation in the analysed window. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(byKey.keySet());
  }

  /** Operations on {@code key}, in initiation order (enqueue/submit seq); empty if none. */
  public List<OperationInstance> operations(String key) {
    List<OperationInstance> list = byKey.get(key);
    return list == null ? Collections.emptyList() : Collections.unmodifiableList(list);
  }

  /**
   * Operations recorded without a {@code race.key} (no key extractor for the element or task,
   * e.g. a lambda that captures no keyed object), by op name: how many instances.
   */
  public Map<String, Integer> keylessOps() {
    return Collections.unmodifiableMap(keylessOps);
  }

  /** Time of the last thing recorded on the node (its clock, epoch ns), or 0 when empty. */
  public synchronized long lastSeenNanos() {
    if (lastSeenNanos < 0) {
      long last = 0;
      for (SpanRecord s : spans) {
        last = Math.max(last, Math.max(s.startNanos(), s.endNanos()));
      }
      lastSeenNanos = last;
    }
    return lastSeenNanos;
  }

  /** Number of spans kept for the node. */
  public int spanCount() {
    return spans.length;
  }

  /** The agent's counters for the node. */
  public NodeCounters counters() {
    return counters;
  }

  /** Happens-before queries over this node's recorded synchronisation; built on first use. */
  public synchronized HappensBefore happensBefore() {
    if (happensBefore == null) {
      happensBefore = new HappensBefore(spans, contextInstance, workByCausal);
    }
    return happensBefore;
  }

  /**
   * Whether {@code a} is before {@code b} per the ordering definition: {@code a} ended before
   * {@code b} proceeded ({@code race.end_seq} &lt; proceed seq), or a recorded happens-before
   * path leads from inside {@code a} to {@code b}'s proceed point.
   */
  public boolean precedes(OperationInstance a, OperationInstance b) {
    if (b.pending()) {
      return true;
    }
    if (a.ended() && a.endSeq() < b.proceedSeq()) {
      return true;
    }
    if (a.pending() || a.startSeq() > b.proceedSeq()) {
      // Nothing inside a happened before b proceeded: seq is consistent with happens-before.
      return false;
    }
    return happensBefore().path(a, b) != null;
  }
}
