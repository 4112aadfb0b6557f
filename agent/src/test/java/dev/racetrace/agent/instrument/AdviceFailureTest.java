package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.config.RecordFamily;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.site.CallSite;
import dev.racetrace.core.site.CallSites;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * A queue class the type advice cannot be woven into (its {@code offer} is so close to the JVM's
 * 64 KB limit that the advice would take it over) still has its call sites recorded, each
 * registered once, and its own methods are left as they were.
 */
class AdviceFailureTest {
  private static final String NAME = "test/huge/HugeQueue";
  /** Just under the 65,535 bytes a method's code may take. */
  private static final int NOPS = 65_500;

  @Test
  void aQueueTooLargeToAdviseKeepsItsCallSitesRegisteredOnce() throws Exception {
    Counters counters = new Counters();
    CallSiteTransformer transformer = new CallSiteTransformer(new PackageFilter(List.of("test.huge"), List.of()),
        Set.of(), (c, m, l) -> null, counters, null, null, EnumSet.allOf(RecordFamily.class));
    int sitesBefore = CallSites.count();

    byte[] result = transformer.transform(null, getClass().getClassLoader(), NAME, null, null, hugeQueue());

    assertThat(result).as("the call sites are still rewritten").isNotNull();
    assertThat(counters.transformErrors().get()).isEqualTo(1);
    assertThat(counters.rewrittenCallSites().get()).isEqualTo(1);
    assertThat(sitesNamed("send", sitesBefore)).as("send's offer call, registered once").hasSize(1);
    ClassNode out = new ClassNode();
    new ClassReader(result).accept(out, 0);
    assertThat(calls(out, "send")).containsExactly("dev/racetrace/core/hook/QueueHooks.offer");
    assertThat(calls(out, "offer")).as("offer as it was, without the advice").isEmpty();
    assertThat(method(out, "offer").instructions.size()).isEqualTo(NOPS + 2);
  }

  @Test
  void aClassFileRacetraceCannotReadIsLeftAsItWas() {
    Counters counters = new Counters();
    CallSiteTransformer transformer = new CallSiteTransformer(new PackageFilter(List.of("test.huge"), List.of()),
        Set.of(), (c, m, l) -> null, counters, null, null, EnumSet.allOf(RecordFamily.class));
    byte[] newer = hugeQueue();
    newer[6] = 0; // major version 99: a class file of a JDK newer than racetrace's ASM
    newer[7] = 99;

    assertThat(transformer.transform(null, getClass().getClassLoader(), NAME, null, null, newer))
        .as("null: the JVM loads the class as it was").isNull();
    assertThat(counters.transformErrors().get()).isEqualTo(1);
    assertThat(counters.transformedClasses().get()).isZero();
  }

  /** {@code abstract class HugeQueue implements Queue}: a huge {@code offer}, and {@code send} calling one. */
  private static byte[] hugeQueue() {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, NAME, null, "java/lang/Object",
        new String[] {"java/util/Queue"});
    MethodVisitor offer = cw.visitMethod(Opcodes.ACC_PUBLIC, "offer", "(Ljava/lang/Object;)Z", null, null);
    offer.visitCode();
    for (int i = 0; i < NOPS; i++) {
      offer.visitInsn(Opcodes.NOP);
    }
    offer.visitInsn(Opcodes.ICONST_1);
    offer.visitInsn(Opcodes.IRETURN);
    offer.visitMaxs(0, 0);
    offer.visitEnd();
    MethodVisitor send = cw.visitMethod(Opcodes.ACC_PUBLIC, "send",
        "(Ljava/util/concurrent/BlockingQueue;Ljava/lang/Object;)V", null, null);
    send.visitCode();
    send.visitVarInsn(Opcodes.ALOAD, 1);
    send.visitVarInsn(Opcodes.ALOAD, 2);
    send.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/concurrent/BlockingQueue", "offer",
        "(Ljava/lang/Object;)Z", true);
    send.visitInsn(Opcodes.POP);
    send.visitInsn(Opcodes.RETURN);
    send.visitMaxs(0, 0);
    send.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static List<CallSite> sitesNamed(String method, int after) {
    List<CallSite> found = new ArrayList<>();
    for (int id = after + 1; id <= CallSites.count(); id++) {
      CallSite site = CallSites.get(id);
      if (site.className().replace('.', '/').equals(NAME) && site.methodName().equals(method)) {
        found.add(site);
      }
    }
    return found;
  }

  private static MethodNode method(ClassNode cls, String name) {
    return cls.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
  }

  private static List<String> calls(ClassNode cls, String name) {
    List<String> calls = new ArrayList<>();
    for (AbstractInsnNode insn : method(cls, name).instructions) {
      if (insn instanceof MethodInsnNode) {
        calls.add(((MethodInsnNode) insn).owner + "." + ((MethodInsnNode) insn).name);
      }
    }
    return calls;
  }
}
