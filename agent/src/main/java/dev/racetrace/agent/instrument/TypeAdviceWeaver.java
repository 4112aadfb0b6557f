package dev.racetrace.agent.instrument;

import dev.racetrace.agent.instrument.AdvisedMethod.Kind;
import dev.racetrace.core.site.CallSites;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Advice for application classes that are queues or executors themselves, woven into the class as
 * it loads, by the call-site transformer: the enqueue, dequeue and execute methods a class declares
 * ({@link AdvisedMethod}) call {@code TypeHooks} on entry and on every exit, returned or thrown. Calls
 * made by the JDK or by code outside the enabled packages are then recorded too.
 *
 * <p>What a woven method does besides its own body: on entry it keeps the thread's state, the
 * operation marker, {@code this}, its first argument, a seq and a timestamp in six locals of its own
 * (after the method's; one more slot holds the result or the exception for a moment, which no frame
 * needs), and a handler around the body passes what the body throws to the hook and throws it
 * again, unchanged. The code before each return and in the handler lies outside the handler's
 * ranges, so a hook is never run twice for one call. The recording hooks catch everything their
 * recording might throw (the others only read and write a field). The method's frames (read
 * expanded) get the six locals appended, and
 * the handler's frame types nothing of the method's own locals, so a body that reuses a slot for
 * another type still verifies.
 */
final class TypeAdviceWeaver {
  private static final String HOOKS = "dev/racetrace/core/hook/TypeHooks";
  private static final String OBJECT = "java/lang/Object";
  private static final String O = "Ljava/lang/Object;";

  private TypeAdviceWeaver() {}

  /**
   * Weaves the advice into the methods of {@code cls} that {@link AdvisedMethod} names, of the kinds
   * asked for. {@code cls} must have been read with expanded frames.
   *
   * @return how many methods were advised
   */
  static int weave(ClassNode cls, boolean queue, boolean executor) {
    int n = 0;
    String simple = AdvisedMethod.simpleName(cls);
    for (MethodNode m : cls.methods) {
      AdvisedMethod advised = AdvisedMethod.of(m);
      if (advised == null || (advised.kind == Kind.EXECUTE ? !executor : !queue)) {
        continue;
      }
      int site = CallSites.register(cls.name.replace('/', '.'), m.name, -1, simple + "." + m.name, null);
      weave(m, advised.kind, advised.timed(), site);
      n++;
    }
    return n;
  }

  private static void weave(MethodNode m, Kind kind, boolean timed, int site) {
    int base = m.maxLocals;
    int ts = base;
    int outer = base + 1;
    int self = base + 2;
    int arg = base + 3;
    int seq = base + 4;
    int t0 = base + 6;
    int tmp = base + 8;
    m.maxLocals = base + 9;
    m.maxStack += 14; // an exit's hook arguments above the returned value
    appendLocalsToFrames(m, base);
    Type returns = Type.getReturnType(m.desc);

    InsnList entry = new InsnList();
    entry.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HOOKS, "state", "()" + O, false));
    entry.add(new VarInsnNode(Opcodes.ASTORE, ts));
    entry.add(new VarInsnNode(Opcodes.ALOAD, 0));
    entry.add(new VarInsnNode(Opcodes.ASTORE, self));
    if (kind != Kind.DEQUEUE) { // the element or the task: a reference (see AdvisedMethod)
      entry.add(new VarInsnNode(Opcodes.ALOAD, 1));
    } else {
      entry.add(new InsnNode(Opcodes.ACONST_NULL));
    }
    entry.add(new VarInsnNode(Opcodes.ASTORE, arg));
    entry.add(new VarInsnNode(Opcodes.ALOAD, ts));
    entry.add(new VarInsnNode(Opcodes.ALOAD, self));
    entry.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HOOKS, "enterOp", "(" + O + O + ")" + O, false));
    entry.add(new VarInsnNode(Opcodes.ASTORE, outer));
    if (kind == Kind.ENQUEUE) { // the seq is taken before the clock, as at an enqueue's call site
      entry.add(new VarInsnNode(Opcodes.ALOAD, ts));
      entry.add(new VarInsnNode(Opcodes.ALOAD, outer));
      entry.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HOOKS, "publishSeq", "(" + O + O + ")J", false));
      entry.add(new VarInsnNode(Opcodes.LSTORE, seq));
    }
    entry.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/System", "nanoTime", "()J", false));
    entry.add(new VarInsnNode(Opcodes.LSTORE, t0));
    if (kind == Kind.EXECUTE) { // the task is linked to its submit before the executor can hand it over
      entry.add(new VarInsnNode(Opcodes.ALOAD, ts));
      entry.add(new VarInsnNode(Opcodes.ALOAD, outer));
      entry.add(new VarInsnNode(Opcodes.ALOAD, self));
      entry.add(new VarInsnNode(Opcodes.ALOAD, arg));
      entry.add(new VarInsnNode(Opcodes.LLOAD, t0));
      entry.add(new LdcInsnNode(site));
      entry.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HOOKS, "submitSeq", "(" + O + O + O + O + "JI)J", false));
      entry.add(new VarInsnNode(Opcodes.LSTORE, seq));
    } else if (kind == Kind.DEQUEUE) {
      entry.add(new InsnNode(Opcodes.LCONST_0));
      entry.add(new VarInsnNode(Opcodes.LSTORE, seq));
    }

    // the body, in ranges that leave out the code this weaver puts before each return
    List<LabelNode[]> ranges = new ArrayList<>();
    LabelNode rangeStart = new LabelNode();
    m.instructions.insert(rangeStart); // the body starts here, after the entry code inserted below
    boolean rangeHasCode = false;
    for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; ) {
      AbstractInsnNode next = insn.getNext();
      int op = insn.getOpcode();
      if (ConditionLoop.isReturn(insn)) {
        LabelNode rangeEnd = new LabelNode();
        m.instructions.insertBefore(insn, rangeEnd);
        if (rangeHasCode) {
          ranges.add(new LabelNode[] {rangeStart, rangeEnd});
        }
        InsnList exit = new InsnList();
        exit.add(resultToTmp(op, returns, tmp));
        exit.add(exitCalls(kind, timed, site, ts, outer, self, arg, seq, t0, tmp, false));
        m.instructions.insertBefore(insn, exit);
        rangeStart = new LabelNode();
        m.instructions.insert(insn, rangeStart);
        rangeHasCode = false;
        next = rangeStart.getNext();
      } else if (op >= 0) {
        rangeHasCode = true;
      }
      insn = next;
    }
    LabelNode end = new LabelNode();
    m.instructions.add(end);
    if (rangeHasCode) {
      ranges.add(new LabelNode[] {rangeStart, end});
    }
    m.instructions.insert(entry);

    LabelNode handler = new LabelNode();
    for (LabelNode[] r : ranges) {
      m.tryCatchBlocks.add(new TryCatchBlockNode(r[0], r[1], handler, "java/lang/Throwable"));
    }
    InsnList thrown = new InsnList();
    thrown.add(handler);
    Object[] locals = handlerLocals(base);
    thrown.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"}));
    thrown.add(new VarInsnNode(Opcodes.ASTORE, tmp));
    thrown.add(exitCalls(kind, timed, site, ts, outer, self, arg, seq, t0, tmp, true));
    thrown.add(new VarInsnNode(Opcodes.ALOAD, tmp));
    thrown.add(new InsnNode(Opcodes.ATHROW));
    if (!ranges.isEmpty()) {
      m.instructions.add(thrown);
    }
  }

  /** The returned value, boxed, into {@code tmp} (null for void); the value stays on the stack. */
  private static InsnList resultToTmp(int returnOp, Type returns, int tmp) {
    InsnList l = new InsnList();
    switch (returnOp) {
      case Opcodes.RETURN:
        l.add(new InsnNode(Opcodes.ACONST_NULL));
        break;
      case Opcodes.ARETURN:
        l.add(new InsnNode(Opcodes.DUP));
        break;
      case Opcodes.IRETURN:
        l.add(new InsnNode(Opcodes.DUP));
        if (returns.getSort() == Type.BOOLEAN) {
          l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Boolean", "valueOf", "(Z)Ljava/lang/Boolean;", false));
        } else {
          l.add(new InsnNode(Opcodes.POP));
          l.add(new InsnNode(Opcodes.ACONST_NULL)); // no advised method returns another int-like value
        }
        break;
      default: // long, float, double: no advised method returns one
        l.add(new InsnNode(Opcodes.ACONST_NULL));
        break;
    }
    l.add(new VarInsnNode(Opcodes.ASTORE, tmp));
    return l;
  }

  /** exitOp, then the kind's recording hook; {@code tmp} holds the result, or what was thrown. */
  private static InsnList exitCalls(Kind kind, boolean timed, int site, int ts, int outer, int self, int arg,
      int seq, int t0, int tmp, boolean threw) {
    InsnList l = new InsnList();
    l.add(new VarInsnNode(Opcodes.ALOAD, ts));
    l.add(new VarInsnNode(Opcodes.ALOAD, outer));
    l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HOOKS, "exitOp", "(" + O + O + ")V", false));
    switch (kind) {
      case ENQUEUE:
        l.add(new VarInsnNode(Opcodes.ALOAD, ts));
        l.add(new VarInsnNode(Opcodes.ALOAD, self));
        l.add(new VarInsnNode(Opcodes.ALOAD, arg));
        l.add(new VarInsnNode(Opcodes.LLOAD, seq));
        l.add(new VarInsnNode(Opcodes.LLOAD, t0));
        l.add(threw ? new InsnNode(Opcodes.ACONST_NULL) : new VarInsnNode(Opcodes.ALOAD, tmp));
        thrown(l, threw, tmp);
        l.add(new InsnNode(timed ? Opcodes.ICONST_1 : Opcodes.ICONST_0));
        l.add(new LdcInsnNode(site));
        l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HOOKS, "enqueued",
            "(" + O + O + O + "JJ" + O + "Ljava/lang/Throwable;ZI)V", false));
        break;
      case DEQUEUE:
        l.add(new VarInsnNode(Opcodes.ALOAD, ts));
        l.add(new VarInsnNode(Opcodes.ALOAD, outer));
        l.add(new VarInsnNode(Opcodes.ALOAD, self));
        l.add(threw ? new InsnNode(Opcodes.ACONST_NULL) : new VarInsnNode(Opcodes.ALOAD, tmp));
        l.add(new VarInsnNode(Opcodes.LLOAD, t0));
        thrown(l, threw, tmp);
        l.add(new InsnNode(timed ? Opcodes.ICONST_1 : Opcodes.ICONST_0));
        l.add(new LdcInsnNode(site));
        l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HOOKS, "dequeued",
            "(" + O + O + O + O + "JLjava/lang/Throwable;ZI)V", false));
        break;
      default:
        l.add(new VarInsnNode(Opcodes.ALOAD, ts));
        l.add(new VarInsnNode(Opcodes.ALOAD, self));
        l.add(new VarInsnNode(Opcodes.ALOAD, arg));
        l.add(new VarInsnNode(Opcodes.LLOAD, seq));
        l.add(new VarInsnNode(Opcodes.LLOAD, t0));
        thrown(l, threw, tmp);
        l.add(new LdcInsnNode(site));
        l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HOOKS, "submitted",
            "(" + O + O + O + "JJLjava/lang/Throwable;I)V", false));
        break;
    }
    return l;
  }

  private static void thrown(InsnList l, boolean threw, int tmp) {
    // in the handler tmp holds the Throwable it caught (the verifier knows its type from the store)
    l.add(threw ? new VarInsnNode(Opcodes.ALOAD, tmp) : new InsnNode(Opcodes.ACONST_NULL));
  }

  /** Every frame of the body gets the advice's locals at {@code base}, the method's own slots before them kept. */
  private static void appendLocalsToFrames(MethodNode m, int base) {
    for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      if (!(insn instanceof FrameNode)) {
        continue;
      }
      FrameNode f = (FrameNode) insn;
      if (f.type != Opcodes.F_NEW) {
        throw new IllegalStateException("frames must be read expanded");
      }
      List<Object> locals = f.local == null ? new ArrayList<>() : new ArrayList<>(f.local);
      int slots = 0;
      for (Object t : locals) {
        slots += t == Opcodes.LONG || t == Opcodes.DOUBLE ? 2 : 1;
      }
      while (slots < base) {
        locals.add(Opcodes.TOP);
        slots++;
      }
      locals.addAll(ADVICE_LOCALS);
      f.local = locals;
    }
  }

  private static final List<Object> ADVICE_LOCALS = List.of(OBJECT, OBJECT, OBJECT, OBJECT, Opcodes.LONG, Opcodes.LONG);

  /** The handler's locals: none of the method's own (a slot may hold any type there), then the advice's. */
  private static Object[] handlerLocals(int base) {
    List<Object> locals = new ArrayList<>();
    for (int i = 0; i < base; i++) {
      locals.add(Opcodes.TOP);
    }
    locals.addAll(ADVICE_LOCALS);
    return locals.toArray();
  }
}
