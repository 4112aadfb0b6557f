package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.junit.jupiter.api.Test;

/** What the receiver namer asks of a method's locals: who wrote them, from one pass. */
class LocalWritesTest {
  @Test
  void eachSlotGetsItsFirstTwoWritesInCodeOrder() {
    MethodNode m = new MethodNode(Opcodes.ACC_STATIC, "m", "(I)V", null, null);
    m.maxLocals = 6;
    AbstractInsnNode once = add(m, new VarInsnNode(Opcodes.ASTORE, 1));
    AbstractInsnNode twiceA = add(m, new VarInsnNode(Opcodes.ASTORE, 2));
    AbstractInsnNode twiceB = add(m, new VarInsnNode(Opcodes.ASTORE, 2));
    add(m, new VarInsnNode(Opcodes.ASTORE, 2)); // a third: not kept
    AbstractInsnNode wide = add(m, new VarInsnNode(Opcodes.LSTORE, 3));
    AbstractInsnNode inc = add(m, new IincInsnNode(0, 1));
    add(m, new VarInsnNode(Opcodes.ALOAD, 5)); // a read is no write
    add(m, new InsnNode(Opcodes.RETURN));

    LocalWrites writes = new LocalWrites(m);

    assertThat(writes.of(0)).containsExactly(inc);
    assertThat(writes.of(1)).containsExactly(once);
    assertThat(writes.of(2)).containsExactly(twiceA, twiceB);
    assertThat(writes.of(3)).containsExactly(wide);
    assertThat(writes.of(4)).as("the long's upper slot").containsExactly(wide);
    assertThat(writes.of(5)).isEmpty();
    assertThat(writes.of(9)).as("past maxLocals").isEmpty();
  }

  private static AbstractInsnNode add(MethodNode m, AbstractInsnNode insn) {
    m.instructions.add(insn);
    return insn;
  }
}
