package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.config.RecordFamily;
import dev.racetrace.agent.fixtures.BytesClassLoader;
import dev.racetrace.agent.instrument.alloc.Registry;
import dev.racetrace.core.site.CallSite;
import dev.racetrace.core.site.CallSites;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * A guard made in an enabled class is remembered with its allocation site right after its
 * constructor returns: named after the field it is stored to, else {@code Type@Owner.method:line};
 * a subclass's super() call is no allocation; without the family recorded nothing is added; the
 * rewritten class still runs as before.
 */
class AllocationSiteTest {
  private static final String PKG = "dev/racetrace/agent/instrument/alloc/";
  private static final TypeResolver TYPES = (type, family) -> {
    try {
      return Class.forName(family.replace('/', '.')).isAssignableFrom(Class.forName(type.replace('/', '.')));
    } catch (ClassNotFoundException e) {
      return false;
    }
  };

  private static ClassNode rewritten(String simpleName, Set<RecordFamily> recorded) throws Exception {
    ClassNode cls = new ClassNode();
    try (InputStream in = AllocationSiteTest.class.getClassLoader().getResourceAsStream(PKG + simpleName + ".class")) {
      new ClassReader(in).accept(cls, 0);
    }
    new CallSiteRewriter(HookTable.INSTANCE, TYPES, Set.of(), (c, m, l) -> null, recorded, null).rewrite(cls);
    return cls;
  }

  /** Names of the allocation sites registered while rewriting. */
  private static List<String> allocationNames(String simpleName, Set<RecordFamily> recorded) throws Exception {
    int before = CallSites.count();
    rewritten(simpleName, recorded);
    List<String> names = new ArrayList<>();
    for (int id = before + 1; id <= CallSites.count(); id++) {
      CallSite s = CallSites.get(id);
      if (s.target().endsWith(".new")) {
        names.add(s.target() + " " + s.receiverName());
      }
    }
    return names;
  }

  private static long allocatedHooks(ClassNode cls, String method) {
    long n = 0;
    for (MethodNode m : cls.methods) {
      if (!m.name.equals(method)) {
        continue;
      }
      for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
        if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).name.equals("allocated")) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void aGuardStoredToAFieldIsNamedByTheFieldElseByItsAllocationSite() throws Exception {
    assertThat(allocationNames("Registry", EnumSet.allOf(RecordFamily.class)))
        .contains("CountDownLatch.new Registry.ready", "ReentrantLock.new Registry.lock",
            "Condition.new Registry.changed")
        .anySatisfy(n -> assertThat(n).matches("CountDownLatch\\.new CountDownLatch@Registry\\.latchFor:\\d+"))
        .anySatisfy(n -> assertThat(n).matches("Semaphore\\.new Semaphore@Registry\\.run:\\d+"))
        .hasSize(5);
  }

  @Test
  void aSubclassConstructorsSuperCallIsNoAllocation() throws Exception {
    assertThat(allocatedHooks(rewritten("Registry$OwnLock", EnumSet.allOf(RecordFamily.class)), "<init>")).isZero();
    assertThat(allocatedHooks(rewritten("Registry", EnumSet.allOf(RecordFamily.class)), "ownLock"))
        .as("a subclass is not one of the remembered JDK types").isZero();
  }

  @Test
  void withoutItsFamilyRecordedAnAllocationIsNotRemembered() throws Exception {
    assertThat(allocationNames("Registry", EnumSet.of(RecordFamily.QUEUES))).isEmpty();
    assertThat(allocationNames("Registry", EnumSet.of(RecordFamily.SEMAPHORES)))
        .singleElement().asString().startsWith("Semaphore.new");
  }

  @Test
  void theRewrittenClassVerifiesAndRunsAsBefore() throws Exception {
    Map<String, byte[]> classes = new HashMap<>();
    for (String n : List.of("Registry", "Registry$OwnLock")) {
      ClassWriter w = new ClassWriter(0);
      rewritten(n, EnumSet.allOf(RecordFamily.class)).accept(w);
      classes.put((PKG + n).replace('/', '.'), w.toByteArray());
    }
    ClassLoader loader = new BytesClassLoader(AllocationSiteTest.class.getClassLoader(), classes);
    Object r = loader.loadClass(Registry.class.getName()).getConstructor().newInstance();
    assertThat(r.getClass().getMethod("run").invoke(r)).isEqualTo(1);
    assertThat(r.getClass().getMethod("ownLock").invoke(r).getClass().getName()).endsWith("Registry$OwnLock");
  }
}
