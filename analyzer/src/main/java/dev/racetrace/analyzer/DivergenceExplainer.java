package dev.racetrace.analyzer;

import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.OperationInstance;
import dev.racetrace.schema.OrderingRule;
import dev.racetrace.schema.SchemaNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keys whose value differs on a node while no ordering break there explains it, and why: the
 * node is not in the spans (its id differs), its operations carry no key, an operation of the
 * rule was never seen (or seen only without a key), the late operation never ran, or every
 * recorded operation held the expected order. These turn a would-be "no break" into
 * {@link Outcome#DIVERGENCE_UNEXPLAINED}.
 */
final class DivergenceExplainer {
  private static final String KEYS_FIX = "give the operations a key: racetrace.keys=Class#member"
      + " for the queue element or task class; a lambda or method reference handed to an"
      + " executor carries a key only when it captures an object of such a class";

  private DivergenceExplainer() {}

  /**
   * @param source where the values come from: raw state counts every key that does not agree;
   *     values inferred from the spans only a key with one odd node (a key a node has not
   *     published yet, or whose operations interleave differently, is not a divergence of state)
   */
  static List<UnexplainedDivergence> find(List<KeyDivergence> divergence,
      DivergenceSource source, List<BreakFinding> breaks, Map<String, NodeTimeline> timelines,
      List<OrderingRule> rules, BreakFinder finder, String nodeFilter) {
    List<UnexplainedDivergence> out = new ArrayList<>();
    Set<String> seenOps = null;
    for (KeyDivergence d : divergence) {
      if (d.verdict() == Verdict.AGREE
          || (source != DivergenceSource.RAW_STATE && d.verdict() != Verdict.ONE_DIFFERS)) {
        continue;
      }
      List<String> suspects = suspects(d);
      if (nodeFilter != null) {
        if (!suspects.contains(nodeFilter)) {
          continue;
        }
        suspects = List.of(nodeFilter);
      }
      boolean explained = false;
      for (BreakFinding b : breaks) {
        explained |= b.key().equals(d.key())
            && (suspects.contains(b.node()) || d.oddNode() == null);
      }
      if (!explained) {
        seenOps = seenOps == null ? seenOps(timelines) : seenOps;
        out.add(explain(d.key(), suspects.get(0), timelines, rules, finder, seenOps));
      }
    }
    return out;
  }

  /** The odd node; else the nodes whose value is not the majority's; else all of them. */
  private static List<String> suspects(KeyDivergence d) {
    if (d.oddNode() != null) {
      return List.of(d.oddNode());
    }
    String majority = d.majorityValue();
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : d.values().entrySet()) {
      if (!Objects.equals(e.getValue(), majority)) {
        out.add(e.getKey());
      }
    }
    return out.isEmpty() ? new ArrayList<>(d.values().keySet()) : out;
  }

  static UnexplainedDivergence explain(String key, String node,
      Map<String, NodeTimeline> timelines, List<OrderingRule> rules, BreakFinder finder,
      Set<String> seenOps) {
    NodeTimeline t = timelines.get(node);
    if (t == null) {
      return new UnexplainedDivergence(key, node, "node-not-in-spans",
          "the raw state names " + node + ", but no spans carry service.instance.id=" + node
              + " (spans came from " + String.join(", ", timelines.keySet()) + ")",
          "give the node the same id in both: run it with OTEL_RESOURCE_ATTRIBUTES="
              + "service.instance.id=" + node + ", or write the span node ids into the raw state");
    }
    List<OperationInstance> ops = t.operations(key);
    if (ops.isEmpty()) {
      if (!t.keylessOps().isEmpty()) {
        return new UnexplainedDivergence(key, node, "ops-without-key",
            node + " recorded no operation on " + key + ", but "
                + count(t.keylessOps()) + " without a key (" + listOps(t.keylessOps()) + ")",
            KEYS_FIX);
      }
      return new UnexplainedDivergence(key, node, "no-operations",
          node + " recorded no operation on " + key,
          "check that racetrace.include names the packages (not classes) whose code works on "
              + key + ", and that racetrace.keys gives the key as the raw state spells it");
    }
    Set<String> seenHere = new LinkedHashSet<>();
    ops.forEach(o -> seenHere.add(o.op()));
    for (OrderingRule r : rules) {
      for (String op : r.ops()) {
        if (seenHere.contains(op)) {
          continue;
        }
        if (t.keylessOps().containsKey(op)) {
          return new UnexplainedDivergence(key, node, "op-without-key",
              "operation " + op + " was seen on " + node + " only without a key ("
                  + t.keylessOps().get(op) + " times), so it is not on " + key + "'s timeline",
              KEYS_FIX);
        }
        if (!seenOps.contains(op)) {
          String neverSeen = "operation " + op + " of rule \"" + r.chain() + "\" was never seen"
              + " (race.op) on any node";
          String fix = "name its element or task class in racetrace.ops (" + op + "), or spell"
              + " the rule with the op names the spans carry, and check that its package is in"
              + " racetrace.include";
          String unnamed = unnamedWork(t);
          if (unnamed != null) {
            // Likely the op ran, as a lambda that captured none of the named objects.
            return new UnexplainedDivergence(key, node, "op-never-seen",
                neverSeen + "; " + node + " ran work with neither op nor key (" + unnamed + ")",
                "if that work is " + op + ": a lambda or method reference handed to an executor"
                    + " takes the op and key only of an object it captures whose class is named"
                    + " in racetrace.ops and racetrace.keys; capture that object itself (not"
                    + " its fields), or submit a named task class. Otherwise " + fix);
          }
          return new UnexplainedDivergence(key, node, "op-never-seen", neverSeen, fix);
        }
        return new UnexplainedDivergence(key, node, "late-op-missing",
            "operation " + op + " never appeared on " + key + " on " + node
                + " (seen elsewhere): it may not have run before the trace ended",
            "record until the operation has run (or check race.dropped_events), then analyse"
                + " again");
      }
    }
    if (rules.isEmpty() && finder.healthyNodeFor(node, key) == null) {
      return new UnexplainedDivergence(key, node, "no-rule",
          "no rule given and no other node has operations on " + key + " to compare with",
          "give the expected order: --rule \"A < B < C per key\"");
    }
    return new UnexplainedDivergence(key, node, "order-held",
        "every recorded operation on " + key + " on " + node + " held the expected order",
        "the value changed through something not recorded: code outside racetrace.include, a"
            + " write not made through an instrumented queue or executor, or a guard not"
            + " declared; widen racetrace.include or mark the write with RaceTrace.mark");
  }

  /**
   * Work (a task run or a dequeued element) recorded with neither op nor key: its instances are
   * named after the span ({@code Node.workers run}). E.g. {@code Node.workers run x3}, or null.
   */
  private static String unnamedWork(NodeTimeline t) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Integer> e : t.keylessOps().entrySet()) {
      String name = e.getKey();
      if (name.endsWith(SchemaNames.RUN_SUFFIX) || name.endsWith(SchemaNames.PROCESS_SUFFIX)) {
        sb.append(sb.length() == 0 ? "" : ", ").append(name).append(" x").append(e.getValue());
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  /** Every op recorded on any node, with or without a key. */
  static Set<String> seenOps(Map<String, NodeTimeline> timelines) {
    Set<String> ops = new java.util.HashSet<>();
    for (NodeTimeline t : timelines.values()) {
      ops.addAll(t.keylessOps().keySet());
      for (String k : t.keys()) {
        for (OperationInstance o : t.operations(k)) {
          ops.add(o.op());
        }
      }
    }
    return ops;
  }

  private static String count(Map<String, Integer> ops) {
    int n = 0;
    for (int c : ops.values()) {
      n += c;
    }
    return n + (n == 1 ? " operation" : " operations");
  }

  /** {@code derive x3, publish x3}, at most five ops. */
  static String listOps(Map<String, Integer> ops) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Integer> e : ops.entrySet()) {
      if (parts.size() == 5) {
        parts.add("...");
        break;
      }
      parts.add(e.getKey() + " x" + e.getValue());
    }
    return String.join(", ", parts);
  }
}
