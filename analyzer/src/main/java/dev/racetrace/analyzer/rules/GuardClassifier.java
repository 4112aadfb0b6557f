package dev.racetrace.analyzer.rules;

import dev.racetrace.analyzer.input.SpanRecord;
import dev.racetrace.analyzer.timeline.OperationInstance;
import java.util.List;

/**
 * Names the guard that let an operation through. Of all the guards it passed, the most telling
 * one decides: a timed wait that expired, then a readiness flag that read true, then a startup
 * latch that was already open (or a latch count read as 0), then any other guard; none at all is
 * {@link GuardKind#NO_GUARD}. A {@code Thread.sleep} is never the guard: it waits for nothing.
 */
public final class GuardClassifier {
  private GuardClassifier() {}

  /** The guard {@code op} passed before it proceeded. */
  public static GuardFinding classify(OperationInstance op) {
    List<SpanRecord> guards = op.guards();
    SpanRecord timed = null;
    SpanRecord flag = null;
    SpanRecord latch = null;
    SpanRecord other = null;
    for (SpanRecord g : guards) {
      if (op.proceedSpan() != null && g.seq() > op.proceedSeq()) {
        continue;
      }
      String event = g.event() == null ? "" : g.event();
      if (isSleep(g)) {
        // A sleep waits for nothing: it only shifts timing, it never let anything through.
        continue;
      }
      if (g.timedOut()) {
        // the expired wait itself beats the check that ended its loop (it has the wait's site)
        if (timed == null || !"condition.check".equals(event)) {
          timed = g;
        }
      } else if (event.equals("flag.read") && "true".equalsIgnoreCase(g.valueSeen())) {
        flag = g;
      } else if ((event.equals("latch.await") && g.trivial())
          || (event.equals("latch.get_count") && "0".equals(g.valueSeen()))) {
        latch = g;
      } else if (!event.equals("lock.acquire")) {
        other = g;
      }
    }
    GuardKind kind;
    SpanRecord decisive;
    if (timed != null) {
      kind = GuardKind.TIMED_WAIT_EXPIRED;
      decisive = timed;
    } else if (flag != null) {
      kind = GuardKind.READINESS_FLAG;
      decisive = flag;
    } else if (latch != null) {
      kind = GuardKind.STARTUP_LATCH_TRIVIAL;
      decisive = latch;
    } else if (other != null) {
      kind = GuardKind.OTHER;
      decisive = other;
    } else {
      kind = GuardKind.NO_GUARD;
      decisive = null;
    }
    return new GuardFinding(kind, decisive, guards, op.stateAtProceed());
  }

  /** {@code Thread.sleep} (event {@code thread.sleep}): a timed wait on nothing. */
  static boolean isSleep(SpanRecord g) {
    return "thread.sleep".equals(g.event());
  }
}
