package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Call sites on an application's own queue and executor types are recognised from the supertypes
 * in their class files, through any depth of application classes and interfaces, as Byte Buddy's
 * type pool recognised them; what cannot be read is never taken for a queue.
 */
class ClassHeaderResolverTest {
  private static final String QUEUE = "java/util/Queue";
  private static final String EXECUTOR = "java/util/concurrent/Executor";

  abstract static class BaseQueue<E> extends AbstractQueue<E> {
  }

  static final class AppQueue<E> extends BaseQueue<E> {
    @Override
    public Iterator<E> iterator() {
      return List.<E>of().iterator();
    }

    @Override
    public int size() {
      return 0;
    }

    @Override
    public boolean offer(E e) {
      return false;
    }

    @Override
    public E poll() {
      return null;
    }

    @Override
    public E peek() {
      return null;
    }
  }

  interface AppExecutor extends Executor {
  }

  abstract static class Marker implements Runnable {
  }

  abstract static class AppExecutorImpl extends Marker implements AppExecutor {
  }

  abstract static class AppBlockingQueue<E> implements BlockingQueue<E> {
  }

  static final class Plain {
  }

  private static String internal(Class<?> c) {
    return c.getName().replace('.', '/');
  }

  private static TypeResolver resolver() {
    return new ClassHeaderResolver(ClassBytes.of(ClassHeaderResolverTest.class.getClassLoader()));
  }

  @Test
  void anApplicationQueueIsAQueueThroughItsApplicationSuperclass() {
    TypeResolver types = resolver();
    assertThat(types.isAssignable(internal(AppQueue.class), QUEUE)).isTrue();
    assertThat(types.isAssignable(internal(BaseQueue.class), QUEUE)).isTrue();
    assertThat(types.isAssignable(internal(AppQueue.class), EXECUTOR)).isFalse();
  }

  @Test
  void anExecutorIsFoundThroughAnApplicationInterfaceBehindASuperclass() {
    TypeResolver types = resolver();
    assertThat(types.isAssignable(internal(AppExecutorImpl.class), EXECUTOR)).isTrue();
    assertThat(types.isAssignable(internal(AppExecutor.class), EXECUTOR)).isTrue();
    assertThat(types.isAssignable(internal(AppExecutorImpl.class), QUEUE)).isFalse();
  }

  @Test
  void aJdkSubinterfaceAnswersThroughThePlatformLoader() {
    TypeResolver types = resolver();
    assertThat(types.isAssignable(internal(AppBlockingQueue.class), QUEUE)).isTrue();
    assertThat(types.isAssignable(internal(AppBlockingQueue.class), "java/util/concurrent/BlockingQueue")).isTrue();
  }

  @Test
  void jdkTypesAnswerFromTheirClassFiles() {
    TypeResolver types = resolver();
    assertThat(types.isAssignable("java/util/concurrent/DelayQueue", QUEUE)).isTrue();
    assertThat(types.isAssignable("java/util/concurrent/ScheduledThreadPoolExecutor", EXECUTOR)).isTrue();
    assertThat(types.isAssignable("java/util/concurrent/ScheduledThreadPoolExecutor", QUEUE)).isFalse();
    assertThat(types.isAssignable("java/lang/String", QUEUE)).isFalse();
    assertThat(types.isAssignable("javax/nowhere/Missing", QUEUE)).isFalse();
  }

  /** A class loaded while a transformer runs is not transformed: answering must load nothing. */
  @Test
  void answeringLoadsNoClass() throws Exception {
    Map<String, byte[]> files = new java.util.HashMap<>();
    for (Class<?> c : List.of(AppQueue.class, BaseQueue.class)) {
      files.put(internal(c), ClassBytes.of(getClass().getClassLoader()).read(internal(c)));
    }
    WatchingLoader loader = new WatchingLoader(files);
    ClassHeaderResolver headers = new ClassHeaderResolver(ClassBytes.of(loader)); // its resources: the same files
    assertThat(headers.isAssignable(internal(AppQueue.class), QUEUE)).isTrue();
    assertThat(loader.loaded(AppQueue.class.getName())).isFalse();
    assertThat(loader.loaded(BaseQueue.class.getName())).isFalse();
    loader.loadClass(AppQueue.class.getName());
    assertThat(loader.loaded(BaseQueue.class.getName())).as("the check above can see a load").isTrue();
  }

  /** Defines the given classes itself and says which it has loaded. */
  private static final class WatchingLoader extends ClassLoader {
    private final Map<String, byte[]> files;

    WatchingLoader(Map<String, byte[]> files) {
      super(ClassHeaderResolverTest.class.getClassLoader());
      this.files = files;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        byte[] b = files.get(name.replace('.', '/'));
        if (b == null) {
          return super.loadClass(name, resolve);
        }
        Class<?> c = findLoadedClass(name);
        return c != null ? c : defineClass(name, b, 0, b.length);
      }
    }

    boolean loaded(String name) {
      return findLoadedClass(name) != null;
    }
  }

  @Test
  void aPlainClassAndAMissingClassAreNeitherQueueNorExecutor() {
    TypeResolver types = resolver();
    assertThat(types.isAssignable(internal(Plain.class), QUEUE)).isFalse();
    assertThat(types.isAssignable(internal(Plain.class), EXECUTOR)).isFalse();
    assertThat(types.isAssignable("com/nowhere/Missing", QUEUE)).isFalse();
  }

  @Test
  void theClassBeingTransformedIsKnownFromItsHeaderWithoutAClassFile() {
    ClassHeaderResolver headers = new ClassHeaderResolver(name -> null);
    assertThat(headers.isAssignable("gen/Generated", QUEUE)).isFalse();
    headers.know("gen/Generated", "java/util/concurrent/ArrayBlockingQueue", List.of());
    assertThat(headers.isAssignable("gen/Generated", QUEUE)).as("known now, not cached as missing").isTrue();
    headers.know("gen/Task", "java/lang/Object", List.of(EXECUTOR));
    assertThat(headers.isAssignable("gen/Task", EXECUTOR)).isTrue();
  }

  @Test
  void cyclicAndGarbageClassFilesAreAnsweredFalseWithoutFailing() {
    Map<String, byte[]> files = Map.of(
        "a/A", header("a/A", "a/B"),
        "a/B", header("a/B", "a/A"),
        "a/Junk", new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2, 3});
    ClassHeaderResolver headers = new ClassHeaderResolver(files::get);
    assertThat(headers.isAssignable("a/A", QUEUE)).isFalse();
    assertThat(headers.isAssignable("a/Junk", QUEUE)).isFalse();
  }

  @Test
  void theResolverDoesNotKeepItsClassLoaderAlive() {
    URLClassLoader loader = new URLClassLoader(new URL[0], null);
    WeakReference<ClassLoader> ref = new WeakReference<>(loader);
    ClassHeaderResolver headers = new ClassHeaderResolver(ClassBytes.of(loader));
    assertThat(headers.isAssignable("x/Missing", QUEUE)).isFalse();
    loader = null; // the only strong reference left would be the resolver's
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      System.gc();
      return ref.get() == null;
    });
    assertThat(headers.isAssignable("x/Other", QUEUE)).as("a collected loader knows no classes").isFalse();
  }

  @Test
  void aClassFileOfANewerJdkThanAsmKnowsIsStillRead() {
    byte[] future = header("f/FutureQueue", "java/util/concurrent/ArrayBlockingQueue");
    future[6] = 0;
    future[7] = 99; // Java 55, some day
    ClassHeaderResolver headers = new ClassHeaderResolver(Map.of("f/FutureQueue", future)::get);
    assertThat(headers.isAssignable("f/FutureQueue", QUEUE)).isTrue();
  }

  private static byte[] header(String name, String superName) {
    ClassWriter w = new ClassWriter(0);
    w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, superName, null);
    w.visitEnd();
    return w.toByteArray();
  }
}
