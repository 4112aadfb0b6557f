package dev.racetrace.agent.instrument;

import dev.racetrace.agent.internal.Counters;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Records task runs where the JDK's executors actually run a task, so that a task linked at its
 * submit (by identity, see {@code dev.racetrace.core.task.TaskRuns}) is recognised without being
 * wrapped. In a handful of {@code java.util.concurrent} classes, each call that runs a task, e.g.
 * {@code task.run()} in {@code ThreadPoolExecutor.runWorker} or {@code c.call()} in
 * {@code FutureTask.run}, becomes a call to {@code TaskRuns.run(Runnable)} or
 * {@code TaskRuns.call(Callable)}, which make the very same call. Nothing else in those classes
 * changes: the rewrite replaces one instruction with another that takes the same operands, so the
 * stack and its frames are untouched.
 *
 * <p>The run points (JDK 17 to 25):
 * <ul>
 *   <li>{@code ThreadPoolExecutor.runWorker} (and so ScheduledThreadPoolExecutor and the
 *       {@code Executors} factories built on it) and {@code ThreadPoolExecutor.CallerRunsPolicy};</li>
 *   <li>{@code FutureTask} (what {@code submit}/{@code schedule} queue, also the futures of the
 *       thread-per-task and virtual-thread executors) and {@code Executors.RunnableAdapter};</li>
 *   <li>the {@code ForkJoinTask} adapters that ForkJoinPool runs Runnables and Callables in;</li>
 *   <li>{@code CompletableFuture}'s AsyncRun/AsyncSupply when a ForkJoinPool runs them, and its
 *       dependent stages' tasks ({@code Completion.exec}, whose {@code tryFire(ASYNC)} is exactly
 *       what the task's {@code run()} does, becomes {@code TaskRuns.fire});</li>
 *   <li>{@code ThreadPerTaskExecutor.TaskRunner} (JDK 21+, virtual threads);</li>
 *   <li>{@code ForkJoinTask.doExec}, where every ForkJoinTask runs ({@code invoke}, or
 *       {@code submit}/{@code execute} of a RecursiveTask), its {@code exec()} becoming
 *       {@code TaskRuns.exec}, when java.util.concurrent could be opened to the hooks.</li>
 * </ul>
 */
final class JdkRunPoints implements ClassFileTransformer {
  private static final String TASK_RUNS = HookTable.TASK_RUNS;
  private static final Set<String> CLASSES = Set.of(
      "java/util/concurrent/ThreadPoolExecutor",
      "java/util/concurrent/ThreadPoolExecutor$CallerRunsPolicy",
      "java/util/concurrent/FutureTask",
      "java/util/concurrent/Executors$RunnableAdapter",
      "java/util/concurrent/CompletableFuture$AsyncRun",
      "java/util/concurrent/CompletableFuture$AsyncSupply",
      "java/util/concurrent/CompletableFuture$Completion",
      "java/util/concurrent/ThreadPerTaskExecutor$TaskRunner");
  private static final String FORK_JOIN_TASK_NESTED = "java/util/concurrent/ForkJoinTask$";
  private static final String FORK_JOIN_TASK = "java/util/concurrent/ForkJoinTask";
  /** Whether ForkJoinTask.doExec is a run point (see install). */
  private static volatile boolean forkJoinExec;

  private final Counters counters;

  JdkRunPoints(Counters counters) {
    this.counters = counters;
  }

  /** Installs the transformer and retransforms the run-point classes already loaded. */
  static void install(Instrumentation inst, Module hookModule, Counters counters) {
    // java.base must read the bootstrap class path's unnamed module, where the hooks live; the
    // hooks read the function a CompletableFuture task holds (its key and op), so that package is
    // opened to them (to the hooks' module only: the application's classes are not in it)
    Module base = Object.class.getModule();
    if (!base.canRead(hookModule) || !base.isOpen("java.util.concurrent", hookModule)) {
      inst.redefineModule(base, Set.of(hookModule), Map.of(), Map.of("java.util.concurrent", Set.of(hookModule)),
          Set.of(), Map.of());
    }
    // ForkJoinTask.doExec calls the protected exec(); the hook can only once that package is open.
    // Asked of the module, not by resolving exec() here: that would load ForkJoinTask now and make
    // every start retransform it (about 80 ms of the main thread), used by the application or not
    forkJoinExec = base.isOpen("java.util.concurrent", hookModule);
    inst.addTransformer(new JdkRunPoints(counters), true);
    Retransformer.retransform(inst, c -> c.getClassLoader() == null && isRunPoint(c.getName().replace('.', '/')),
        counters);
  }

  static boolean isRunPoint(String internalName) {
    return CLASSES.contains(internalName) || internalName.startsWith(FORK_JOIN_TASK_NESTED)
        || (forkJoinExec && internalName.equals(FORK_JOIN_TASK));
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] bytes) {
    if (loader != null || className == null || !isRunPoint(className)) {
      return null;
    }
    try {
      ClassNode cls = new ClassNode(Opcodes.ASM9);
      new ClassReader(bytes).accept(cls, 0);
      if (rewrite(cls) == 0) {
        return null;
      }
      ClassWriter writer = new ClassWriter(0);
      cls.accept(writer);
      return writer.toByteArray();
    } catch (Throwable t) {
      if (counters.transformErrors().incrementAndGet() == 1) {
        System.err.println("racetrace: could not instrument " + className.replace('/', '.') + " (" + t
            + "); tasks it runs are not linked to their submit");
      }
      return null;
    }
  }

  /** Rewrites the run calls of one class in place. @return how many */
  static int rewrite(ClassNode cls) {
    boolean worker = cls.name.equals("java/util/concurrent/ThreadPoolExecutor");
    boolean asyncTask = cls.name.startsWith("java/util/concurrent/CompletableFuture$Async");
    boolean completion = cls.name.equals("java/util/concurrent/CompletableFuture$Completion");
    boolean forkJoinTask = cls.name.equals(FORK_JOIN_TASK);
    int n = 0;
    for (MethodNode m : cls.methods) {
      if (worker && !m.name.equals("runWorker")) {
        continue; // the pool's other methods run no task
      }
      if (forkJoinTask && !m.name.equals("doExec")) {
        continue; // every pool and joining thread runs a ForkJoinTask through doExec
      }
      for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
        if (!(insn instanceof MethodInsnNode)) {
          continue;
        }
        MethodInsnNode call = (MethodInsnNode) insn;
        MethodInsnNode hook = null;
        if (isRunnableRun(call) || (asyncTask && m.name.equals("exec") && isOwnRun(cls, call))) {
          hook = new MethodInsnNode(Opcodes.INVOKESTATIC, TASK_RUNS, "run", "(Ljava/lang/Runnable;)V", false);
        } else if (completion && m.name.equals("exec") && isOwnAsyncFire(cls, call, insn)) {
          hook = new MethodInsnNode(Opcodes.INVOKESTATIC, TASK_RUNS, "fire",
              "(Ljava/lang/Runnable;I)Ljava/lang/Object;", false);
        } else if (forkJoinTask && isOwnExec(call)) {
          hook = new MethodInsnNode(Opcodes.INVOKESTATIC, TASK_RUNS, "exec",
              "(Ljava/util/concurrent/ForkJoinTask;)Z", false);
        } else if (isCallableCall(call)) {
          hook = new MethodInsnNode(Opcodes.INVOKESTATIC, TASK_RUNS, "call",
              "(Ljava/util/concurrent/Callable;)Ljava/lang/Object;", false);
        }
        if (hook != null) {
          m.instructions.set(call, hook);
          insn = hook;
          n++;
        }
      }
    }
    return n;
  }

  private static boolean isRunnableRun(MethodInsnNode call) {
    return call.getOpcode() == Opcodes.INVOKEINTERFACE && call.owner.equals("java/lang/Runnable")
        && call.name.equals("run") && call.desc.equals("()V");
  }

  private static boolean isCallableCall(MethodInsnNode call) {
    return call.getOpcode() == Opcodes.INVOKEINTERFACE && call.owner.equals("java/util/concurrent/Callable")
        && call.name.equals("call") && call.desc.equals("()Ljava/lang/Object;");
  }

  private static boolean isOwnExec(MethodInsnNode call) {
    return call.getOpcode() == Opcodes.INVOKEVIRTUAL && call.owner.equals(FORK_JOIN_TASK)
        && call.name.equals("exec") && call.desc.equals("()Z");
  }

  /** {@code tryFire(ASYNC)} on itself: the whole body of Completion.exec(), as of run(). */
  private static boolean isOwnAsyncFire(ClassNode cls, MethodInsnNode call, AbstractInsnNode insn) {
    AbstractInsnNode mode = insn.getPrevious();
    return call.getOpcode() == Opcodes.INVOKEVIRTUAL && call.owner.equals(cls.name)
        && call.name.equals("tryFire") && call.desc.equals("(I)Ljava/util/concurrent/CompletableFuture;")
        && mode != null && mode.getOpcode() == Opcodes.ICONST_1;
  }

  /** CompletableFuture's async tasks run themselves from exec() when a ForkJoinPool runs them. */
  private static boolean isOwnRun(ClassNode cls, MethodInsnNode call) {
    return call.getOpcode() == Opcodes.INVOKEVIRTUAL && call.owner.equals(cls.name)
        && call.name.equals("run") && call.desc.equals("()V");
  }
}
