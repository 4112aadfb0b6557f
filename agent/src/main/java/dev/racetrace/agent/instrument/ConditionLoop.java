package dev.racetrace.agent.instrument;

import dev.racetrace.core.site.CallSites;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * A method that awaits a {@code Condition} or waits on a monitor: the lock (or monitor) holds it
 * ends are the wait loop's predicate checks (the guarded state is read under the lock after the
 * last wake-up, or at once when no wait was needed). Its {@code unlock()} calls, or for a monitor
 * its {@code monitorexit}s (the returns of a {@code synchronized} method), get hooks that record
 * that check, so the operation proceeds where it decided under the lock, not at an earlier
 * unrelated read.
 */
final class ConditionLoop {
  static final String HOOK_DESCRIPTOR = "(Ljava/util/concurrent/locks/Lock;II)V";
  static final String MONITOR_HOOK_DESCRIPTOR = "(Ljava/lang/Object;I)V";
  private static final String CONDITION = "java/util/concurrent/locks/Condition";
  private static final String LOCK = "java/util/concurrent/locks/Lock";

  private final boolean awaits;
  private final boolean timed;
  private final String conditionName;
  private final boolean waits;
  private final boolean monitorTimed;
  private final String monitorName;

  private ConditionLoop(boolean awaits, boolean timed, String conditionName, boolean waits,
      boolean monitorTimed, String monitorName) {
    this.awaits = awaits;
    this.timed = timed;
    this.conditionName = conditionName;
    this.waits = waits;
    this.monitorTimed = monitorTimed;
    this.monitorName = monitorName;
  }

  /**
   * @param calls the method's matched calls
   * @param specs what each matched
   * @param sites their registered sites, in the same order
   * @return the loop, or null when the method neither awaits a Condition nor waits on a monitor
   */
  static ConditionLoop of(List<MethodInsnNode> calls, List<HookSpec> specs, List<Integer> sites) {
    boolean awaits = false;
    boolean timed = false;
    String name = null;
    boolean waits = false;
    boolean monitorTimed = false;
    String monitor = null;
    for (int i = 0; i < specs.size(); i++) {
      HookSpec s = specs.get(i);
      if (s.family.equals(HookTable.OBJECT) && s.name.equals("wait")) {
        waits = true;
        // wait(millis) gives up at its timeout, except the literal wait(0), which waits forever
        monitorTimed |= s.argumentCount == 2
            || (s.argumentCount == 1 && !isLiteralZero(calls.get(i).getPrevious()));
        if (monitor == null) {
          monitor = CallSites.get(sites.get(i)).receiverName();
        }
        continue;
      }
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
    return awaits || waits ? new ConditionLoop(awaits, timed, name, waits, monitorTimed, monitor) : null;
  }

  private static boolean isLiteralZero(AbstractInsnNode insn) {
    return insn != null && insn.getOpcode() == Opcodes.LCONST_0;
  }

  /** Whether this call is an {@code unlock()} that ends a predicate check. */
  boolean endsCheck(HookSpec spec) {
    return awaits && spec.family.equals(LOCK) && spec.name.equals("unlock");
  }

  /** The condition waited on (field or local), or null when unknown. */
  String conditionName() {
    return conditionName;
  }

  /** {@code unlockAfterTimedWait} or {@code unlockAfterWait} in LockHooks. */
  String hookName() {
    return timed ? "unlockAfterTimedWait" : "unlockAfterWait";
  }

  /** Whether the method waits on a monitor: its monitor exits end predicate checks. */
  boolean waitsOnMonitor() {
    return waits;
  }

  /** The monitor waited on (field, local or {@code Owner} for {@code this}), or null when unknown. */
  String monitorName() {
    return monitorName;
  }

  /** {@code monitorTimedCheck} or {@code monitorCheck} in LockHooks. */
  String monitorHookName() {
    return monitorTimed ? "monitorTimedCheck" : "monitorCheck";
  }

  /**
   * Pushes the monitor a {@code monitorexit} or a synchronized method's return is about to
   * release: the exit's own operand, {@code this}, or the class of a static method.
   */
  static AbstractInsnNode monitorOnStack(ClassNode cls, MethodNode m, AbstractInsnNode exit) {
    if (exit.getOpcode() == Opcodes.MONITOREXIT) {
      return new InsnNode(Opcodes.DUP);
    }
    if ((m.access & Opcodes.ACC_STATIC) != 0) {
      // a class constant needs class files of Java 5 or later; older ones name no identity
      return (cls.version & 0xFFFF) >= Opcodes.V1_5 ? new LdcInsnNode(Type.getObjectType(cls.name))
          : new InsnNode(Opcodes.ACONST_NULL);
    }
    return new VarInsnNode(Opcodes.ALOAD, 0);
  }

  /** Whether {@code insn} returns from the method (any return opcode). */
  static boolean isReturn(AbstractInsnNode insn) {
    int op = insn.getOpcode();
    return op >= Opcodes.IRETURN && op <= Opcodes.RETURN;
  }
}
