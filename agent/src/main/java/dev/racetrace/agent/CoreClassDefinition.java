package dev.racetrace.agent;

import dev.racetrace.agent.internal.AgentCoreJar;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import org.objectweb.asm.ClassReader;

/**
 * Defines agent-core's classes in the bootstrap class loader one by one, all at start, instead of
 * appending its jar to the boot class path: an appended boot class path makes the JVM print
 * "Sharing is only supported for boot loader classes because bootstrap classpath has been appended"
 * on the application's stderr and turns class-data sharing off for every other class loader.
 * The bootstrap loader finds a class it has defined by name like one it read from a jar, so
 * instrumented classes of any loader, and the application's calls to the public API, reach the one
 * recorder as before.
 *
 * <p>The definition goes through {@link BootDefiner} in a class loader of its own, the one module
 * {@code java.base} exports {@code jdk.internal.misc} to. A JVM where that cannot be done (no such
 * Unsafe method, an unmodifiable {@code java.base}) gets the appended jar ({@link BootstrapJar}).
 */
final class CoreClassDefinition {
  private static final String DEFINER = BootDefiner.class.getName();

  private CoreClassDefinition() {}

  /**
   * Defines every class of agent-core in the bootstrap class loader, each after its superclass and
   * interfaces (the JVM resolves those while defining it).
   *
   * @throws Exception anything that stopped it; classes already defined stay defined
   */
  static void defineAll(Instrumentation inst) throws Exception {
    defineInOrder(coreClasses(), isolatedDefiner(inst));
  }

  /** Hands every class of {@code classes} to {@code definer} once, after its supertypes among them. */
  static void defineInOrder(Map<String, byte[]> classes, BiFunction<String, byte[], Class<?>> definer) {
    Set<String> defined = new HashSet<>();
    for (String name : classes.keySet()) {
      define(name, classes, definer, defined);
    }
  }

  private static void define(String name, Map<String, byte[]> classes,
      BiFunction<String, byte[], Class<?>> definer, Set<String> defined) {
    byte[] bytes = classes.get(name);
    if (bytes == null || !defined.add(name)) {
      return; // a JDK type, or done
    }
    ClassReader header = new ClassReader(bytes);
    if (header.getSuperName() != null) {
      define(header.getSuperName().replace('/', '.'), classes, definer, defined);
    }
    for (String type : header.getInterfaces()) {
      define(type.replace('/', '.'), classes, definer, defined);
    }
    definer.apply(name, bytes);
  }

  /** agent-core's classes by binary name, read from the jar nested in the agent jar. */
  static Map<String, byte[]> coreClasses() throws IOException {
    Map<String, byte[]> classes = new TreeMap<>(); // a fixed order: the same at every start
    try (InputStream nested = AgentCoreJar.class.getResourceAsStream(AgentCoreJar.RESOURCE)) {
      if (nested == null) {
        throw new IOException("resource " + AgentCoreJar.RESOURCE + " missing from the agent jar");
      }
      JarInputStream jar = new JarInputStream(nested);
      for (JarEntry e; (e = jar.getNextJarEntry()) != null; ) {
        String path = e.getName();
        if (path.endsWith(".class") && !path.startsWith("META-INF/") && !path.endsWith("module-info.class")) {
          classes.put(path.substring(0, path.length() - ".class".length()).replace('/', '.'), jar.readAllBytes());
        }
      }
    }
    return classes;
  }

  /** A {@link BootDefiner} loaded by a loader of its own, whose module alone gets jdk.internal.misc. */
  @SuppressWarnings("unchecked")
  private static BiFunction<String, byte[], Class<?>> isolatedDefiner(Instrumentation inst) throws Exception {
    Module javaBase = Object.class.getModule();
    if (!inst.isModifiableModule(javaBase)) {
      throw new IllegalStateException("java.base cannot be modified on this JVM");
    }
    OneClassLoader loader = new OneClassLoader();
    Class<?> type = loader.define(DEFINER, classBytes(DEFINER));
    inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc", Set.of(loader.getUnnamedModule())),
        Map.of(), Set.of(), Map.of());
    return (BiFunction<String, byte[], Class<?>>) type.getConstructor().newInstance();
  }

  private static byte[] classBytes(String name) throws IOException {
    String path = "/" + name.replace('.', '/') + ".class";
    try (InputStream in = CoreClassDefinition.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("resource " + path + " missing from the agent jar");
      }
      return in.readAllBytes();
    }
  }

  /** Holds the one class it is given; everything else it asks the bootstrap loader for. */
  private static final class OneClassLoader extends ClassLoader {
    OneClassLoader() {
      super("racetrace-boot-definer", null);
    }

    Class<?> define(String name, byte[] bytes) {
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}
