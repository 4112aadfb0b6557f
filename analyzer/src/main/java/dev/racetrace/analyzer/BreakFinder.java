package dev.racetrace.analyzer;

import dev.racetrace.analyzer.input.SpanRecord;
import dev.racetrace.analyzer.rules.GuardClassifier;
import dev.racetrace.analyzer.rules.HealthyOrderChecker;
import dev.racetrace.analyzer.rules.OrderBreak;
import dev.racetrace.analyzer.rules.OrderGuarantee;
import dev.racetrace.analyzer.rules.RuleChecker;
import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.OperationInstance;
import dev.racetrace.schema.OrderingRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Step 4: the first ordering break per node and key. Rules are checked on every node and key;
 * the healthy node's order is checked where step 1 found an odd node for the key (and at a focus
 * chosen with {@code --node} and {@code --key}). Of the two, the lower seq is the first break.
 */
final class BreakFinder {
  /** Most operations an expected or observed order lists (those around the break). */
  private static final int ORDER_LIMIT = 12;

  private final Map<String, NodeTimeline> timelines;
  private final List<OrderingRule> rules;
  private final Map<String, KeyDivergence> divergence = new HashMap<>();
  private final Map<String, Map<String, OrderBreak>> ruleBreaks = new HashMap<>();

  BreakFinder(Map<String, NodeTimeline> timelines, List<OrderingRule> rules,
      List<KeyDivergence> divergence) {
    this.timelines = timelines;
    this.rules = rules;
    for (KeyDivergence d : divergence) {
      this.divergence.put(d.key(), d);
    }
    RuleChecker checker = new RuleChecker(rules);
    if (!rules.isEmpty()) {
      for (NodeTimeline t : timelines.values()) {
        Map<String, OrderBreak> byKey = new HashMap<>();
        for (String key : t.keys()) {
          OrderBreak b = checker.firstBreak(t, key);
          if (b != null) {
            byKey.put(key, b);
          }
        }
        ruleBreaks.put(t.node(), byKey);
      }
    }
  }

  /**
   * All first breaks, by node then seq.
   *
   * @param nodeFilter report only this node, or null
   * @param forcedNode with {@code forcedKey}: also compare this node and key with a healthy node
   * @param forcedKey see {@code forcedNode}
   */
  List<BreakFinding> find(String nodeFilter, String forcedNode, String forcedKey) {
    Map<String, Map<String, OrderBreak>> first = new HashMap<>();
    for (Map.Entry<String, Map<String, OrderBreak>> e : ruleBreaks.entrySet()) {
      first.put(e.getKey(), new HashMap<>(e.getValue()));
    }
    Set<List<String>> suspects = new LinkedHashSet<>();
    for (KeyDivergence d : divergence.values()) {
      if (d.oddNode() != null) {
        suspects.add(List.of(d.oddNode(), d.key()));
      }
    }
    if (forcedNode != null && forcedKey != null) {
      suspects.add(List.of(forcedNode, forcedKey));
    }
    for (List<String> s : suspects) {
      String node = s.get(0);
      String key = s.get(1);
      NodeTimeline suspect = timelines.get(node);
      String healthy = healthyNodeFor(node, key);
      if (suspect == null || healthy == null) {
        continue;
      }
      OrderBreak b = HealthyOrderChecker.firstBreak(suspect, timelines.get(healthy), key);
      if (b != null) {
        first.computeIfAbsent(node, n -> new HashMap<>()).merge(key, b,
            (old, neu) -> neu.seq() < old.seq() ? neu : old);
      }
    }
    List<BreakFinding> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, OrderBreak>> e : first.entrySet()) {
      if (nodeFilter != null && !nodeFilter.equals(e.getKey())) {
        continue;
      }
      for (OrderBreak b : e.getValue().values()) {
        out.add(assemble(b));
      }
    }
    out.sort(Comparator.comparing(BreakFinding::node).thenComparingLong(BreakFinding::seq)
        .thenComparing(BreakFinding::key));
    return out;
  }

  /**
   * The node to compare {@code node} with on {@code key}: another node with operations on the
   * key, preferring one holding the majority value and without a rule break there; by name.
   */
  String healthyNodeFor(String node, String key) {
    KeyDivergence d = divergence.get(key);
    String majority = d == null ? null : d.majorityValue();
    String fallback = null;
    String noBreak = null;
    for (NodeTimeline t : timelines.values()) {
      String n = t.node();
      if (n.equals(node) || t.operations(key).isEmpty()) {
        continue;
      }
      boolean broken = ruleBreaks.getOrDefault(n, Map.of()).containsKey(key);
      boolean majorityValue = d == null || (Objects.equals(d.values().get(n), majority)
          && !n.equals(d.oddNode()));
      if (!broken && majorityValue) {
        return n;
      }
      if (!broken && noBreak == null) {
        noBreak = n;
      }
      if (fallback == null) {
        fallback = n;
      }
    }
    return noBreak != null ? noBreak : fallback;
  }

  private BreakFinding assemble(OrderBreak b) {
    NodeTimeline broken = timelines.get(b.node());
    String healthyNode = healthyNodeFor(b.node(), b.key());
    NodeTimeline healthy = healthyNode == null ? null : timelines.get(healthyNode);
    Set<String> only = b.rule() == null ? null : new HashSet<>(b.rule().ops());
    List<OperationInstance> ops = new ArrayList<>();
    for (OperationInstance o : broken.operations(b.key())) {
      if (only == null || only.contains(o.op())) {
        ops.add(o);
      }
    }
    List<OperationInstance> around = Excerpt.around(ops, b, ORDER_LIMIT);
    List<String> expected = b.rule() != null ? b.rule().ops()
        : OrderLabels.of(Excerpt.counterparts(around, healthy.operations(b.key()), ORDER_LIMIT),
            null);
    List<String> observed = OrderLabels.of(around, null);
    OperationInstance early = b.early();
    OperationInstance late = b.late();
    OperationInstance healthyEarly = null;
    OperationInstance healthyLate = null;
    OrderGuarantee guarantee = null;
    if (healthy != null) {
      List<OperationInstance> hops = healthy.operations(b.key());
      healthyEarly = counterpart(hops, early.op(), early.index());
      healthyLate = late != null ? counterpart(hops, late.op(), late.index())
          : latestEndedBefore(hops, b.lateOp(), healthyEarly);
      if (healthyEarly != null && healthyLate != null) {
        guarantee = OrderGuarantee.check(healthy, healthyLate, healthyEarly);
      }
    }
    long gap = SpanRecord.NONE;
    boolean stillPending = false;
    if (late != null) {
      if (late.ended()) {
        gap = late.endNanos() - early.proceedNanos();
      } else {
        stillPending = true;
        gap = broken.lastSeenNanos() - early.proceedNanos();
      }
    }
    return new BreakFinding(b, healthyNode, expected, observed, GuardClassifier.classify(early),
        healthyEarly, healthyLate, guarantee, gap, stillPending);
  }

  /** The instance of {@code op} with occurrence {@code index}, else the first one that ran. */
  private static OperationInstance counterpart(List<OperationInstance> ops, String op, int index) {
    OperationInstance firstRun = null;
    for (OperationInstance o : ops) {
      if (o.op().equals(op)) {
        if (o.index() == index) {
          return o;
        }
        if (firstRun == null && !o.pending()) {
          firstRun = o;
        }
      }
    }
    return firstRun;
  }

  private static OperationInstance latestEndedBefore(List<OperationInstance> ops, String op,
      OperationInstance before) {
    OperationInstance best = null;
    for (OperationInstance o : ops) {
      if (o.op().equals(op) && o.ended()
          && (before == null || before.pending() || o.endSeq() < before.proceedSeq())) {
        best = best == null || o.endSeq() > best.endSeq() ? o : best;
      }
    }
    return best;
  }
}
