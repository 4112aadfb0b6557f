package dev.racetrace.agent.export.rules;

import dev.racetrace.agent.export.assemble.RaceSpan;
import dev.racetrace.agent.export.assemble.Work;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One operation on one key, as the online rule checker ({@link RuleChecker}) sees it: when it was
 * initiated, its open work, where it proceeded and ended, the guards it opened and waited on, and
 * its work spans held until it is checked. Exporter thread only.
 */
public final class RuleInstance {
  final String key;
  final String op;
  final long id;
  /** Seq of the enqueue or submit that initiated it, or of its start when none was seen. */
  long initSeq;
  int openWorks;
  int pendingContinuations;
  long endSeq;
  long lastStartSeq;
  long lastGuardSeq;
  Work proceedWork;
  final List<String> guards = new ArrayList<>(2);
  /** Guard objects this operation signalled (countDown, release, signal, unlock), with the seq. */
  final Map<Integer, Long> signalled = new HashMap<>(2);
  /** Guard objects this operation waited on successfully, with the seq the wait returned. */
  final Map<Integer, Long> awaited = new HashMap<>(2);
  final List<RaceSpan> held = new ArrayList<>(2);
  final Map<Work, Integer> heldIndex = new HashMap<>();
  long dueNanos = -1;
  boolean checked;

  RuleInstance(String key, String op, long id) {
    this.key = key;
    this.op = op;
    this.id = id;
    this.initSeq = id;
  }

  boolean complete() {
    return openWorks == 0 && pendingContinuations == 0;
  }

  long proceedSeq() {
    return lastGuardSeq > 0 ? lastGuardSeq : lastStartSeq;
  }

  /** Whether this operation opened a guard that {@code b} then waited on successfully. */
  boolean signalledBefore(RuleInstance b) {
    for (Map.Entry<Integer, Long> w : b.awaited.entrySet()) {
      Long signal = signalled.get(w.getKey());
      if (signal != null && signal < w.getValue()) {
        return true;
      }
    }
    return false;
  }
}
