package dev.racetrace.sample;

import dev.racetrace.sample.wire.RawRecord;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Last-writer-wins anti-entropy, run after the input log: every node's record for every key is
 * offered to every other node, which keeps whichever was written later. Convergence is
 * guaranteed; correctness is not: LWW cannot know which value is right, so a stale value that
 * happens to be the later write becomes everyone's value.
 */
public final class Reconciler {
  /**
   * What one anti-entropy pass did.
   *
   * @param offered records offered to peers
   * @param replaced records a peer's copy replaced
   */
  public record Result(int offered, int replaced) {}

  private Reconciler() {}

  /**
   * Runs one pass.
   *
   * @param clients node id &rarr; client
   * @param keys the keys to reconcile
   * @param state node id &rarr; key &rarr; record before the pass
   */
  public static Result run(Map<String, NodeClient> clients, List<String> keys,
      Map<String, Map<String, RawRecord>> state) throws IOException, InterruptedException {
    int offered = 0;
    int replaced = 0;
    for (String key : keys) {
      for (String source : clients.keySet()) {
        RawRecord r = state.getOrDefault(source, Map.of()).get(key);
        if (r == null || !r.present()) {
          continue;
        }
        for (Map.Entry<String, NodeClient> target : clients.entrySet()) {
          if (target.getKey().equals(source)) {
            continue;
          }
          offered++;
          if (target.getValue().merge(r.heldBy(target.getKey()))) {
            replaced++;
          }
        }
      }
    }
    return new Result(offered, replaced);
  }
}
