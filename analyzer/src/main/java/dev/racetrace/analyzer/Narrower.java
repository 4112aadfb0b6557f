package dev.racetrace.analyzer;

import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.OperationInstance;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Step 2: picks one node and one key. {@code --node}/{@code --key} win. Otherwise the node that
 * is odd for the most keys (then the node with the most breaks), and on it the key whose first
 * break has the lowest seq (then the first odd key by name).
 */
final class Narrower {
  private Narrower() {}

  static Focus narrow(List<KeyDivergence> divergence, List<BreakFinding> breaks,
      Map<String, NodeTimeline> timelines, BreakFinder finder, String nodeOpt, String keyOpt) {
    Map<String, Integer> oddCount = new TreeMap<>();
    for (KeyDivergence d : divergence) {
      if (d.oddNode() != null) {
        oddCount.merge(d.oddNode(), 1, Integer::sum);
      }
    }
    Map<String, Integer> breakCount = new TreeMap<>();
    for (BreakFinding b : breaks) {
      breakCount.merge(b.node(), 1, Integer::sum);
    }
    String node = nodeOpt;
    String key = keyOpt;
    String why;
    if (node != null && key != null) {
      why = "chosen with --node and --key";
    } else if (node != null) {
      key = keyOn(node, divergence, breaks);
      why = "node chosen with --node";
    } else if (key != null) {
      node = nodeFor(key, divergence, breaks);
      why = "key chosen with --key";
    } else {
      node = mostOf(oddCount);
      if (node != null) {
        int n = oddCount.get(node);
        why = "the odd node for " + n + (n == 1 ? " key" : " keys");
      } else {
        node = mostOf(breakCount);
        why = node == null ? null : "the node with ordering breaks; no value differs";
      }
      key = node == null ? null : keyOn(node, divergence, breaks);
    }
    if (node == null || key == null) {
      return null;
    }
    String healthy = finder.healthyNodeFor(node, key);
    long from = Long.MIN_VALUE;
    long to = Long.MIN_VALUE;
    NodeTimeline t = timelines.get(node);
    if (t != null) {
      for (OperationInstance o : t.operations(key)) {
        from = from == Long.MIN_VALUE ? o.initNanos() : Math.min(from, o.initNanos());
        to = Math.max(to, o.endNanos());
      }
    }
    return new Focus(node, key, healthy, from, to, why);
  }

  private static String mostOf(Map<String, Integer> counts) {
    String best = null;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (best == null || e.getValue() > counts.get(best)) {
        best = e.getKey();
      }
    }
    return best;
  }

  private static String keyOn(String node, List<KeyDivergence> divergence,
      List<BreakFinding> breaks) {
    BreakFinding earliest = null;
    for (BreakFinding b : breaks) {
      if (b.node().equals(node) && oddFor(node, b.key(), divergence)
          && (earliest == null || b.seq() < earliest.seq())) {
        earliest = b;
      }
    }
    if (earliest != null) {
      return earliest.key();
    }
    for (KeyDivergence d : divergence) {
      if (node.equals(d.oddNode())) {
        return d.key();
      }
    }
    for (BreakFinding b : breaks) {
      if (b.node().equals(node) && (earliest == null || b.seq() < earliest.seq())) {
        earliest = b;
      }
    }
    return earliest == null ? null : earliest.key();
  }

  private static boolean oddFor(String node, String key, List<KeyDivergence> divergence) {
    for (KeyDivergence d : divergence) {
      if (d.key().equals(key)) {
        return node.equals(d.oddNode());
      }
    }
    return false;
  }

  private static String nodeFor(String key, List<KeyDivergence> divergence,
      List<BreakFinding> breaks) {
    for (KeyDivergence d : divergence) {
      if (d.key().equals(key) && d.oddNode() != null) {
        return d.oddNode();
      }
    }
    for (BreakFinding b : breaks) {
      if (b.key().equals(key)) {
        return b.node();
      }
    }
    return null;
  }
}
