package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.hook.ExecutorHooks;
import dev.racetrace.core.hook.GuardHooks;
import dev.racetrace.core.hook.LatchHooks;
import dev.racetrace.core.hook.LockHooks;
import dev.racetrace.core.hook.QueueHooks;
import dev.racetrace.core.hook.StageHooks;
import dev.racetrace.core.hook.TypeHooks;
import dev.racetrace.core.hook.WaitHooks;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * The hooks are expanded by hand on purpose: each one makes the application's own call itself,
 * with no shared helper or lambda in between, so that stack traces, exceptions and blocking stay
 * exactly the application's and the hot path allocates nothing. The price is copies (poll,
 * pollFirst, pollLast, ...). This test keeps the copies alike: it compares the hooks' bytecode with
 * the one call to the application's object left out, and the hooks that are the same today must
 * stay the same. A copy changed alone leaves its family and fails this; a deliberate change is made
 * to every copy, or the table below is changed with it.
 */
class HookCopiesTest {
  private static final List<Class<?>> HOOKS =
      List.of(QueueHooks.class, ExecutorHooks.class, LockHooks.class, LatchHooks.class, GuardHooks.class,
          StageHooks.class, TypeHooks.class, WaitHooks.class);

  /** Hooks whose bodies are one body around a different call: "Class (parameter shape): names". */
  private static final Set<String> FAMILIES = Set.of(
      "ExecutorHooks (ExecutorService,TASK,int): submit, submit",
      "ExecutorHooks (ForkJoinPool,TASK,int): submit, submit",
      "ExecutorHooks (ScheduledExecutorService,TASK,long,TimeUnit,int): schedule, schedule",
      "ExecutorHooks (ScheduledExecutorService,TASK,long,long,TimeUnit,int): scheduleAtFixedRate, scheduleWithFixedDelay",
      "LatchHooks (Semaphore,int): acquire, acquireUninterruptibly",
      "LatchHooks (Semaphore,int,int): acquire, acquireUninterruptibly",
      "LockHooks (Condition,int): await, awaitUninterruptibly",
      "QueueHooks (BlockingQueue,Object,int): put, putFirst, putLast",
      "QueueHooks (BlockingQueue,Object,long,TimeUnit,int): offer, offerFirst, offerLast",
      "QueueHooks (BlockingQueue,int): take, takeFirst, takeLast",
      "QueueHooks (BlockingQueue,long,TimeUnit,int): poll, pollFirst, pollLast",
      "QueueHooks (Queue,Object,int): offer, add, offerFirst, offerLast",
      "QueueHooks (Queue,Object,int): push, addFirst, addLast",
      "QueueHooks (Queue,int): peek, peekFirst, peekLast",
      "QueueHooks (Queue,int): poll, pollFirst, pollLast",
      "QueueHooks (Queue,int): remove, pop, removeFirst, removeLast",
      "StageHooks (CompletionStage,CompletionStage,TASK,Executor,int): runAfterBothAsync, runAfterEitherAsync",
      "StageHooks (CompletionStage,CompletionStage,TASK,int): runAfterBothAsync, runAfterEitherAsync",
      "StageHooks (CompletionStage,Function,Executor,int): thenApplyAsync, thenComposeAsync, exceptionallyAsync,"
          + " exceptionallyComposeAsync",
      "StageHooks (CompletionStage,Function,int): thenApplyAsync, thenComposeAsync, exceptionallyAsync,"
          + " exceptionallyComposeAsync");

  @Test
  void copiesOfAHookStayAlike() throws IOException {
    Set<String> found = new TreeSet<>();
    for (Class<?> c : HOOKS) {
      Map<String, List<String>> byBody = new LinkedHashMap<>();
      for (MethodNode m : read(c).methods) {
        if ((m.access & Opcodes.ACC_PUBLIC) != 0 && (m.access & Opcodes.ACC_STATIC) != 0) {
          String shape = shape(m.desc);
          byBody.computeIfAbsent(shape + "\n" + body(m), k -> new ArrayList<>()).add(m.name);
        }
      }
      byBody.forEach((key, names) -> {
        if (names.size() > 1) {
          found.add(c.getSimpleName() + " " + key.substring(0, key.indexOf('\n')) + ": "
              + String.join(", ", names));
        }
      });
    }
    assertThat(found).as("hooks whose bytecode is one body around a different call (a family missing"
        + " here has a copy that was changed alone)").isEqualTo(new TreeSet<>(FAMILIES));
  }

  /** Parameter types by simple name, a deque as its queue and a Runnable or Callable as a task. */
  static String shape(String desc) {
    StringBuilder b = new StringBuilder("(");
    for (Type t : Type.getArgumentTypes(desc)) {
      if (b.length() > 1) {
        b.append(',');
      }
      String name = t.getClassName();
      name = name.substring(name.lastIndexOf('.') + 1);
      b.append(name.equals("Runnable") || name.equals("Callable") ? "TASK" : normalizeTypes(name));
    }
    return b.append(')').toString();
  }

  static ClassNode read(Class<?> c) throws IOException {
    try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
      ClassNode cn = new ClassNode();
      new ClassReader(in).accept(cn, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
      return cn;
    }
  }

  static String normalizeTypes(String s) {
    return s.replace("BlockingDeque", "BlockingQueue").replace("Deque", "Queue")
        .replace("java/lang/Runnable", "TASK").replace("java/util/concurrent/Callable", "TASK");
  }

  static String body(MethodNode m) {
    Map<LabelNode, Integer> labels = new IdentityHashMap<>();
    for (AbstractInsnNode i : m.instructions) {
      if (i instanceof LabelNode) {
        labels.put((LabelNode) i, labels.size());
      }
    }
    StringBuilder b = new StringBuilder();
    for (AbstractInsnNode i : m.instructions) {
      if (i.getOpcode() < 0 && !(i instanceof LabelNode)) {
        continue;
      }
      if (i instanceof LabelNode) {
        b.append('L').append(labels.get(i));
      } else if (i instanceof MethodInsnNode) {
        MethodInsnNode mi = (MethodInsnNode) i;
        boolean target = !mi.owner.startsWith("dev/racetrace/"); // the application's call
        b.append(i.getOpcode()).append(' ').append(target ? "TARGET" : mi.owner + '.' + mi.name)
            .append(normalizeTypes(mi.desc));
      } else if (i instanceof VarInsnNode) {
        b.append(i.getOpcode()).append(' ').append(((VarInsnNode) i).var);
      } else if (i instanceof JumpInsnNode) {
        b.append(i.getOpcode()).append(" L").append(labels.get(((JumpInsnNode) i).label));
      } else if (i instanceof FieldInsnNode) {
        FieldInsnNode f = (FieldInsnNode) i;
        b.append(i.getOpcode()).append(' ').append(f.owner).append('.').append(f.name);
      } else if (i instanceof LdcInsnNode) {
        b.append("LDC ").append(((LdcInsnNode) i).cst);
      } else if (i instanceof IntInsnNode) {
        b.append(i.getOpcode()).append(' ').append(((IntInsnNode) i).operand);
      } else if (i instanceof TypeInsnNode) {
        b.append(i.getOpcode()).append(' ').append(normalizeTypes(((TypeInsnNode) i).desc));
      } else if (i instanceof IincInsnNode) {
        b.append("IINC ").append(((IincInsnNode) i).var).append(' ').append(((IincInsnNode) i).incr);
      } else if (i instanceof InsnNode) {
        b.append(i.getOpcode());
      } else {
        b.append(i.getOpcode()).append('?').append(i.getClass().getSimpleName());
      }
      b.append(';');
    }
    for (TryCatchBlockNode t : m.tryCatchBlocks) {
      b.append("TRY L").append(labels.get(t.start)).append(" L").append(labels.get(t.end)).append(" L")
          .append(labels.get(t.handler)).append(' ').append(t.type).append(';');
    }
    return b.toString();
  }
}
