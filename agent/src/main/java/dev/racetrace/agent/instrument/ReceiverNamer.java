package dev.racetrace.agent.instrument;

import java.util.Collection;
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
 * source-value analysis once per method, only for methods that contain an instrumented call, and
 * only when the answer is not plain from the straight-line code before the call
 * ({@link StraightLineSource}: a field, {@code this}, or a local stored once in the method).
 *
 * <p>Somewhat over 300 lines: each way a receiver is named (field, local and what was stored in
 * it, array element, method result, new object) reads the same frames of the one analysis, and
 * splitting them would hand those frames around.
 */
final class ReceiverNamer {
  private final ClassNode owner;
  private final MethodNode method;
  private final boolean straightLine;
  private Frame<SourceValue>[] frames;
  private boolean failed;
  /** Which instructions write each local, indexed on first use. */
  private LocalWrites writes;
  private NamelessLocals nameless;

  ReceiverNamer(ClassNode owner, MethodNode method) {
    this(owner, method, true);
  }

  /** @param straightLine false: every answer from the analysis (a test compares the two ways) */
  ReceiverNamer(ClassNode owner, MethodNode method, boolean straightLine) {
    this.owner = owner;
    this.method = method;
    this.straightLine = straightLine;
  }

  /** Whether the source-value analysis of the method was run. */
  boolean analysed() {
    return frames != null || failed;
  }

  /**
   * @param call the instrumented call
   * @param argumentCount its argument count (the receiver sits just below them on the stack)
   * @return e.g. {@code Node.workQueue}, {@code Worker.run:q}, or null when unknown
   */
  String receiverOf(AbstractInsnNode call, int argumentCount) {
    AbstractInsnNode source = singleSource(call, argumentCount);
    return source == null ? null : describe(uncast(source));
  }

  /**
   * The one instruction that pushed the value {@code depth} entries below the top of the stack
   * just before {@code at}; null when it has several sources or none is known.
   */
  private AbstractInsnNode singleSource(AbstractInsnNode at, int depth) {
    if (straightLine) {
      AbstractInsnNode source = StraightLineSource.of(at, depth);
      if (source != null) {
        return source;
      }
    }
    Frame<SourceValue> frame = frameAt(at);
    if (frame == null) {
      return null;
    }
    int index = frame.getStackSize() - depth - 1;
    return index < 0 ? null : single(frame.getStack(index));
  }

  /**
   * Whether this {@code <init>} call initializes an object made by {@code new} in this method and
   * duplicated (javac's {@code new T; dup; ...; invokespecial T.<init>}), so that the object is
   * left on top of the stack after the call; false for super and this constructor calls.
   */
  boolean initializesNew(MethodInsnNode init) {
    int arguments = Type.getArgumentTypes(init.desc).length;
    // both the receiver and the value below it come from the one dup (a dup is the source of both
    // its copies), and the dup copied the new object
    AbstractInsnNode dup = singleSource(init, arguments);
    if (dup == null || dup.getOpcode() != Opcodes.DUP || singleSource(init, arguments + 1) != dup) {
      return false;
    }
    AbstractInsnNode made = singleSource(dup, 0);
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
    AbstractInsnNode operand = singleSource(insn, 0);
    return operand == null ? insn : uncast(operand);
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
    if (straightLine && nameless().noWriteNames(var)) {
      return null; // whichever of its writes reach the load, none names it: no analysis needed to know
    }
    Collection<AbstractInsnNode> stores = storesReaching(load, var);
    if (stores == null) {
      return null;
    }
    String name = null;
    for (AbstractInsnNode store : stores) {
      if (store.getOpcode() != Opcodes.ASTORE) {
        return null; // a parameter or something else: no single source
      }
      AbstractInsnNode stored = singleSource(store, 0);
      if (stored == null) {
        return null;
      }
      AbstractInsnNode from = uncast(stored);
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

  /**
   * The instructions that may have written local {@code var} last before {@code load} (none: the
   * parameter's value); null when unknown. Told without the analysis when the method writes the
   * local at most once: a parameter it never writes holds the argument, and any other local holds
   * what its one store wrote (verified code reads no local before it is written).
   */
  private Collection<AbstractInsnNode> storesReaching(AbstractInsnNode load, int var) {
    if (straightLine) {
      List<AbstractInsnNode> writes = writesOf(var);
      boolean parameter = var < parameterSlots();
      if (writes.isEmpty() && parameter || writes.size() == 1 && !parameter) {
        return writes;
      }
    }
    Frame<SourceValue> frame = frameAt(load);
    return frame == null || var >= frame.getLocals() ? null : frame.getLocal(var).insns;
  }

  private int parameterSlots() {
    return (Type.getArgumentsAndReturnSizes(method.desc) >> 2) - ((method.access & Opcodes.ACC_STATIC) != 0 ? 1 : 0);
  }

  /** The instructions of the method that write local {@code var}: none, one, or (when more) two of them. */
  private List<AbstractInsnNode> writesOf(int var) {
    return writes().of(var);
  }

  private LocalWrites writes() {
    if (writes == null) {
      writes = new LocalWrites(method);
    }
    return writes;
  }

  private NamelessLocals nameless() {
    if (nameless == null) {
      nameless = new NamelessLocals(method, writes());
    }
    return nameless;
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
    if (!isElementGetter(call)) {
      return null;
    }
    AbstractInsnNode from = singleSource(call, Type.getArgumentTypes(call.desc).length);
    if (from == null) {
      return null;
    }
    if (from.getOpcode() != Opcodes.GETFIELD && from.getOpcode() != Opcodes.GETSTATIC) {
      return null;
    }
    FieldInsnNode f = (FieldInsnNode) from;
    return simpleName(f.owner) + "." + f.name + "[]";
  }

  private static final Set<String> ELEMENT_GETTERS = Set.of("get",
      "getOrDefault", "computeIfAbsent", "compute", "computeIfPresent", "putIfAbsent", "remove");

  /** {@code map.get(k)} and the like on a {@code java.util} collection: a call that may return one of its elements. */
  static boolean isElementGetter(MethodInsnNode call) {
    return call.getOpcode() != Opcodes.INVOKESTATIC && ELEMENT_GETTERS.contains(call.name)
        && call.owner.startsWith("java/util/");
  }

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
