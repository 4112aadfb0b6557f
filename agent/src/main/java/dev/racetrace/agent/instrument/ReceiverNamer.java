package dev.racetrace.agent.instrument;

import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Names the receiver of a call after the field or local variable it was read from, so that spans
 * say {@code Node.workQueue} instead of {@code LinkedBlockingQueue@1b6d3586}. Runs ASM's
 * source-value analysis once per method, only for methods that contain an instrumented call.
 */
final class ReceiverNamer {
  private final ClassNode owner;
  private final MethodNode method;
  private Frame<SourceValue>[] frames;
  private boolean failed;

  ReceiverNamer(ClassNode owner, MethodNode method) {
    this.owner = owner;
    this.method = method;
  }

  /**
   * @param call the instrumented call
   * @param argumentCount its argument count (the receiver sits just below them on the stack)
   * @return e.g. {@code Node.workQueue}, {@code Worker.run:q}, or null when unknown
   */
  String receiverOf(AbstractInsnNode call, int argumentCount) {
    Frame<SourceValue> frame = frameAt(call);
    if (frame == null) {
      return null;
    }
    int index = frame.getStackSize() - argumentCount - 1;
    if (index < 0) {
      return null;
    }
    SourceValue value = frame.getStack(index);
    if (value.insns.size() != 1) {
      return null;
    }
    return describe(uncast(value.insns.iterator().next()));
  }

  /**
   * Whether this {@code <init>} call initializes an object made by {@code new} in this method and
   * duplicated (javac's {@code new T; dup; ...; invokespecial T.<init>}), so that the object is
   * left on top of the stack after the call; false for super and this constructor calls.
   */
  boolean initializesNew(MethodInsnNode init) {
    Frame<SourceValue> frame = frameAt(init);
    if (frame == null) {
      return false;
    }
    int index = frame.getStackSize() - Type.getArgumentTypes(init.desc).length - 1;
    if (index < 1) {
      return false;
    }
    // both the receiver and the value below it come from the one dup (ASM's source values name
    // the dup for both copies), and the dup copied the new object
    AbstractInsnNode dup = single(frame.getStack(index));
    if (dup == null || dup.getOpcode() != Opcodes.DUP || single(frame.getStack(index - 1)) != dup) {
      return false;
    }
    Frame<SourceValue> atDup = frameAt(dup);
    if (atDup == null || atDup.getStackSize() == 0) {
      return false;
    }
    AbstractInsnNode made = single(atDup.getStack(atDup.getStackSize() - 1));
    return made != null && made.getOpcode() == Opcodes.NEW && ((TypeInsnNode) made).desc.equals(init.owner);
  }

  private static AbstractInsnNode single(SourceValue value) {
    return value.insns.size() == 1 ? value.insns.iterator().next() : null;
  }

  /** {@code (CountDownLatch) map.get(k)}: the value the cast was applied to. */
  private AbstractInsnNode uncast(AbstractInsnNode insn) {
    if (insn.getOpcode() != Opcodes.CHECKCAST) {
      return insn;
    }
    Frame<SourceValue> frame = frameAt(insn);
    if (frame == null || frame.getStackSize() == 0) {
      return insn;
    }
    SourceValue operand = frame.getStack(frame.getStackSize() - 1);
    return operand.insns.size() == 1 ? uncast(operand.insns.iterator().next()) : insn;
  }

  private Frame<SourceValue> frameAt(AbstractInsnNode insn) {
    if (failed) {
      return null;
    }
    if (frames == null) {
      try {
        frames = new Analyzer<>(new SourceInterpreter()).analyze(owner.name, method);
      } catch (AnalyzerException | RuntimeException e) {
        failed = true;
        return null;
      }
    }
    int i = method.instructions.indexOf(insn);
    return i >= 0 && i < frames.length ? frames[i] : null;
  }

  private String describe(AbstractInsnNode source) {
    switch (source.getOpcode()) {
      case Opcodes.GETFIELD:
      case Opcodes.GETSTATIC: {
        FieldInsnNode f = (FieldInsnNode) source;
        return simpleName(f.owner) + "." + f.name;
      }
      case Opcodes.ALOAD: {
        int var = ((VarInsnNode) source).var;
        if (var == 0 && (method.access & Opcodes.ACC_STATIC) == 0) {
          return simpleName(owner.name);
        }
        String stored = storedFrom(source, var);
        if (stored != null) {
          return stored;
        }
        String local = localName(var, method.instructions.indexOf(source));
        return local == null ? null : simpleName(owner.name) + "." + sourceMethodName(method.name) + ":" + local;
      }
      case Opcodes.INVOKEVIRTUAL:
      case Opcodes.INVOKEINTERFACE:
      case Opcodes.INVOKESTATIC: {
        MethodInsnNode m = (MethodInsnNode) source;
        if (m.desc.startsWith("()")) {
          return simpleName(m.owner) + "." + m.name + "()";
        }
        return elementOf(m);
      }
      default:
        return null;
    }
  }

  /**
   * What a local was assigned from, when every store reaching this load agrees: a field
   * ({@code PriceCache.warmup}, so the same object has the same name in every method and without
   * {@code -g}) or an allocation in this method ({@code CountDownLatch@PriceCache.apply:42}).
   */
  private String storedFrom(AbstractInsnNode load, int var) {
    Frame<SourceValue> frame = frameAt(load);
    if (frame == null || var >= frame.getLocals()) {
      return null;
    }
    SourceValue local = frame.getLocal(var);
    String name = null;
    for (AbstractInsnNode store : local.insns) {
      if (store.getOpcode() != Opcodes.ASTORE) {
        return null; // a parameter or something else: no single source
      }
      Frame<SourceValue> at = frameAt(store);
      if (at == null || at.getStackSize() == 0) {
        return null;
      }
      SourceValue value = at.getStack(at.getStackSize() - 1);
      if (value.insns.size() != 1) {
        return null;
      }
      AbstractInsnNode from = uncast(value.insns.iterator().next());
      if (from.getOpcode() == Opcodes.DUP && from.getPrevious() != null
          && from.getPrevious().getOpcode() == Opcodes.NEW) {
        from = from.getPrevious(); // new T; dup; <init>: the object is the NEW's
      }
      String n;
      if (from.getOpcode() == Opcodes.GETFIELD || from.getOpcode() == Opcodes.GETSTATIC) {
        FieldInsnNode f = (FieldInsnNode) from;
        n = simpleName(f.owner) + "." + f.name;
      } else if (from.getOpcode() == Opcodes.NEW) {
        n = simpleName(((TypeInsnNode) from).desc) + "@" + simpleName(owner.name) + "."
            + sourceMethodName(method.name) + ":" + lineOf(from);
      } else if (from instanceof MethodInsnNode) {
        n = elementOf((MethodInsnNode) from);
        if (n == null) {
          return null;
        }
      } else {
        return null;
      }
      if (name != null && !name.equals(n)) {
        return null;
      }
      name = n;
    }
    return name;
  }

  private static int lineOf(AbstractInsnNode insn) {
    for (AbstractInsnNode i = insn; i != null; i = i.getPrevious()) {
      if (i instanceof LineNumberNode) {
        return ((LineNumberNode) i).line;
      }
    }
    return -1;
  }

  /**
   * {@code this.warmups.get(key)} (or computeIfAbsent, getOrDefault, List.get, ...) on a field:
   * {@code PriceCache.warmups[]}, one of that collection's elements. One name for every key's
   * guard; {@code race.guard.object_id} still tells the objects apart.
   */
  private String elementOf(MethodInsnNode call) {
    if (call.getOpcode() == Opcodes.INVOKESTATIC || !ELEMENT_GETTERS.contains(call.name)
        || !call.owner.startsWith("java/util/")) {
      return null;
    }
    Frame<SourceValue> frame = frameAt(call);
    if (frame == null) {
      return null;
    }
    int index = frame.getStackSize() - Type.getArgumentTypes(call.desc).length - 1;
    if (index < 0) {
      return null;
    }
    SourceValue collection = frame.getStack(index);
    if (collection.insns.size() != 1) {
      return null;
    }
    AbstractInsnNode from = collection.insns.iterator().next();
    if (from.getOpcode() != Opcodes.GETFIELD && from.getOpcode() != Opcodes.GETSTATIC) {
      return null;
    }
    FieldInsnNode f = (FieldInsnNode) from;
    return simpleName(f.owner) + "." + f.name + "[]";
  }

  private static final Set<String> ELEMENT_GETTERS = Set.of("get",
      "getOrDefault", "computeIfAbsent", "compute", "computeIfPresent", "putIfAbsent", "remove");

  private String localName(int var, int insnIndex) {
    List<LocalVariableNode> locals = method.localVariables;
    if (locals == null) {
      return null;
    }
    for (LocalVariableNode l : locals) {
      if (l.index == var) {
        int start = method.instructions.indexOf(l.start);
        int end = method.instructions.indexOf(l.end);
        // the load may sit just before the range starts when the store is the previous instruction
        if (insnIndex >= start - 1 && insnIndex < end) {
          return l.name;
        }
      }
    }
    return null;
  }

  /** {@code lambda$main$1} is written in {@code main}: name it so. */
  static String sourceMethodName(String name) {
    if (name.startsWith("lambda$")) {
      int end = name.indexOf('$', 7);
      if (end > 7) {
        return name.substring(7, end);
      }
    }
    return name;
  }

  static String simpleName(String internalName) {
    String s = internalName.substring(internalName.lastIndexOf('/') + 1);
    return s;
  }
}
