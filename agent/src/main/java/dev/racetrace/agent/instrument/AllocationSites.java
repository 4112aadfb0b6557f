package dev.racetrace.agent.instrument;

import dev.racetrace.agent.config.RecordFamily;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Where a guard or queue of an enabled class is made: the construction is followed by a call that
 * remembers the new object with its site, so that later events name it by the field it is stored
 * to or by where it was made ({@code GuardHooks.allocated}).
 */
final class AllocationSites {
  private static final String ALLOCATED_HOOK = "(Ljava/lang/Object;I)V";

  private final Set<RecordFamily> recorded;

  /** @param recorded the families of racetrace.record: only their types are remembered */
  AllocationSites(Set<RecordFamily> recorded) {
    this.recorded = recorded;
  }

  /**
   * Guard and queue types whose construction in an enabled class is remembered with its site
   * (exact JDK types: a subclass is named as before), by the racetrace.record family that uses them.
   */
  private static final Map<String, RecordFamily> ALLOCATED = Map.ofEntries(
      Map.entry("java/util/concurrent/CountDownLatch", RecordFamily.LATCHES),
      Map.entry("java/util/concurrent/CyclicBarrier", RecordFamily.LATCHES),
      Map.entry("java/util/concurrent/Phaser", RecordFamily.LATCHES),
      Map.entry("java/util/concurrent/Semaphore", RecordFamily.SEMAPHORES),
      Map.entry("java/util/concurrent/locks/ReentrantLock", RecordFamily.LOCKS),
      Map.entry("java/util/concurrent/locks/ReentrantReadWriteLock", RecordFamily.LOCKS),
      Map.entry("java/util/concurrent/ArrayBlockingQueue", RecordFamily.QUEUES),
      Map.entry("java/util/concurrent/LinkedBlockingQueue", RecordFamily.QUEUES),
      Map.entry("java/util/concurrent/LinkedBlockingDeque", RecordFamily.QUEUES),
      Map.entry("java/util/concurrent/PriorityBlockingQueue", RecordFamily.QUEUES),
      Map.entry("java/util/concurrent/DelayQueue", RecordFamily.QUEUES),
      Map.entry("java/util/concurrent/SynchronousQueue", RecordFamily.QUEUES),
      Map.entry("java/util/concurrent/LinkedTransferQueue", RecordFamily.QUEUES),
      Map.entry("java/util/concurrent/ConcurrentLinkedQueue", RecordFamily.QUEUES),
      Map.entry("java/util/concurrent/ConcurrentLinkedDeque", RecordFamily.QUEUES));

  private static final String CONDITION_TYPE = "java/util/concurrent/locks/Condition";

  /**
   * The type of the object this instruction leaves on top of the stack when it is a guard or
   * queue just made: the {@code <init>} of {@code new T(...)} (javac's {@code new; dup; <init>}, not
   * a super or this call), or a {@code newCondition()} call; else null.
   */
  String typeMadeBy(ReceiverNamer namer, AbstractInsnNode insn) {
    if (!(insn instanceof MethodInsnNode)) {
      return null;
    }
    MethodInsnNode call = (MethodInsnNode) insn;
    if (call.getOpcode() == Opcodes.INVOKESPECIAL && call.name.equals("<init>")) {
      RecordFamily family = ALLOCATED.get(call.owner);
      return family != null && recorded.contains(family) && namer.initializesNew(call) ? call.owner : null;
    }
    if (call.getOpcode() != Opcodes.INVOKESTATIC && call.name.equals("newCondition")
        && call.desc.equals("()L" + CONDITION_TYPE + ";") && recorded.contains(RecordFamily.CONDITIONS)) {
      return CONDITION_TYPE;
    }
    return null;
  }

  /**
   * The field the new object is stored to at once ({@code Owner.field}, as every read of that field
   * is named), else its allocation site ({@code CountDownLatch@Owner.method:line}, as a local
   * assigned from it is named).
   */
  static String nameOf(ClassNode cls, MethodNode m, AbstractInsnNode made, String type,
      int line) {
    AbstractInsnNode next = made.getNext();
    while (next != null && next.getOpcode() < 0) {
      next = next.getNext(); // labels, line numbers, frames
    }
    if (next != null && (next.getOpcode() == Opcodes.PUTFIELD || next.getOpcode() == Opcodes.PUTSTATIC)) {
      FieldInsnNode f = (FieldInsnNode) next;
      return ReceiverNamer.simpleName(f.owner) + "." + f.name;
    }
    return ReceiverNamer.simpleName(type) + "@" + ReceiverNamer.simpleName(cls.name) + "."
        + ReceiverNamer.sourceMethodName(m.name) + ":" + line;
  }

  /** After {@code made} (the new object on top of the stack): remember it with its site. */
  static void remember(InsnList instructions, AbstractInsnNode made, int site) {
    InsnList remember = new InsnList();
    remember.add(new InsnNode(Opcodes.DUP));
    remember.add(new LdcInsnNode(site));
    remember.add(new MethodInsnNode(Opcodes.INVOKESTATIC, CallSiteRewriter.GUARD_HOOKS, "allocated",
        ALLOCATED_HOOK, false));
    instructions.insert(made, remember);
  }
}
