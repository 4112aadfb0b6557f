package dev.racetrace.analyzer;

import dev.racetrace.analyzer.timeline.OperationInstance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders a key's operations on a node as an order: by proceed seq, queued ones last. */
public final class OrderLabels {
  private OrderLabels() {}

  /**
   * @param ops the key's operations on one node
   * @param only keep these ops, or null for all
   * @return e.g. {@code [derive, publish, load-metadata (queued)]}; an op that occurs more than
   *     once carries its occurrence, {@code derive #2}
   */
  public static List<String> of(List<OperationInstance> ops, Set<String> only) {
    List<OperationInstance> kept = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    for (OperationInstance o : ops) {
      if (only == null || only.contains(o.op())) {
        kept.add(o);
        counts.merge(o.op(), 1, Integer::sum);
      }
    }
    kept.sort(Comparator.comparing(OperationInstance::pending)
        .thenComparingLong(o -> o.pending() ? o.initSeq() : o.proceedSeq()));
    List<String> out = new ArrayList<>();
    for (OperationInstance o : kept) {
      out.add(label(o, counts.get(o.op()) > 1));
    }
    return out;
  }

  /** {@code op}, {@code op #2}, {@code op (queued)}, {@code op (not finished)}. */
  public static String label(OperationInstance o, boolean withIndex) {
    String s = o.label(withIndex);
    if (o.pending()) {
      return s + " (queued)";
    }
    if (!o.ended()) {
      return s + " (not finished)";
    }
    return s;
  }

  /** Whether {@code op} occurs more than once in {@code ops}. */
  public static boolean repeated(List<OperationInstance> ops, String op) {
    int n = 0;
    for (OperationInstance o : ops) {
      if (o.op().equals(op) && ++n > 1) {
        return true;
      }
    }
    return false;
  }
}
