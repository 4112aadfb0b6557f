package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The type advice woven into real libraries' classes passes the JVM's verifier: every class of
 * Guava, Jetty's util and Commons Pool2 that declares a method the weaver advises (whether or not
 * it is a queue or executor: more shapes of code) is woven, defined by a loader of its own and
 * initialised, which makes the JVM verify it. A class whose own static initialiser fails there (it
 * runs outside its library's setup) still was verified first.
 */
class TypeAdviceWeaverLibrariesTest {
  @Test
  void wovenLibraryClassesVerify() throws Exception {
    List<String> rejected = new ArrayList<>();
    int woven = 0;
    for (Class<?> inJar : List.of(com.google.common.util.concurrent.MoreExecutors.class,
        org.eclipse.jetty.util.thread.QueuedThreadPool.class, org.apache.commons.pool2.impl.GenericObjectPool.class)) {
      Path jar = Paths.get(inJar.getProtectionDomain().getCodeSource().getLocation().toURI());
      try (JarFile file = new JarFile(jar.toFile())) {
        for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
          JarEntry entry = e.nextElement();
          if (!entry.getName().endsWith(".class") || entry.getName().contains("-info")
              || entry.getName().startsWith("META-INF/")) {
            continue;
          }
          ClassNode cls = new ClassNode();
          try (InputStream in = file.getInputStream(entry)) {
            new ClassReader(in).accept(cls, ClassReader.EXPAND_FRAMES);
          }
          if ((cls.access & Opcodes.ACC_INTERFACE) != 0 || !advisesAny(cls)) {
            continue;
          }
          TypeAdviceWeaver.weave(cls, true, true);
          ClassWriter w = new ClassWriter(0);
          cls.accept(w);
          woven++;
          String name = cls.name.replace('/', '.');
          try {
            Class.forName(name, true, loaderDefining(name, w.toByteArray()));
          } catch (VerifyError | ClassFormatError bad) {
            rejected.add(name + ": " + bad);
          } catch (LinkageError | RuntimeException other) {
            // verified, then failed in its static initialiser or a resolution outside its library's setup
          }
        }
      }
    }
    System.out.printf("TypeAdviceWeaverLibrariesTest: %d classes woven and loaded%n", woven);
    assertThat(woven).as("library classes with advised methods").isGreaterThan(100);
    assertThat(rejected).as("woven classes the JVM rejected").isEmpty();
  }

  private static boolean advisesAny(ClassNode cls) {
    for (MethodNode m : cls.methods) {
      if (AdvisedMethod.of(m) != null) {
        return true;
      }
    }
    return false;
  }

  /** A loader that defines {@code name} from {@code bytes} and asks its parent for everything else. */
  private static ClassLoader loaderDefining(String name, byte[] bytes) {
    return new ClassLoader(TypeAdviceWeaverLibrariesTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
        if (!n.equals(name)) {
          return super.loadClass(n, resolve);
        }
        synchronized (getClassLoadingLock(n)) {
          Class<?> c = findLoadedClass(n);
          return c != null ? c : defineClass(n, bytes, 0, bytes.length);
        }
      }
    };
  }
}
