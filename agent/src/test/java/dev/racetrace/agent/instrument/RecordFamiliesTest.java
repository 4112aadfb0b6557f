package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.config.RecordFamily;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** racetrace.record: a family left out keeps its calls' original bytecode, no hook in between. */
class RecordFamiliesTest {
  static final class EveryFamily {
    void all(BlockingQueue<String> q, Executor e, Lock lock, Condition c, CountDownLatch latch, Semaphore s,
        Future<?> f, Object monitor) throws Exception {
      q.offer("x");
      e.execute(() -> {});
      lock.lock();
      try {
        c.await();
      } finally {
        lock.unlock();
      }
      latch.countDown();
      s.acquire();
      f.get();
      Thread.sleep(1);
      synchronized (monitor) {
        monitor.notifyAll();
      }
    }
  }

  /** The calls of method {@code all} after rewriting: owner.name of each. */
  private static List<String> callsAfterRewrite(Set<RecordFamily> recorded) throws Exception {
    ClassNode cls = new ClassNode();
    String resource = EveryFamily.class.getName().replace('.', '/') + ".class";
    try (InputStream in = RecordFamiliesTest.class.getClassLoader().getResourceAsStream(resource)) {
      new ClassReader(in).accept(cls, 0);
    }
    TypeResolver types = (type, family) -> {
      try {
        return Class.forName(family.replace('/', '.')).isAssignableFrom(Class.forName(type.replace('/', '.')));
      } catch (ClassNotFoundException e) {
        return false;
      }
    };
    new CallSiteRewriter(HookTable.INSTANCE, types, Set.of(), (c, m, l) -> null, recorded, null).rewrite(cls);
    List<String> calls = new ArrayList<>();
    for (MethodNode m : cls.methods) {
      if (m.name.equals("all")) {
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
          if (insn instanceof MethodInsnNode) {
            MethodInsnNode call = (MethodInsnNode) insn;
            calls.add(call.owner.substring(call.owner.lastIndexOf('/') + 1) + "." + call.name);
          }
        }
      }
    }
    return calls;
  }

  @Test
  void onlyTheRecordedFamiliesCallHooks() throws Exception {
    List<String> calls = callsAfterRewrite(EnumSet.of(RecordFamily.QUEUES, RecordFamily.EXECUTORS));
    assertThat(calls).contains("QueueHooks.offer", "ExecutorHooks.execute")
        .contains("Lock.lock", "Condition.await", "Lock.unlock", "CountDownLatch.countDown",
            "Semaphore.acquire", "Future.get", "Thread.sleep", "Object.notifyAll")
        .noneMatch(c -> c.startsWith("LockHooks.") || c.startsWith("LatchHooks.") || c.startsWith("WaitHooks."));
  }

  @Test
  void locksWithoutConditionsRecordPlainUnlocksAndLeaveTheAwait() throws Exception {
    List<String> calls = callsAfterRewrite(EnumSet.of(RecordFamily.LOCKS));
    assertThat(calls).contains("LockHooks.lock", "LockHooks.unlock", "Condition.await", "BlockingQueue.offer");
    assertThat(calls).doesNotContain("LockHooks.unlockAfterWait");
  }

  @Test
  void eachFamilySwitchesItsOwnCalls() throws Exception {
    assertThat(callsAfterRewrite(EnumSet.of(RecordFamily.LATCHES)))
        .contains("LatchHooks.countDown", "Semaphore.acquire");
    assertThat(callsAfterRewrite(EnumSet.of(RecordFamily.SEMAPHORES)))
        .contains("LatchHooks.acquire", "CountDownLatch.countDown");
    assertThat(callsAfterRewrite(EnumSet.of(RecordFamily.MONITORS, RecordFamily.FUTURES, RecordFamily.SLEEPS)))
        .contains("LockHooks.notifyAll", "WaitHooks.get", "WaitHooks.sleep", "Lock.lock", "Executor.execute");
    assertThat(callsAfterRewrite(EnumSet.of(RecordFamily.CONDITIONS)))
        .contains("LockHooks.await", "Lock.lock", "Lock.unlock");
  }

  @Test
  void everyHookHasAFamily() {
    assertThat(HookTable.INSTANCE.all()).allSatisfy(s -> assertThat(s.record).isNotNull());
    assertThat(EnumSet.allOf(RecordFamily.class)).containsAll(
        HookTable.INSTANCE.all().stream().map(s -> s.record).collect(java.util.stream.Collectors.toSet()));
  }
}
