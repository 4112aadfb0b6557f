package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * A guard object held in a field has one name, owner class + field, at every site and with or
 * without {@code -g}; a local allocated in the method is named by its allocation site.
 */
class ReceiverNamerTest {
  /** The shape from issue 14: one latch field, read into differently placed locals. */
  static final class PriceCache {
    final CountDownLatch skuWarmup = new CountDownLatch(1);
    final CountDownLatch other = new CountDownLatch(1);

    void apply() {
      CountDownLatch skuWarmup = this.skuWarmup;
      skuWarmup.countDown();
    }

    void awaitWarm() throws InterruptedException {
      CountDownLatch skuWarmup = this.skuWarmup;
      skuWarmup.await();
    }

    void direct() throws InterruptedException {
      skuWarmup.await();
    }

    void allocated() {
      CountDownLatch done = new CountDownLatch(1);
      done.countDown();
    }

    final java.util.Map<String, CountDownLatch> warmups = new java.util.concurrent.ConcurrentHashMap<>();

    void perKey(String sku) throws InterruptedException {
      warmups.computeIfAbsent(sku, k -> new CountDownLatch(1)).await();
    }

    void perKeyLocal(String sku) {
      CountDownLatch latch = warmups.get(sku);
      latch.countDown();
    }

    void eitherField(boolean b) throws InterruptedException {
      CountDownLatch l = b ? skuWarmup : other;
      l.await();
    }
  }

  /** Try-with-resources blocks that reuse one slot, each resource from a call (as Jetty's AutoLock). */
  static final class Resources {
    static final class Held implements AutoCloseable {
      Held acquire() {
        return this;
      }

      @Override
      public void close() {}
    }

    final Held a = new Held();
    final Held b = new Held();

    int twoBlocks() {
      int n = 0;
      try (Held h = a.acquire()) {
        n++;
      }
      try (Held h = b.acquire()) {
        n += 2;
      }
      return n;
    }

    int blockThenCatch() {
      int n = 0;
      try (Held h = a.acquire()) {
        n++;
      }
      try {
        n += b.hashCode();
      } catch (RuntimeException e) {
        n--;
      }
      return n;
    }
  }

  @Test
  void aResourceLocalFromACallIsNamedByTheLocalWithoutAnalysingTheMethod() throws Exception {
    assertResourceNamedWithoutAnalysis("twoBlocks");
    assertResourceNamedWithoutAnalysis("blockThenCatch"); // the catch variable takes the resource's slot
  }

  private static void assertResourceNamedWithoutAnalysis(String method) throws Exception {
    ClassNode cls = new ClassNode();
    String resource = Resources.class.getName().replace('.', '/') + ".class";
    try (InputStream in = ReceiverNamerTest.class.getClassLoader().getResourceAsStream(resource)) {
      new ClassReader(in).accept(cls, 0);
    }
    MethodNode m = cls.methods.stream().filter(x -> x.name.equals(method)).findFirst().orElseThrow();
    ReceiverNamer namer = new ReceiverNamer(cls, m);
    int closes = 0;
    for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).name.equals("close")) {
        assertThat(namer.receiverOf(insn, 0)).isEqualTo("ReceiverNamerTest$Resources." + method + ":h");
        closes++;
      }
    }
    assertThat(closes).as("close() calls on the normal and the exceptional paths").isGreaterThanOrEqualTo(2);
    AbstractInsnNode store = firstCall(m, "acquire").getNext();
    while (store.getOpcode() < 0) {
      store = store.getNext(); // a label or a line number before the store of the resource
    }
    assertThat(new LocalWrites(m).all(((org.objectweb.asm.tree.VarInsnNode) store).var))
        .as("the resource's slot is written more than once").hasSizeGreaterThan(1);
    assertThat(namer.analysed()).as("no write of the slot can name it: no analysis").isFalse();
  }

  private static AbstractInsnNode firstCall(MethodNode m, String name) {
    for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).name.equals(name)) {
        return insn;
      }
    }
    throw new AssertionError("no call of " + name);
  }

  private static String receiverIn(String method, boolean debugInfo) throws IOException {
    ClassNode cls = new ClassNode();
    String resource = PriceCache.class.getName().replace('.', '/') + ".class";
    try (InputStream in = ReceiverNamerTest.class.getClassLoader().getResourceAsStream(resource)) {
      new ClassReader(in).accept(cls, 0);
    }
    for (MethodNode m : cls.methods) {
      if (!m.name.equals(method)) {
        continue;
      }
      if (!debugInfo) {
        m.localVariables = null; // as compiled without -g
      }
      for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
        if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).owner
            .equals("java/util/concurrent/CountDownLatch") && !((MethodInsnNode) insn).name.equals("<init>")) {
          return new ReceiverNamer(cls, m).receiverOf(insn, 0);
        }
      }
    }
    throw new AssertionError("no latch call in " + method);
  }

  @Test
  void aFieldReadIntoALocalIsNamedByTheFieldAtEverySiteWithAndWithoutDebugInfo() throws Exception {
    String field = "ReceiverNamerTest$PriceCache.skuWarmup";
    for (boolean g : new boolean[] {true, false}) {
      assertThat(receiverIn("apply", g)).as("-g %s", g).isEqualTo(field);
      assertThat(receiverIn("awaitWarm", g)).as("-g %s", g).isEqualTo(field);
      assertThat(receiverIn("direct", g)).as("-g %s", g).isEqualTo(field);
    }
  }

  @Test
  void aLocalAllocatedInTheMethodIsNamedByItsAllocationSite() throws Exception {
    assertThat(receiverIn("allocated", false))
        .matches("CountDownLatch@ReceiverNamerTest\\$PriceCache\\.allocated:\\d+");
  }

  @Test
  void aLocalFromTwoFieldsKeepsItsLocalNameOnlyWithDebugInfo() throws Exception {
    assertThat(receiverIn("eitherField", true)).isEqualTo("ReceiverNamerTest$PriceCache.eitherField:l");
    assertThat(receiverIn("eitherField", false)).isNull();
  }

  @Test
  void aPerKeyGuardFromACollectionFieldIsNamedAfterTheCollection() throws Exception {
    for (boolean g : new boolean[] {true, false}) {
      assertThat(receiverIn("perKey", g)).as("-g %s", g).isEqualTo("ReceiverNamerTest$PriceCache.warmups[]");
      assertThat(receiverIn("perKeyLocal", g)).as("-g %s", g).isEqualTo("ReceiverNamerTest$PriceCache.warmups[]");
    }
  }
}
