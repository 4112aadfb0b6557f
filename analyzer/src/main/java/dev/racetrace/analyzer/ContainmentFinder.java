package dev.racetrace.analyzer;

import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.OperationInstance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Step 5: the keys and time windows (each node's clock) to repair. For a break: from the start
 * of the operation that ran too early to the end of the last operation on the key that came at
 * or after it (the consequences, such as a publish of the stale value), including the late
 * operation. For an odd raw value with no break found: the span of all operations on the key on
 * that node (unknown if it has none).
 */
final class ContainmentFinder {
  private ContainmentFinder() {}

  static List<AffectedWindow> find(List<BreakFinding> breaks, List<KeyDivergence> divergence,
      Map<String, NodeTimeline> timelines, String nodeFilter) {
    List<AffectedWindow> out = new ArrayList<>();
    Set<String> covered = new HashSet<>();
    for (BreakFinding b : breaks) {
      OperationInstance early = b.orderBreak().early();
      long from = early.startNanos();
      long to = early.endNanos();
      for (OperationInstance o : timelines.get(b.node()).operations(b.key())) {
        if (o.pending() || o.proceedSeq() >= b.seq()) {
          to = Math.max(to, o.endNanos());
        }
      }
      OperationInstance late = b.orderBreak().late();
      if (late != null) {
        to = Math.max(to, late.endNanos());
      }
      out.add(new AffectedWindow(b.node(), b.key(), from, to, "break"));
      covered.add(b.node() + '\u0000' + b.key());
    }
    for (KeyDivergence d : divergence) {
      String node = d.oddNode();
      if (node == null || covered.contains(node + '\u0000' + d.key())
          || (nodeFilter != null && !nodeFilter.equals(node))) {
        continue;
      }
      long from = Long.MIN_VALUE;
      long to = Long.MIN_VALUE;
      NodeTimeline t = timelines.get(node);
      if (t != null) {
        for (OperationInstance o : t.operations(d.key())) {
          from = from == Long.MIN_VALUE ? o.initNanos() : Math.min(from, o.initNanos());
          to = Math.max(to, o.endNanos());
        }
      }
      out.add(new AffectedWindow(node, d.key(), from, to, "divergence"));
    }
    out.sort(Comparator.comparing(AffectedWindow::node).thenComparingLong(AffectedWindow::fromNanos)
        .thenComparing(AffectedWindow::key));
    return out;
  }
}
