package dev.racetrace.agent.instrument;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Finds lock wrappers at instrumentation time: small methods whose only job is to lock or unlock a
 * {@code Lock} held in a field of their own class, such as Jetty's {@code AutoLock.lock()} and
 * {@code close()}. racetrace records their acquire/release at the caller's call site (where the
 * lock is used) instead of inside the wrapper (where every use looks the same), so the hot path
 * never walks the stack: the decision is made once per call site, when its class is transformed.
 *
 * <p>A wrapper method: no loop, at most {@link #MAX_INSNS} instructions, exactly one call to
 * {@code lock()}, {@code lockInterruptibly()} or {@code unlock()} on {@code this.<field>} of a Lock
 * type, no other call but no-argument calls on {@code this} (a guard such as
 * {@code isHeldByCurrentThread()}); or a method that just returns {@code super.m()} of such a wrapper
 * (Jetty's {@code AutoLock.WithCondition.lock()}).
 */
final class LockWrappers {
  /** What a call to a method does to the wrapped lock. */
  enum Kind { NONE, LOCK, UNLOCK }

  static final int MAX_INSNS = 16;
  private static final String LOCK = "java/util/concurrent/locks/Lock";

  private final ClassBytes bytes;
  private final TypeResolver types;
  private final java.util.function.Predicate<String> instrumented;
  /** Owners read so far (one entry per class of the enabled packages that calls reach). */
  private final Map<String, Owner> owners = new ConcurrentHashMap<>();

  /**
   * @param instrumented whether a class (internal name) is in the enabled packages: only the
   *     wrappers racetrace would instrument are recorded at their callers
   */
  LockWrappers(ClassBytes bytes, TypeResolver types, java.util.function.Predicate<String> instrumented) {
    this.bytes = bytes;
    this.types = types;
    this.instrumented = instrumented;
  }

  /** What calling {@code owner.name desc} does, from the owner's no-argument methods (read once). */
  Kind kindOf(String owner, String name, String desc) {
    if (!desc.startsWith("()") || owner.startsWith("[") || !instrumented.test(owner)) {
      return Kind.NONE;
    }
    return resolve(owner, name + desc, 0);
  }

  private Kind resolve(String owner, String method, int depth) {
    Owner o = owner(owner);
    if (o == null) {
      return Kind.NONE;
    }
    NoArgMethod m = o.methods.get(method);
    if (m != null) {
      if (m.kind == Kind.NONE && m.superOwner != null && depth < 3) {
        return resolve(m.superOwner, m.superMethod, depth + 1);
      }
      return m.kind;
    }
    // inherited (try-with-resources on a subclass calls Sub.close()): the superclass declares it
    if (depth < 3 && o.superName != null && !o.superName.startsWith("java/") && instrumented.test(o.superName)) {
      return resolve(o.superName, method, depth + 1);
    }
    return Kind.NONE;
  }

  /**
   * What an owner's no-argument methods do, read from its class file once: a class whose methods
   * an application calls hundreds of times (Jetty's) is parsed once, not once per method.
   */
  private Owner owner(String internalName) {
    Owner o = owners.get(internalName);
    if (o != null) {
      return o == Owner.UNREADABLE ? null : o;
    }
    o = readOwner(internalName); // not in computeIfAbsent: no class-file read under the map's bin lock
    owners.putIfAbsent(internalName, o);
    return o == Owner.UNREADABLE ? null : o;
  }

  private Owner readOwner(String internalName) {
    byte[] b = bytes.read(internalName);
    if (b == null) {
      return Owner.UNREADABLE;
    }
    ClassNode cls = new ClassNode(Opcodes.ASM9);
    try {
      new ClassReader(b).accept(new NoArgMethodsOnly(cls), ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    } catch (RuntimeException e) {
      return Owner.UNREADABLE;
    }
    Map<String, NoArgMethod> methods = new HashMap<>();
    for (MethodNode m : cls.methods) { // only the no-argument ones were read
      Kind k = kindOf(cls, m);
      MethodInsnNode sup = k == Kind.NONE ? superDelegate(m) : null;
      methods.put(m.name + m.desc, sup == null ? new NoArgMethod(k, null, null)
          : new NoArgMethod(k, sup.owner, sup.name + sup.desc));
    }
    return new Owner(cls.superName, methods);
  }

  /**
   * Passes on only the no-argument methods (the only ones that can be wrappers or super delegates):
   * the code of the others is never parsed. Library classes asked about are read whole otherwise.
   */
  private static final class NoArgMethodsOnly extends ClassVisitor {
    NoArgMethodsOnly(ClassNode cls) {
      super(Opcodes.ASM9, cls);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
        String[] exceptions) {
      return descriptor.startsWith("()") ? super.visitMethod(access, name, descriptor, signature, exceptions) : null;
    }
  }

  /** An owner's no-argument methods by name + descriptor, and its superclass. */
  private static final class Owner {
    static final Owner UNREADABLE = new Owner(null, Map.of());

    final String superName;
    final Map<String, NoArgMethod> methods;

    Owner(String superName, Map<String, NoArgMethod> methods) {
      this.superName = superName;
      this.methods = methods;
    }
  }

  /**
   * A no-argument method: what it does to a lock, or the super method (owner, name + descriptor)
   * it only returns. Names only: no node of the parsed class is kept.
   */
  private static final class NoArgMethod {
    final Kind kind;
    final String superOwner;
    final String superMethod;

    NoArgMethod(Kind kind, String superOwner, String superMethod) {
      this.kind = kind;
      this.superOwner = superOwner;
      this.superMethod = superMethod;
    }
  }

  /** Whether this method of {@code cls} is itself a wrapper (of an instrumented class), and of which kind. */
  Kind kindOf(ClassNode cls, MethodNode m) {
    if (!instrumented.test(cls.name) || (m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0
        || m.instructions.size() == 0 || !m.desc.startsWith("()") || m.tryCatchBlocks.size() > 0) {
      return Kind.NONE;
    }
    Kind kind = Kind.NONE;
    int real = 0;
    for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      if (insn.getOpcode() < 0) {
        continue; // labels, line numbers, frames
      }
      if (++real > MAX_INSNS) {
        return Kind.NONE;
      }
      if (insn instanceof JumpInsnNode && m.instructions.indexOf(((JumpInsnNode) insn).label) < m.instructions.indexOf(insn)) {
        return Kind.NONE; // a loop
      }
      if (insn instanceof MethodInsnNode) {
        MethodInsnNode call = (MethodInsnNode) insn;
        Kind k = lockCall(cls, call);
        if (k != Kind.NONE) {
          if (kind != Kind.NONE) {
            return Kind.NONE; // two lock calls: more than a wrapper
          }
          kind = k;
        } else if (!isGuardOnThis(cls, call)) {
          return Kind.NONE;
        }
      }
    }
    return kind;
  }

  /** lock/lockInterruptibly/unlock on a Lock read from a field of this class. */
  private Kind lockCall(ClassNode cls, MethodInsnNode call) {
    AbstractInsnNode prev = previous(call);
    if (!call.desc.equals("()V") || !(prev instanceof FieldInsnNode)) {
      return Kind.NONE;
    }
    FieldInsnNode field = (FieldInsnNode) prev;
    AbstractInsnNode load = previous(field);
    if (field.getOpcode() != Opcodes.GETFIELD || !field.owner.equals(cls.name)
        || load == null || load.getOpcode() != Opcodes.ALOAD) {
      return Kind.NONE;
    }
    if (!types.isAssignable(call.owner, LOCK)) {
      return Kind.NONE;
    }
    switch (call.name) {
      case "lock":
      case "lockInterruptibly":
        return Kind.LOCK;
      case "unlock":
        return Kind.UNLOCK;
      default:
        return Kind.NONE;
    }
  }

  /** A no-argument query on {@code this} (e.g. {@code isHeldByCurrentThread()}) or on a field's Lock. */
  private boolean isGuardOnThis(ClassNode cls, MethodInsnNode call) {
    return call.desc.startsWith("()") && Type.getReturnType(call.desc).getSort() == Type.BOOLEAN
        && !call.name.startsWith("tryLock")
        && (call.owner.equals(cls.name) || call.owner.startsWith("java/util/concurrent/locks/"));
  }

  /** The previous real instruction (labels, line numbers and frames skipped), or null. */
  private static AbstractInsnNode previous(AbstractInsnNode insn) {
    AbstractInsnNode p = insn.getPrevious();
    while (p != null && p.getOpcode() < 0) {
      p = p.getPrevious();
    }
    return p;
  }

  /** {@code return (T) super.m();}: the super call, or null. */
  private static MethodInsnNode superDelegate(MethodNode m) {
    MethodInsnNode call = null;
    for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      int op = insn.getOpcode();
      if (op < 0 || op == Opcodes.ALOAD || op == Opcodes.CHECKCAST || op == Opcodes.ARETURN || op == Opcodes.RETURN) {
        continue;
      }
      if (op == Opcodes.INVOKESPECIAL && call == null && ((MethodInsnNode) insn).desc.startsWith("()")) {
        call = (MethodInsnNode) insn;
        continue;
      }
      return null;
    }
    return call;
  }

}
