package dev.racetrace.analyzer.report;

import dev.racetrace.analyzer.timeline.OperationInstance;
import dev.racetrace.schema.OrderingRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Aligns two nodes' operations on one key by logical phase (operation and occurrence), not by
 * wall clock: {@code load-metadata #1} on the broken node beside {@code load-metadata #1} on the
 * healthy one. Phases go occurrence by occurrence, and within one in the rules' order, then the
 * healthy node's order, then the other's.
 */
public final class Phases {
  private Phases() {}

  /**
   * One phase: the same operation occurrence on both nodes.
   *
   * @param op the operation
   * @param index its occurrence on the key (1-based)
   * @param repeated whether the op occurs more than once (show the index)
   * @param left the instance on the first node, or null
   * @param right the instance on the second node, or null
   */
  public record Phase(String op, int index, boolean repeated, OperationInstance left,
      OperationInstance right) {

    /** {@code derive} or {@code derive #2}. */
    public String label() {
      return repeated ? op + " #" + index : op;
    }
  }

  /** Aligns {@code left} and {@code right} (either may be empty). */
  public static List<Phase> align(List<OperationInstance> left, List<OperationInstance> right,
      List<OrderingRule> rules) {
    Set<String> opOrder = new LinkedHashSet<>();
    for (OrderingRule r : rules) {
      opOrder.addAll(r.ops());
    }
    for (OperationInstance o : byProceed(right)) {
      opOrder.add(o.op());
    }
    for (OperationInstance o : byProceed(left)) {
      opOrder.add(o.op());
    }
    List<Phase> phases = new ArrayList<>();
    List<String> ops = new ArrayList<>(opOrder);
    for (String op : ops) {
      TreeSet<Integer> indexes = new TreeSet<>();
      for (OperationInstance o : left) {
        if (o.op().equals(op)) {
          indexes.add(o.index());
        }
      }
      for (OperationInstance o : right) {
        if (o.op().equals(op)) {
          indexes.add(o.index());
        }
      }
      boolean repeated = indexes.size() > 1 || (!indexes.isEmpty() && indexes.last() > 1);
      for (int i : indexes) {
        phases.add(new Phase(op, i, repeated, find(left, op, i), find(right, op, i)));
      }
    }
    // Occurrence first, then operation: cycle by cycle (load-metadata #2, derive #2, ...).
    phases.sort(Comparator.comparingInt(Phase::index)
        .thenComparingInt(p -> ops.indexOf(p.op())));
    return phases;
  }

  private static List<OperationInstance> byProceed(List<OperationInstance> ops) {
    List<OperationInstance> sorted = new ArrayList<>(ops);
    sorted.sort(Comparator.comparing(OperationInstance::pending)
        .thenComparingLong(o -> o.pending() ? o.initSeq() : o.proceedSeq()));
    return sorted;
  }

  private static OperationInstance find(List<OperationInstance> ops, String op, int index) {
    for (OperationInstance o : ops) {
      if (o.op().equals(op) && o.index() == index) {
        return o;
      }
    }
    return null;
  }
}
