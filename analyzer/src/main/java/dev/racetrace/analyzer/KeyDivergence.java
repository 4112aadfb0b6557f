package dev.racetrace.analyzer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One key's values across nodes and the verdict.
 *
 * @param key the key
 * @param values value per node, in node order; null where the node has none
 * @param versions version per node where the raw state has one
 * @param verdict the verdict
 * @param oddNode the node that differs (or lacks the key), when there is exactly one
 */
public record KeyDivergence(String key, Map<String, String> values, Map<String, Long> versions,
    Verdict verdict, String oddNode) {

  /**
   * Decides the verdict from {@code values} (null = missing):
   *
   * <ul>
   *   <li>all present and equal: {@link Verdict#AGREE};
   *   <li>some missing: {@link Verdict#MISSING}, the odd node being the one missing when the
   *       rest agree; if the present values disagree, the verdict of those instead;
   *   <li>one node's value is unique while all others (at least two) share one value:
   *       {@link Verdict#ONE_DIFFERS};
   *   <li>otherwise {@link Verdict#ALL_DIFFER}.
   * </ul>
   */
  public static KeyDivergence of(String key, Map<String, String> values,
      Map<String, Long> versions) {
    List<String> missing = new ArrayList<>();
    Map<String, List<String>> nodesByValue = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getValue() == null) {
        missing.add(e.getKey());
      } else {
        nodesByValue.computeIfAbsent(e.getValue(), v -> new ArrayList<>()).add(e.getKey());
      }
    }
    Verdict verdict;
    String odd = null;
    if (nodesByValue.size() <= 1) {
      if (missing.isEmpty()) {
        verdict = Verdict.AGREE;
      } else {
        verdict = Verdict.MISSING;
        odd = missing.size() == 1 && !nodesByValue.isEmpty() ? missing.get(0) : null;
      }
    } else {
      List<String> singles = new ArrayList<>();
      int largest = 0;
      for (List<String> nodes : nodesByValue.values()) {
        if (nodes.size() == 1) {
          singles.addAll(nodes);
        }
        largest = Math.max(largest, nodes.size());
      }
      if (nodesByValue.size() == 2 && singles.size() == 1 && largest >= 2) {
        verdict = Verdict.ONE_DIFFERS;
        odd = singles.get(0);
      } else {
        verdict = Verdict.ALL_DIFFER;
      }
    }
    return new KeyDivergence(key, Collections.unmodifiableMap(new LinkedHashMap<>(values)),
        Collections.unmodifiableMap(new HashMap<>(versions)), verdict, odd);
  }

  /** The value most nodes hold, or null. */
  public String majorityValue() {
    Map<String, Integer> counts = new HashMap<>();
    String best = null;
    int bestCount = 0;
    for (String v : values.values()) {
      if (v != null) {
        int c = counts.merge(v, 1, Integer::sum);
        if (c > bestCount) {
          best = v;
          bestCount = c;
        }
      }
    }
    return best;
  }
}
