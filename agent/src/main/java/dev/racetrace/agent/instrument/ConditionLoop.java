package dev.racetrace.agent.instrument;

import dev.racetrace.core.site.CallSites;
import java.util.List;

/**
 * A method that awaits a {@code Condition}: the lock holds it ends are the wait loop's predicate
 * checks (the guarded state is read under the lock after the last wake-up, or at once when no
 * wait was needed). Its {@code unlock()} calls are rewritten to hooks that record that check, so
 * the operation proceeds where it decided under the lock, not at an earlier unrelated read.
 */
final class ConditionLoop {
  static final String HOOK_DESCRIPTOR = "(Ljava/util/concurrent/locks/Lock;II)V";
  private static final String CONDITION = "java/util/concurrent/locks/Condition";
  private static final String LOCK = "java/util/concurrent/locks/Lock";

  private final boolean timed;
  private final String conditionName;

  private ConditionLoop(boolean timed, String conditionName) {
    this.timed = timed;
    this.conditionName = conditionName;
  }

  /**
   * @param specs the method's matched calls
   * @param sites their registered sites, in the same order
   * @return the loop, or null when the method awaits no Condition
   */
  static ConditionLoop of(List<HookSpec> specs, List<Integer> sites) {
    boolean awaits = false;
    boolean timed = false;
    String name = null;
    for (int i = 0; i < specs.size(); i++) {
      HookSpec s = specs.get(i);
      if (!s.family.equals(CONDITION) || !s.name.startsWith("await")) {
        continue;
      }
      awaits = true;
      // awaitNanos, await(long, TimeUnit) and awaitUntil(Date) give up at a deadline
      timed |= s.name.equals("awaitNanos") || s.name.equals("awaitUntil")
          || (s.name.equals("await") && s.argumentCount == 2);
      if (name == null) {
        name = CallSites.get(sites.get(i)).receiverName();
      }
    }
    return awaits ? new ConditionLoop(timed, name) : null;
  }

  /** Whether this call is an {@code unlock()} that ends a predicate check. */
  boolean endsCheck(HookSpec spec) {
    return spec.family.equals(LOCK) && spec.name.equals("unlock");
  }

  /** The condition waited on (field or local), or null when unknown. */
  String conditionName() {
    return conditionName;
  }

  /** {@code unlockAfterTimedWait} or {@code unlockAfterWait} in LockHooks. */
  String hookName() {
    return timed ? "unlockAfterTimedWait" : "unlockAfterWait";
  }
}
