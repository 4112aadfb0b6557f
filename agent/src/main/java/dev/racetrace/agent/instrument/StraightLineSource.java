package dev.racetrace.agent.instrument;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;

/**
 * Which instruction pushed a stack value, found by walking back over straight-line code: the
 * answer ASM's source-value analysis gives there, without analysing the whole method (the analysis
 * was a third of what instrumenting a class like Jetty's cost). The walk stops, answering null, at
 * a label (something may jump in between, so the value may have more than one source), a frame, or
 * any instruction whose stack effect it does not model (the wider dups, swap, jumps, ...); the caller
 * then asks the analysis. A {@code dup} is the source of both its copies, as in the analysis. Stack
 * entries are counted as the analysis counts them: a long is one entry.
 */
final class StraightLineSource {
  private StraightLineSource() {}

  /**
   * @param depth how many entries lie above the value on the stack just before {@code at}
   * @return the instruction that pushed it, or null when the walk cannot tell
   */
  static AbstractInsnNode of(AbstractInsnNode at, int depth) {
    int above = depth;
    for (AbstractInsnNode insn = at.getPrevious(); insn != null; insn = insn.getPrevious()) {
      if (insn.getOpcode() < 0) {
        if (insn instanceof LineNumberNode) {
          continue;
        }
        return null; // a label or a frame: another path may join here
      }
      if (insn.getOpcode() == Opcodes.DUP) {
        if (above <= 1) {
          return insn; // both copies name the dup as their source, as in the analysis
        }
        above--; // takes one entry, pushes two
        continue;
      }
      int pops = pops(insn);
      int pushes = pushes(insn);
      if (pops < 0 || pushes < 0) {
        return null;
      }
      if (pushes == 1) {
        if (above == 0) {
          return insn;
        }
        above--;
      }
      above += pops;
    }
    return null;
  }

  /** Entries the instruction takes off the stack, or -1 when not modelled. */
  private static int pops(AbstractInsnNode insn) {
    int op = insn.getOpcode();
    if (op <= Opcodes.ALOAD || op == Opcodes.GETSTATIC || op == Opcodes.NEW || op == Opcodes.IINC) {
      return 0; // constants, loads, and the others that take nothing
    }
    if (op >= Opcodes.IALOAD && op <= Opcodes.SALOAD) {
      return 2;
    }
    if ((op >= Opcodes.ISTORE && op <= Opcodes.ASTORE) || op == Opcodes.POP) {
      return 1;
    }
    if (op >= Opcodes.IASTORE && op <= Opcodes.SASTORE) {
      return 3;
    }
    if ((op >= Opcodes.IADD && op <= Opcodes.DREM) || (op >= Opcodes.ISHL && op <= Opcodes.LXOR)
        || (op >= Opcodes.LCMP && op <= Opcodes.DCMPG) || op == Opcodes.PUTFIELD) {
      return 2;
    }
    if ((op >= Opcodes.INEG && op <= Opcodes.DNEG) || (op >= Opcodes.I2L && op <= Opcodes.I2S)
        || op == Opcodes.GETFIELD || op == Opcodes.PUTSTATIC || op == Opcodes.NEWARRAY
        || op == Opcodes.ANEWARRAY || op == Opcodes.ARRAYLENGTH || op == Opcodes.CHECKCAST
        || op == Opcodes.INSTANCEOF || op == Opcodes.MONITORENTER || op == Opcodes.MONITOREXIT) {
      return 1;
    }
    if (insn instanceof MethodInsnNode) {
      int arguments = Type.getArgumentTypes(((MethodInsnNode) insn).desc).length;
      return op == Opcodes.INVOKESTATIC ? arguments : arguments + 1;
    }
    if (insn instanceof InvokeDynamicInsnNode) {
      return Type.getArgumentTypes(((InvokeDynamicInsnNode) insn).desc).length;
    }
    if (insn instanceof MultiANewArrayInsnNode) {
      return ((MultiANewArrayInsnNode) insn).dims;
    }
    return -1; // dup_x1 and the wider dups, swap, pop2, jumps, switches, returns, throw, jsr/ret
  }

  /** Entries the instruction pushes (0 or 1), or -1 when not modelled. */
  private static int pushes(AbstractInsnNode insn) {
    int op = insn.getOpcode();
    if ((op >= Opcodes.ISTORE && op <= Opcodes.ASTORE) || (op >= Opcodes.IASTORE && op <= Opcodes.SASTORE)
        || op == Opcodes.POP || op == Opcodes.NOP || op == Opcodes.IINC || op == Opcodes.PUTFIELD
        || op == Opcodes.PUTSTATIC || op == Opcodes.MONITORENTER || op == Opcodes.MONITOREXIT) {
      return 0;
    }
    if (insn instanceof MethodInsnNode) {
      return ((MethodInsnNode) insn).desc.endsWith(")V") ? 0 : 1;
    }
    if (insn instanceof InvokeDynamicInsnNode) {
      return ((InvokeDynamicInsnNode) insn).desc.endsWith(")V") ? 0 : 1;
    }
    return pops(insn) < 0 ? -1 : 1; // every other modelled instruction pushes one entry
  }
}
