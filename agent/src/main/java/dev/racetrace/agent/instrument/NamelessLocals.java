package dev.racetrace.agent.instrument;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Tells, without ASM's source-value analysis, that no write of a local can give the local a name
 * ({@link ReceiverNamer}'s {@code storedFrom}: a field, an allocation, a collection's element), so
 * that which writes reach a load need not be found. The try-with-resources variables of a method,
 * one slot reused for each block and each assigned from a call such as a lock wrapper's
 * {@code lock()}, or for a catch variable, were most of what Jetty's start analysed.
 */
final class NamelessLocals {
  private final MethodNode method;
  private final LocalWrites writes;
  private Set<LabelNode> jumpTargets;

  NamelessLocals(MethodNode method, LocalWrites writes) {
    this.method = method;
    this.writes = writes;
  }

  /** Whether no write of local {@code var} stores what storedFrom names, told from the code before each. */
  boolean noWriteNames(int var) {
    for (AbstractInsnNode write : writes.all(var)) {
      if (write.getOpcode() != Opcodes.ASTORE) {
        continue; // storedFrom names nothing an int, a long or an iinc wrote
      }
      AbstractInsnNode stored = StraightLineSource.of(write, 0);
      while (stored != null && stored.getOpcode() == Opcodes.CHECKCAST) {
        stored = StraightLineSource.of(stored, 0);
      }
      if (stored == null ? !storesCaughtException(write) : mayName(stored)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether this store starts an exception handler that nothing else reaches (no jump to it, no
   * fall-through into it): it stores the caught exception, which the analysis gives no source, so
   * it names nothing. javac reuses a try block's slot for the catch variable of the next.
   */
  private boolean storesCaughtException(AbstractInsnNode store) {
    boolean handler = false;
    AbstractInsnNode p = store.getPrevious();
    for (; p != null && p.getOpcode() < 0; p = p.getPrevious()) {
      if (p instanceof LabelNode) {
        if (jumpTargets().contains(p)) {
          return false;
        }
        handler |= isHandler((LabelNode) p);
      }
    }
    return handler && p != null && !fallsThrough(p);
  }

  private boolean isHandler(LabelNode label) {
    for (TryCatchBlockNode block : method.tryCatchBlocks) {
      if (block.handler == label) {
        return true;
      }
    }
    return false;
  }

  private static boolean fallsThrough(AbstractInsnNode insn) {
    int op = insn.getOpcode();
    return op != Opcodes.GOTO && op != Opcodes.ATHROW && op != Opcodes.TABLESWITCH && op != Opcodes.LOOKUPSWITCH
        && (op < Opcodes.IRETURN || op > Opcodes.RETURN);
  }

  /** The labels a jump or a switch of the method goes to, found once. */
  private Set<LabelNode> jumpTargets() {
    if (jumpTargets == null) {
      jumpTargets = new HashSet<>();
      for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
        if (insn instanceof JumpInsnNode) {
          jumpTargets.add(((JumpInsnNode) insn).label);
        } else if (insn instanceof TableSwitchInsnNode) {
          jumpTargets.add(((TableSwitchInsnNode) insn).dflt);
          jumpTargets.addAll(((TableSwitchInsnNode) insn).labels);
        } else if (insn instanceof LookupSwitchInsnNode) {
          jumpTargets.add(((LookupSwitchInsnNode) insn).dflt);
          jumpTargets.addAll(((LookupSwitchInsnNode) insn).labels);
        }
      }
    }
    return jumpTargets;
  }

  /** Whether storedFrom may name a value this instruction pushed (a dup may copy a new object). */
  private static boolean mayName(AbstractInsnNode source) {
    switch (source.getOpcode()) {
      case Opcodes.GETFIELD:
      case Opcodes.GETSTATIC:
      case Opcodes.NEW:
      case Opcodes.DUP:
        return true;
      case Opcodes.INVOKEVIRTUAL:
      case Opcodes.INVOKEINTERFACE:
      case Opcodes.INVOKESPECIAL:
        return ReceiverNamer.isElementGetter((MethodInsnNode) source); // what elementOf may name
      default:
        return false;
    }
  }
}
