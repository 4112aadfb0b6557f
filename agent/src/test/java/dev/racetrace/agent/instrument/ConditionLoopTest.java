package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.site.CallSites;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.BasicVerifier;

/**
 * Every {@code unlock()} in a method that awaits a Condition ends the loop's predicate check:
 * rewritten to the hook that records it, timed or not as the method's waits are; an unlock
 * elsewhere stays a plain release.
 */
class ConditionLoopTest {
  static final class Cache {
    final ReentrantLock lock = new ReentrantLock();
    final Condition warmed = lock.newCondition();
    boolean warm;

    boolean awaitFor(long nanos) throws InterruptedException {
      lock.lock();
      try {
        while (!warm) {
          if (nanos <= 0) {
            return false;
          }
          nanos = warmed.awaitNanos(nanos);
        }
        return true;
      } finally {
        lock.unlock();
      }
    }

    void awaitUntimed() throws InterruptedException {
      lock.lock();
      try {
        while (!warm) {
          warmed.await();
        }
      } finally {
        lock.unlock();
      }
    }

    boolean awaitWithUnit() throws InterruptedException {
      lock.lock();
      try {
        return warm || warmed.await(1, TimeUnit.SECONDS);
      } finally {
        lock.unlock();
      }
    }

    void warm() {
      lock.lock();
      try {
        warm = true;
        warmed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** The same loops on a monitor: synchronized blocks and a synchronized method. */
  static final class MonitorCache {
    final Object warmed = new Object();
    boolean warm;

    boolean awaitFor(long millis) throws InterruptedException {
      synchronized (warmed) {
        long deadline = System.currentTimeMillis() + millis;
        while (!warm) {
          long left = deadline - System.currentTimeMillis();
          if (left <= 0) {
            return false;
          }
          warmed.wait(left);
        }
        return true;
      }
    }

    void awaitUntimed() throws InterruptedException {
      synchronized (warmed) {
        while (!warm) {
          warmed.wait();
        }
      }
    }

    void awaitZero() throws InterruptedException {
      synchronized (warmed) {
        while (!warm) {
          warmed.wait(0);
        }
      }
    }

    synchronized boolean awaitOnThis() throws InterruptedException {
      while (!warm) {
        wait();
      }
      return true;
    }

    void warm() {
      synchronized (warmed) {
        warm = true;
        warmed.notifyAll();
      }
    }

    static boolean staticWarm;

    static synchronized void awaitOnClass() throws InterruptedException {
      while (!staticWarm) {
        MonitorCache.class.wait();
      }
    }
  }

  /** The LockHooks methods the unlocks of {@code method} now call. */
  private static List<String> unlockHooksIn(String method) throws Exception {
    return hooksIn(Cache.class, method, "unlock");
  }

  /** The LockHooks methods whose name starts with {@code prefix} that {@code method} now calls. */
  private static List<String> hooksIn(Class<?> fixture, String method, String prefix) throws Exception {
    ClassNode cls = new ClassNode();
    String resource = fixture.getName().replace('.', '/') + ".class";
    try (InputStream in = ConditionLoopTest.class.getClassLoader().getResourceAsStream(resource)) {
      new ClassReader(in).accept(cls, 0);
    }
    TypeResolver types = (type, family) -> {
      try {
        return Class.forName(family.replace('/', '.'))
            .isAssignableFrom(Class.forName(type.replace('/', '.')));
      } catch (ClassNotFoundException e) {
        return false;
      }
    };
    new CallSiteRewriter(HookTable.INSTANCE, types, Set.of(), (c, m, l) -> null).rewrite(cls);
    List<String> hooks = new ArrayList<>();
    for (MethodNode m : cls.methods) {
      if (!m.name.equals(method)) {
        continue;
      }
      for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
        if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).owner.equals(HookTable.LOCK_HOOKS)
            && ((MethodInsnNode) insn).name.startsWith(prefix)) {
          hooks.add(((MethodInsnNode) insn).name + ((MethodInsnNode) insn).desc);
        }
      }
    }
    return hooks;
  }

  @Test
  void theUnlocksOfATimedLoopRecordATimedCheck() throws Exception {
    assertThat(unlockHooksIn("awaitFor")).isNotEmpty()
        .allMatch(h -> h.equals("unlockAfterTimedWait" + ConditionLoop.HOOK_DESCRIPTOR));
    assertThat(unlockHooksIn("awaitWithUnit")).isNotEmpty()
        .allMatch(h -> h.equals("unlockAfterTimedWait" + ConditionLoop.HOOK_DESCRIPTOR));
  }

  @Test
  void theUnlocksOfAnUntimedLoopRecordAnUntimedCheck() throws Exception {
    assertThat(unlockHooksIn("awaitUntimed")).isNotEmpty()
        .allMatch(h -> h.equals("unlockAfterWait" + ConditionLoop.HOOK_DESCRIPTOR));
  }

  @Test
  void anUnlockInAMethodThatDoesNotWaitStaysAPlainRelease() throws Exception {
    assertThat(unlockHooksIn("warm")).isNotEmpty()
        .allMatch(h -> h.equals("unlock(Ljava/util/concurrent/locks/Lock;I)V"));
  }

  @Test
  void theCheckSiteNamesTheConditionWaitedOn() throws Exception {
    int before = CallSites.count();
    unlockHooksIn("awaitUntimed");
    boolean named = false;
    for (int id = before + 1; id <= CallSites.count(); id++) {
      if (CallSites.get(id).target().equals("Condition.check")) {
        assertThat(CallSites.get(id).receiverName()).isEqualTo("ConditionLoopTest$Cache.warmed");
        named = true;
      }
    }
    assertThat(named).isTrue();
  }

  private static ClassNode rewrittenMonitorCache() throws Exception {
    ClassNode cls = new ClassNode();
    String resource = MonitorCache.class.getName().replace('.', '/') + ".class";
    try (InputStream in = ConditionLoopTest.class.getClassLoader().getResourceAsStream(resource)) {
      new ClassReader(in).accept(cls, 0);
    }
    TypeResolver types = (type, family) -> false;
    new CallSiteRewriter(HookTable.INSTANCE, types, Set.of(), (c, m, l) -> null).rewrite(cls);
    return cls;
  }

  /** The monitor hooks of {@code method}, each with the instruction it comes right before. */
  private static List<String> monitorChecksIn(String method) throws Exception {
    ClassNode cls = rewrittenMonitorCache();
    List<String> hooks = new ArrayList<>();
    for (MethodNode m : cls.methods) {
      if (!m.name.equals(method)) {
        continue;
      }
      for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
        if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).name.startsWith("monitor")) {
          int next = insn.getNext().getOpcode();
          hooks.add(((MethodInsnNode) insn).name + " before "
              + (next == Opcodes.MONITOREXIT ? "monitorexit" : next >= Opcodes.IRETURN && next <= Opcodes.RETURN ? "return" : next));
        }
      }
    }
    return hooks;
  }

  @Test
  void theMonitorExitsOfATimedWaitLoopRecordATimedCheckUnderTheMonitor() throws Exception {
    // the normal exit and the exception path's exit
    assertThat(monitorChecksIn("awaitFor")).hasSizeGreaterThanOrEqualTo(2)
        .allMatch(h -> h.equals("monitorTimedCheck before monitorexit"));
  }

  @Test
  void theMonitorExitsOfAnUntimedWaitLoopRecordAnUntimedCheck() throws Exception {
    assertThat(monitorChecksIn("awaitUntimed")).hasSizeGreaterThanOrEqualTo(2)
        .allMatch(h -> h.equals("monitorCheck before monitorexit"));
    assertThat(monitorChecksIn("awaitZero")).as("wait(0) waits forever").hasSizeGreaterThanOrEqualTo(2)
        .allMatch(h -> h.equals("monitorCheck before monitorexit"));
  }

  @Test
  void aSynchronizedMethodThatWaitsChecksBeforeItsReturns() throws Exception {
    assertThat(monitorChecksIn("awaitOnThis")).containsExactly("monitorCheck before return");
  }

  @Test
  void eachMonitorCheckIsGivenTheMonitorItsExitReleasesAndTheRewrittenCodeVerifies()
      throws Exception {
    ClassNode cls = rewrittenMonitorCache();
    List<String> pushed = new ArrayList<>();
    for (MethodNode m : cls.methods) {
      new Analyzer<>(new BasicVerifier()).analyze(cls.name, m); // throws on bad bytecode
      for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
        if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).name.startsWith("monitor")) {
          AbstractInsnNode monitor = insn.getPrevious().getPrevious(); // before the site constant
          pushed.add(m.name + ":" + (monitor.getOpcode() == Opcodes.DUP ? "dup"
              : monitor.getOpcode() == Opcodes.ALOAD ? "this"
              : monitor instanceof LdcInsnNode ? "class " + ((LdcInsnNode) monitor).cst
              : String.valueOf(monitor.getOpcode())));
        }
      }
    }
    assertThat(pushed).contains("awaitUntimed:dup", "awaitOnThis:this",
        "awaitOnClass:class " + Type.getType(MonitorCache.class))
        .allMatch(p -> p.endsWith(":dup") || p.startsWith("awaitOnThis:this")
            || p.startsWith("awaitOnClass:class"));
  }

  @Test
  void aMonitorExitInAMethodThatDoesNotWaitRecordsNoCheck() throws Exception {
    assertThat(monitorChecksIn("warm")).isEmpty();
  }

  @Test
  void theMonitorCheckSiteNamesTheMonitorWaitedOn() throws Exception {
    int before = CallSites.count();
    monitorChecksIn("awaitUntimed");
    List<String> names = new ArrayList<>();
    for (int id = before + 1; id <= CallSites.count(); id++) {
      if (CallSites.get(id).target().equals("Object.check")
          && CallSites.get(id).methodName().equals("awaitUntimed")) {
        names.add(CallSites.get(id).receiverName());
      }
    }
    assertThat(names).isNotEmpty().allMatch(n -> n.equals("ConditionLoopTest$MonitorCache.warmed"));
  }
}
