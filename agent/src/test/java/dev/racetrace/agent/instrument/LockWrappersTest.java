package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.config.RecordFamily;
import dev.racetrace.agent.fixtures.BytesClassLoader;
import dev.racetrace.agent.instrument.wrapped.Guarded;
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
 * A lock wrapper's lock/unlock is recorded at its callers' sites (named after the caller's field),
 * not inside the wrapper where every use looks the same; the rewritten classes still run.
 */
class LockWrappersTest {
  private static final String PKG = "dev/racetrace/agent/instrument/wrapped/";
  private static final TypeResolver TYPES = (type, family) -> {
    try {
      return Class.forName(family.replace('/', '.')).isAssignableFrom(Class.forName(type.replace('/', '.')));
    } catch (ClassNotFoundException e) {
      return false;
    }
  };

  private static byte[] bytes(String internalName) {
    try (InputStream in = LockWrappersTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (Exception e) {
      return null;
    }
  }

  private static LockWrappers wrappers() {
    return new LockWrappers(LockWrappersTest::bytes, TYPES, n -> n.startsWith(PKG));
  }

  private static ClassNode rewritten(String simpleName, Set<RecordFamily> recorded) {
    ClassNode cls = new ClassNode();
    new ClassReader(bytes(PKG + simpleName)).accept(cls, 0);
    new CallSiteRewriter(HookTable.INSTANCE, TYPES, Set.of(), (c, m, l) -> null, recorded, wrappers()).rewrite(cls);
    return cls;
  }

  private static List<String> calls(ClassNode cls, String method) {
    List<String> out = new ArrayList<>();
    for (MethodNode m : cls.methods) {
      if (m.name.equals(method)) {
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
          if (insn instanceof MethodInsnNode) {
            MethodInsnNode c = (MethodInsnNode) insn;
            out.add(c.owner.substring(c.owner.lastIndexOf('/') + 1) + "." + c.name);
          }
        }
      }
    }
    return out;
  }

  @Test
  void wrapperMethodsAreFoundAtInstrumentationTime() {
    LockWrappers w = wrappers();
    String wrapper = PKG + "Guarded$Wrapper";
    assertThat(w.kindOf(wrapper, "lock", "()L" + wrapper + ";")).isEqualTo(LockWrappers.Kind.LOCK);
    assertThat(w.kindOf(wrapper, "close", "()V")).isEqualTo(LockWrappers.Kind.UNLOCK);
    assertThat(w.kindOf(PKG + "Guarded$WithCondition", "lock", "()L" + PKG + "Guarded$WithCondition;"))
        .as("returns super.lock()").isEqualTo(LockWrappers.Kind.LOCK);
    assertThat(w.kindOf(wrapper, "relock", "()V")).as("two locks").isEqualTo(LockWrappers.Kind.NONE);
    assertThat(w.kindOf(wrapper, "isHeldByCurrentThread", "()Z")).isEqualTo(LockWrappers.Kind.NONE);
    assertThat(new LockWrappers(LockWrappersTest::bytes, TYPES, n -> false).kindOf(wrapper, "close", "()V"))
        .as("a wrapper outside the enabled packages (or excluded)").isEqualTo(LockWrappers.Kind.NONE);
  }

  @Test
  void eachOwnerIsReadOnceWhateverItsMethodsAsked() {
    Map<String, Integer> reads = new HashMap<>();
    LockWrappers w = new LockWrappers(n -> {
      reads.merge(n, 1, Integer::sum);
      return bytes(n);
    }, TYPES, n -> n.startsWith(PKG));
    String wrapper = PKG + "Guarded$Wrapper";
    String withCondition = PKG + "Guarded$WithCondition";
    assertThat(w.kindOf(wrapper, "lock", "()L" + wrapper + ";")).isEqualTo(LockWrappers.Kind.LOCK);
    assertThat(w.kindOf(wrapper, "close", "()V")).isEqualTo(LockWrappers.Kind.UNLOCK);
    assertThat(w.kindOf(wrapper, "relock", "()V")).isEqualTo(LockWrappers.Kind.NONE);
    assertThat(w.kindOf(wrapper, "isHeldByCurrentThread", "()Z")).isEqualTo(LockWrappers.Kind.NONE);
    assertThat(w.kindOf(withCondition, "lock", "()L" + withCondition + ";")).isEqualTo(LockWrappers.Kind.LOCK);
    assertThat(w.kindOf(withCondition, "close", "()V")).as("inherited from Wrapper").isEqualTo(LockWrappers.Kind.UNLOCK);
    assertThat(reads).as("one read per class, not per method").containsOnly(
        Map.entry(wrapper, 1), Map.entry(withCondition, 1));
  }

  @Test
  void callersRecordTheWrappersLocksAndTheWrapperItselfDoesNot() {
    List<String> caller = calls(rewritten("Guarded", EnumSet.allOf(RecordFamily.class)), "increment");
    assertThat(caller).containsSubsequence("Guarded$Wrapper.lock", "LockHooks.wrapperLocked",
        "LockHooks.wrapperUnlocking", "Guarded$Wrapper.close",
        "Guarded$WithCondition.lock", "LockHooks.wrapperLocked",
        "LockHooks.wrapperUnlocking", "Guarded$WithCondition.close");
    ClassNode wrapper = rewritten("Guarded$Wrapper", EnumSet.allOf(RecordFamily.class));
    assertThat(calls(wrapper, "lock")).containsExactly("ReentrantLock.lock");
    assertThat(calls(wrapper, "close")).containsExactly("Guarded$Wrapper.isHeldByCurrentThread",
        "ReentrantLock.unlock");
    assertThat(calls(wrapper, "relock")).containsExactly("LockHooks.lock", "LockHooks.lock",
        "LockHooks.unlock", "LockHooks.unlock");
  }

  @Test
  void withoutTheLocksFamilyNothingIsRecordedAnywhere() {
    assertThat(calls(rewritten("Guarded", EnumSet.of(RecordFamily.QUEUES)), "increment"))
        .noneMatch(c -> c.startsWith("LockHooks."));
    assertThat(calls(rewritten("Guarded$Wrapper", EnumSet.of(RecordFamily.QUEUES)), "relock"))
        .noneMatch(c -> c.startsWith("LockHooks."));
  }

  @Test
  void theRewrittenClassesVerifyAndBehaveAsBefore() throws Exception {
    Map<String, byte[]> classes = new HashMap<>();
    for (String n : List.of("Guarded", "Guarded$Wrapper", "Guarded$WithCondition")) {
      ClassWriter w = new ClassWriter(0);
      rewritten(n, EnumSet.allOf(RecordFamily.class)).accept(w);
      classes.put((PKG + n).replace('/', '.'), w.toByteArray());
    }
    ClassLoader loader = new BytesClassLoader(LockWrappersTest.class.getClassLoader(), classes);
    Object g = loader.loadClass(Guarded.class.getName()).getConstructor().newInstance();
    Object n1 = g.getClass().getMethod("increment").invoke(g);
    Object n2 = g.getClass().getMethod("increment").invoke(g);
    assertThat(n1).isEqualTo(2);
    assertThat(n2).isEqualTo(4);
  }
}
