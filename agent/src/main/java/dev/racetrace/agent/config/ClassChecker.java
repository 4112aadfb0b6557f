package dev.racetrace.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Checks at start-up, without loading any application class, that the classes and members named in
 * the guard settings exist and have a usable type: it reads their class files through the
 * system class loader with ASM. A problem is a {@link ConfigException} naming the key and value.
 */
public final class ClassChecker {
  private static final Set<String> NUMBER_TYPES = Set.of("Z", "B", "S", "I", "J", "F", "D",
      "Ljava/lang/Boolean;", "Ljava/lang/Byte;", "Ljava/lang/Short;", "Ljava/lang/Integer;",
      "Ljava/lang/Long;", "Ljava/lang/Float;", "Ljava/lang/Double;", "Ljava/lang/Number;",
      "Ljava/util/concurrent/atomic/AtomicInteger;", "Ljava/util/concurrent/atomic/AtomicLong;",
      "Ljava/util/concurrent/atomic/AtomicBoolean;", "Ljava/util/concurrent/atomic/LongAdder;");
  private static final Set<String> FLAG_TYPES = Set.of("Z", "I", "J");

  private final ClassLoader loader;

  public ClassChecker(ClassLoader loader) {
    this.loader = loader;
  }

  /** Checks every class and member named in {@code config}. */
  public void check(AgentConfig config) throws ConfigException {
    GuardConfig g = config.guards();
    String keysValue = config.get(ConfigKey.KEYS);
    for (MemberRef m : g.keys) {
      checkKey(keysValue, m);
    }
    for (String cls : g.ops.keySet()) {
      read(ConfigKey.OPS, config.get(ConfigKey.OPS), cls);
    }
    for (GuardConfig.Probe p : g.state) {
      checkProbe(config.get(ConfigKey.STATE), p.member);
    }
    for (MemberRef m : g.flags) {
      checkFlag(config.get(ConfigKey.GUARDS_FLAGS), m);
    }
    for (DelayConfig.Rule d : g.delays) {
      if (d.isSite()) {
        ClassNode c = read(ConfigKey.DELAY, config.get(ConfigKey.DELAY), d.className);
        if (c.methods.stream().noneMatch(x -> x.name.equals(d.method))) {
          throw new ConfigException(ConfigKey.DELAY.key(), config.get(ConfigKey.DELAY),
              d.className + " has no method '" + d.method + "'");
        }
      }
    }
    for (MemberRef m : g.guardMethods) {
      ClassNode c = read(ConfigKey.GUARDS_METHODS, config.get(ConfigKey.GUARDS_METHODS), m.className());
      if (c.methods.stream().noneMatch(x -> x.name.equals(m.member()) && (x.access & Opcodes.ACC_ABSTRACT) == 0)) {
        throw new ConfigException(ConfigKey.GUARDS_METHODS.key(), config.get(ConfigKey.GUARDS_METHODS),
            m.className() + " has no method '" + m.member() + "' with a body");
      }
    }
  }

  private void checkKey(String value, MemberRef m) throws ConfigException {
    for (ClassNode c = read(ConfigKey.KEYS, value, m.className()); c != null; c = superOf(c)) {
      for (FieldNode f : c.fields) {
        if (f.name.equals(m.member()) && (f.access & Opcodes.ACC_STATIC) == 0) {
          return;
        }
      }
      for (MethodNode x : c.methods) {
        if (x.name.equals(m.member()) && x.desc.startsWith("()") && !x.desc.equals("()V")
            && (x.access & Opcodes.ACC_STATIC) == 0) {
          return;
        }
      }
    }
    throw new ConfigException(ConfigKey.KEYS.key(), value,
        m.className() + " has no instance field or no-argument method '" + m.member() + "'");
  }

  private void checkProbe(String value, MemberRef m) throws ConfigException {
    ClassNode c = read(ConfigKey.STATE, value, m.className());
    for (FieldNode f : c.fields) {
      if (f.name.equals(m.member())) {
        requireStaticNumber(value, m, f.access, f.desc);
        return;
      }
    }
    for (MethodNode x : c.methods) {
      if (x.name.equals(m.member()) && x.desc.startsWith("()")) {
        requireStaticNumber(value, m, x.access, Type.getReturnType(x.desc).getDescriptor());
        return;
      }
    }
    throw new ConfigException(ConfigKey.STATE.key(), value,
        m.className() + " has no static field or no-argument static method '" + m.member() + "'");
  }

  private static void requireStaticNumber(String value, MemberRef m, int access, String type)
      throws ConfigException {
    if ((access & Opcodes.ACC_STATIC) == 0) {
      throw new ConfigException(ConfigKey.STATE.key(), value, m + " is not static");
    }
    if (!NUMBER_TYPES.contains(type)) {
      throw new ConfigException(ConfigKey.STATE.key(), value,
          m + " has type " + Type.getType(type).getClassName() + ", not a number or boolean");
    }
  }

  private void checkFlag(String value, MemberRef m) throws ConfigException {
    ClassNode c = read(ConfigKey.GUARDS_FLAGS, value, m.className());
    for (FieldNode f : c.fields) {
      if (f.name.equals(m.member())) {
        if (!FLAG_TYPES.contains(f.desc)) {
          throw new ConfigException(ConfigKey.GUARDS_FLAGS.key(), value,
              m + " has type " + Type.getType(f.desc).getClassName() + ", not boolean, int or long");
        }
        return;
      }
    }
    throw new ConfigException(ConfigKey.GUARDS_FLAGS.key(), value,
        m.className() + " has no field '" + m.member() + "'");
  }

  /**
   * Each include/exclude entry with what it matched here: {@code a.b.C (class)} when the class
   * file is on the class path, else {@code a.b (package)}. The filter applies both readings
   * anyway; this only tells the user which one their entry found.
   */
  public String describe(List<String> entries) {
    List<String> out = new ArrayList<>();
    for (String e : entries) {
      out.add(e + (loader.getResource(e.replace('.', '/') + ".class") != null ? " (class)" : " (package)"));
    }
    return String.join(",", out);
  }

  private ClassNode read(ConfigKey key, String value, String className) throws ConfigException {
    ClassNode c = readOrNull(className.replace('.', '/'));
    if (c == null) {
      throw new ConfigException(key.key(), value, "class " + className + " not found on the class path"
          + " (if it loads from another class loader, set racetrace.verify.classes=false)");
    }
    return c;
  }

  private ClassNode superOf(ClassNode c) {
    if (c.superName == null || c.superName.startsWith("java/")) {
      return null;
    }
    return readOrNull(c.superName);
  }

  private ClassNode readOrNull(String internalName) {
    try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
      if (in == null) {
        return null;
      }
      ClassNode node = new ClassNode(Opcodes.ASM9);
      new ClassReader(in).accept(node, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG);
      return node;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
