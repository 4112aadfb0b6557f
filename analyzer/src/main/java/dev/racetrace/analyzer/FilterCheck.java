package dev.racetrace.analyzer;

import dev.racetrace.analyzer.input.RawStateEntry;
import dev.racetrace.analyzer.input.SpanStore;
import dev.racetrace.analyzer.timeline.NodeTimeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code --node} and {@code --key} must name something the spans or the raw state have. */
final class FilterCheck {
  private FilterCheck() {}

  /**
   * A {@code --node} or {@code --key} that matches nothing is an error, not an empty report.
   *
   * @throws IllegalArgumentException naming the option, the value and what exists
   */
  static void check(AnalyzerOptions options, Map<String, NodeTimeline> timelines,
      List<RawStateEntry> raw, SpanStore store) {
    if (options.node() != null && !timelines.containsKey(options.node())
        && (raw == null || raw.stream().noneMatch(e -> e.node().equals(options.node())))) {
      Set<String> known = new TreeSet<>(timelines.keySet());
      if (raw != null) {
        raw.forEach(e -> known.add(e.node()));
      }
      throw new IllegalArgumentException("--node " + options.node() + " matches no node in the "
          + (raw == null ? "spans" : "spans or raw state") + "; nodes: "
          + String.join(", ", known));
    }
    String key = options.key();
    if (key != null && timelines.values().stream().allMatch(t -> t.operations(key).isEmpty())
        && (raw == null || raw.stream().noneMatch(e -> e.key().equals(key)))) {
      Set<String> known = new TreeSet<>(store.otherKeys());
      if (raw != null) {
        raw.forEach(e -> known.add(e.key()));
      }
      List<String> shown = new ArrayList<>(known);
      String list = shown.isEmpty() ? "none (no span carries race.key)"
          : String.join(", ", shown.subList(0, Math.min(10, shown.size())))
              + (shown.size() > 10 ? ", ..." : "");
      throw new IllegalArgumentException("--key " + key + " matches no key in the "
          + (raw == null ? "spans" : "spans or raw state") + "; keys: " + list);
    }
  }
}
