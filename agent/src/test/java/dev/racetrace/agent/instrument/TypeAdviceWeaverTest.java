package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racetrace.agent.instrument.woven.TrickyQueue;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The woven type advice leaves what every advised method returns and throws exactly as it was, and
 * the class passes the JVM's verifier (it is loaded, with verification, from the woven bytes).
 * Recording is not started here, so the hooks only pass through; TypeAdviceIT checks what is
 * recorded.
 */
class TypeAdviceWeaverTest {
  private static final String NAME = TrickyQueue.class.getName();

  @Test
  void advisesTheDeclaredQueueAndExecutorMethodsOnly() throws Exception {
    ClassNode cls = read();
    List<String> advised = new ArrayList<>();
    for (MethodNode m : cls.methods) {
      if (AdvisedMethod.of(m) != null) {
        advised.add(m.name + m.desc);
      }
    }
    assertThat(advised).containsExactlyInAnyOrder("offer(Ljava/lang/Object;)Z",
        "offer(Ljava/lang/Object;JLjava/util/concurrent/TimeUnit;)Z", "offer(Ljava/lang/Object;Ljava/time/Duration;)Z",
        "poll()Ljava/lang/Object;", "poll(JLjava/util/concurrent/TimeUnit;)Ljava/lang/Object;",
        "execute(Ljava/lang/Runnable;)V");
    assertThat(TypeAdviceWeaver.weave(cls, true, true)).isEqualTo(6);
  }

  @Test
  void wovenMethodsReturnAndThrowWhatTheOriginalDoes() throws Throwable {
    Object woven = wovenClass().getConstructor(int.class).newInstance(2);
    Class<?> c = woven.getClass();
    assertThat(c).isNotEqualTo(TrickyQueue.class);

    assertThat(call(woven, "offer", new Class<?>[] {Object.class}, "a")).isEqualTo(true);
    assertThat(call(woven, "offer", new Class<?>[] {Object.class, long.class, TimeUnit.class}, "skip", 1L,
        TimeUnit.SECONDS)).isEqualTo(true);
    assertThat(call(woven, "offer", new Class<?>[] {Object.class}, "c")).isEqualTo(false); // full
    assertThat(call(woven, "offer", new Class<?>[] {Object.class, Duration.class}, "d", Duration.ofSeconds(-1)))
        .isEqualTo(false);
    assertThatThrownBy(() -> call(woven, "offer", new Class<?>[] {Object.class}, (Object) null))
        .isExactlyInstanceOf(NullPointerException.class).hasMessage("null element");
    assertThatThrownBy(() -> call(woven, "offer", new Class<?>[] {Object.class, long.class, TimeUnit.class}, null,
        1L, TimeUnit.SECONDS)).isExactlyInstanceOf(IllegalStateException.class).hasMessage("wrapped")
        .hasCauseExactlyInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> call(woven, "offer", new Class<?>[] {Object.class, long.class, TimeUnit.class}, "e",
        -1L, TimeUnit.SECONDS)).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("negative -1000000000");

    assertThat(call(woven, "poll", new Class<?>[0])).isEqualTo("a"); // "skip" is passed over in the loop
    assertThat(call(woven, "poll", new Class<?>[0])).isNull();
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> call(woven, "poll", new Class<?>[] {long.class, TimeUnit.class}, 1L, TimeUnit.SECONDS))
        .isExactlyInstanceOf(InterruptedException.class).hasMessage("interrupted before polling");
    assertThat(Thread.interrupted()).as("the interrupt was consumed by the method itself, not the advice").isFalse();

    int[] runs = new int[1];
    call(woven, "execute", new Class<?>[] {Runnable.class}, (Runnable) () -> runs[0]++);
    assertThat(runs[0]).isEqualTo(1);
    assertThat(c.getField("ran").getInt(woven)).isEqualTo(1);
    assertThatThrownBy(() -> call(woven, "execute", new Class<?>[] {Runnable.class}, (Runnable) null))
        .isExactlyInstanceOf(RejectedExecutionException.class).hasMessage("no task");
    RuntimeException boom = new IllegalStateException("task failed");
    assertThatThrownBy(() -> call(woven, "execute", new Class<?>[] {Runnable.class}, (Runnable) () -> {
      throw boom;
    })).isSameAs(boom);
  }

  private static Object call(Object target, String name, Class<?>[] types, Object... args) throws Throwable {
    Method m = target.getClass().getMethod(name, types);
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static ClassNode read() throws Exception {
    ClassNode cls = new ClassNode();
    try (InputStream in = TrickyQueue.class.getResourceAsStream("woven/TrickyQueue.class".substring(6))) {
      new ClassReader(in).accept(cls, ClassReader.EXPAND_FRAMES);
    }
    return cls;
  }

  /** TrickyQueue woven, defined by a loader of its own (so the JVM verifies it). */
  private static Class<?> wovenClass() throws Exception {
    ClassNode cls = read();
    TypeAdviceWeaver.weave(cls, true, true);
    ClassWriter w = new ClassWriter(0);
    cls.accept(w);
    byte[] bytes = w.toByteArray();
    ClassLoader loader = new ClassLoader(TypeAdviceWeaverTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.equals(NAME)) {
          synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            return c != null ? c : defineClass(name, bytes, 0, bytes.length);
          }
        }
        return super.loadClass(name, resolve);
      }
    };
    return Class.forName(NAME, true, loader);
  }
}
