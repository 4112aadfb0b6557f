package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * A ForkJoinPool runs a CompletableFuture dependent stage through {@code Completion.exec()}: its
 * {@code tryFire(ASYNC)} becomes the run hook, and nothing else in the class changes. Every
 * ForkJoinTask runs through {@code ForkJoinTask.doExec}, whose {@code exec()} becomes the run hook.
 */
class JdkRunPointsTest {

  @Test
  void completionExecRunsThroughTheRunHookAndOnlyThere() throws Exception {
    ClassNode cls = read("java/util/concurrent/CompletableFuture$Completion");
    assertThat(JdkRunPoints.isRunPoint(cls.name)).isTrue();

    assertThat(JdkRunPoints.rewrite(cls)).isEqualTo(1);

    assertThat(calls(method(cls, "exec"))).containsExactly(HookTable.TASK_RUNS + ".fire(Ljava/lang/Runnable;I)Ljava/lang/Object;");
    assertThat(calls(method(cls, "run"))).containsExactly(
        "java/util/concurrent/CompletableFuture$Completion.tryFire(I)Ljava/util/concurrent/CompletableFuture;");
  }

  @Test
  void asyncSupplyRunsItsFunctionThroughTheRunHookFromExec() throws Exception {
    ClassNode cls = read("java/util/concurrent/CompletableFuture$AsyncSupply");

    assertThat(JdkRunPoints.rewrite(cls)).isEqualTo(1);

    assertThat(calls(method(cls, "exec"))).containsExactly(HookTable.TASK_RUNS + ".run(Ljava/lang/Runnable;)V");
  }

  @Test
  void forkJoinTaskRunsThroughTheRunHookInDoExecOnly() throws Exception {
    ClassNode cls = read("java/util/concurrent/ForkJoinTask");

    assertThat(JdkRunPoints.rewrite(cls)).isEqualTo(1);

    assertThat(calls(method(cls, "doExec")))
        .contains(HookTable.TASK_RUNS + ".exec(Ljava/util/concurrent/ForkJoinTask;)Z")
        .doesNotContain("java/util/concurrent/ForkJoinTask.exec()Z");
  }

  private static ClassNode read(String internalName) throws Exception {
    try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
      ClassNode cls = new ClassNode();
      new ClassReader(in.readAllBytes()).accept(cls, 0);
      return cls;
    }
  }

  private static MethodNode method(ClassNode cls, String name) {
    return cls.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
  }

  private static List<String> calls(MethodNode m) {
    List<String> calls = new ArrayList<>();
    for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      if (insn instanceof MethodInsnNode) {
        MethodInsnNode c = (MethodInsnNode) insn;
        calls.add(c.owner + "." + c.name + c.desc);
      }
    }
    return calls;
  }
}
