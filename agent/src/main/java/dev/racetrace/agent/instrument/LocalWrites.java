package dev.racetrace.agent.instrument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Which instructions of a method write each local slot, found in one pass over the method for every
 * slot at once (a scan per question would make a long method with many local receivers quadratic).
 * A long or double stored in a slot writes the slot above it too.
 */
final class LocalWrites {
  private AbstractInsnNode[] first;
  private AbstractInsnNode[] second;
  /** Every write of a slot written more than twice (javac reuses a slot for each scope's variable); else null. */
  private List<AbstractInsnNode>[] more;

  @SuppressWarnings("unchecked")
  LocalWrites(MethodNode method) {
    first = new AbstractInsnNode[Math.max(1, method.maxLocals)];
    second = new AbstractInsnNode[first.length];
    more = new List[first.length];
    for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      int op = insn.getOpcode();
      if (op >= Opcodes.ISTORE && op <= Opcodes.ASTORE) {
        int var = ((VarInsnNode) insn).var;
        note(var, insn);
        if (op == Opcodes.LSTORE || op == Opcodes.DSTORE) {
          note(var + 1, insn);
        }
      } else if (op == Opcodes.IINC) {
        note(((IincInsnNode) insn).var, insn);
      }
    }
  }

  /** The instructions that write {@code var}: none, one, or (when more) the first two, in code order. */
  List<AbstractInsnNode> of(int var) {
    AbstractInsnNode a = var < first.length ? first[var] : null;
    if (a == null) {
      return List.of();
    }
    return second[var] == null ? List.of(a) : List.of(a, second[var]);
  }

  /** Every instruction that writes {@code var}, in code order. */
  List<AbstractInsnNode> all(int var) {
    return var < more.length && more[var] != null ? more[var] : of(var);
  }

  private void note(int var, AbstractInsnNode insn) {
    if (var >= first.length) { // past maxLocals: only in code that will not verify
      first = Arrays.copyOf(first, var + 1);
      second = Arrays.copyOf(second, var + 1);
      more = Arrays.copyOf(more, var + 1);
    }
    if (first[var] == null) {
      first[var] = insn;
    } else if (second[var] == null) {
      second[var] = insn;
    } else {
      if (more[var] == null) {
        more[var] = new ArrayList<>(List.of(first[var], second[var]));
      }
      more[var].add(insn);
    }
  }
}
