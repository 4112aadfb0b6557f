package dev.racetrace.agent.instrument;

import dev.racetrace.agent.config.RecordFamily;
import dev.racetrace.core.Delays;
import dev.racetrace.core.site.CallSites;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Rewrites, in one class, every call to an instrumented JDK method into a call to its static hook
 * with the call-site id appended. Control flow is untouched: each rewrite pushes one int constant
 * right before the call, so stack map frames stay valid and max stack grows by one.
 *
 * <p>Slightly over 300 lines: the lookups it makes per invoke (the hook table, the receiver's name,
 * the allocation sites, the lock wrappers' call sites) are each a few lines of one ASM visitor.
 */
final class CallSiteRewriter {
  static final String GUARD_HOOKS = "dev/racetrace/core/hook/GuardHooks";
  static final String DELAYS = "dev/racetrace/core/Delays";

  private final HookTable table;
  private final TypeResolver types;
  private final Set<String> flagFields;
  private final DelaySites delays;
  private final Set<RecordFamily> recorded;
  private final LockWrappers wrappers;
  private final AllocationSites allocationSites;

  /** Where delay injection applies: the rule for a call site, or null. */
  interface DelaySites {
    Delays.Rule forSite(String className, String method, int line);
  }

  /**
   * @param flagFields readiness fields whose reads are recorded, as {@code owner/Internal#name}
   * @param delays delay rules by call site (racetrace.delay), never null
   */
  CallSiteRewriter(HookTable table, TypeResolver types, Set<String> flagFields, DelaySites delays) {
    this(table, types, flagFields, delays, java.util.EnumSet.allOf(RecordFamily.class), null);
  }

  /**
   * @param recorded the families of racetrace.record; calls of any other family are left as they are
   * @param wrappers lock wrappers whose lock/unlock are recorded at their callers, or null for none
   */
  CallSiteRewriter(HookTable table, TypeResolver types, Set<String> flagFields, DelaySites delays,
      Set<RecordFamily> recorded, LockWrappers wrappers) {
    this.recorded = recorded;
    this.wrappers = recorded.contains(RecordFamily.LOCKS) ? wrappers : null;
    this.table = table;
    this.types = types;
    this.flagFields = flagFields;
    this.delays = delays;
    this.allocationSites = new AllocationSites(recorded);
  }

  /** Rewrites the class in place. @return number of call sites rewritten */
  int rewrite(ClassNode cls) {
    int total = 0;
    for (MethodNode m : cls.methods) {
      if (m.instructions.size() == 0 || (m.access & Opcodes.ACC_BRIDGE) != 0) {
        // a bridge only forwards to the method it stands for: rewriting its call would turn a
        // hook that makes the call through the interface back into the bridge, endlessly
        continue;
      }
      int n = rewrite(cls, m);
      if (n > 0) {
        // one site int per rewritten call; an unlock ending a predicate check pushes two
        m.maxStack += 2;
        total += n;
      }
    }
    return total;
  }

  private int rewrite(ClassNode cls, MethodNode m) {
    // First find every match and name its receiver on the untouched method (the analysis frames
    // are indexed by instruction position), then rewrite.
    ReceiverNamer namer = new ReceiverNamer(cls, m);
    String className = Type.getObjectType(cls.name).getClassName();
    List<MethodInsnNode> calls = new ArrayList<>();
    List<HookSpec> specs = new ArrayList<>();
    List<Integer> sites = new ArrayList<>();
    List<FieldInsnNode> flagReads = new ArrayList<>();
    List<Integer> flagSites = new ArrayList<>();
    List<MethodInsnNode> wrapperCalls = new ArrayList<>();
    List<Integer> wrapperSites = new ArrayList<>();
    List<LockWrappers.Kind> wrapperKinds = new ArrayList<>();
    // a lock wrapper's own lock/unlock is recorded at its callers instead
    boolean isWrapper = wrappers != null && wrappers.kindOf(cls, m) != LockWrappers.Kind.NONE;
    boolean synchronizedMethod = (m.access & Opcodes.ACC_SYNCHRONIZED) != 0;
    List<AbstractInsnNode> monitorExits = new ArrayList<>();
    List<Integer> monitorExitLines = new ArrayList<>();
    List<AbstractInsnNode> allocations = new ArrayList<>();
    List<Integer> allocationIds = new ArrayList<>();
    int line = -1;
    for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      if (insn instanceof LineNumberNode) {
        line = ((LineNumberNode) insn).line;
        continue;
      }
      if (insn.getOpcode() == Opcodes.MONITOREXIT || (synchronizedMethod && ConditionLoop.isReturn(insn))) {
        monitorExits.add(insn);
        monitorExitLines.add(line);
        continue;
      }
      String allocated = allocationSites.typeMadeBy(namer, insn);
      if (allocated != null) {
        allocations.add(insn);
        allocationIds.add(CallSites.register(className, m.name, line, ReceiverNamer.simpleName(allocated)
            + ".new", AllocationSites.nameOf(cls, m, insn, allocated, line)));
        continue;
      }
      if (insn instanceof FieldInsnNode && isFlagRead((FieldInsnNode) insn)) {
        FieldInsnNode f = (FieldInsnNode) insn;
        flagReads.add(f);
        flagSites.add(CallSites.register(className, m.name, line, "flag.read",
            ReceiverNamer.simpleName(f.owner) + "." + f.name));
        continue;
      }
      if (!(insn instanceof MethodInsnNode)) {
        continue;
      }
      MethodInsnNode call = (MethodInsnNode) insn;
      LockWrappers.Kind wrapped = wrapperKind(call);
      if (wrapped != LockWrappers.Kind.NONE) {
        wrapperCalls.add(call);
        wrapperKinds.add(wrapped);
        wrapperSites.add(CallSites.register(className, m.name, line,
            wrapped == LockWrappers.Kind.LOCK ? "Lock.lock" : "Lock.unlock", namer.receiverOf(call, 0)));
        continue;
      }
      HookSpec spec = match(call);
      if (spec == null || !recorded.contains(spec.record)
          || (isWrapper && spec.record == RecordFamily.LOCKS)) {
        continue;
      }
      String receiver = receiverName(namer, call, spec);
      calls.add(call);
      specs.add(spec);
      sites.add(CallSites.register(className, m.name, line, spec.target(), receiver));
    }
    ConditionLoop loop = ConditionLoop.of(calls, specs, sites);
    if (loop != null && loop.waitsOnMonitor()) {
      // this method waits on a monitor: each monitor exit in it ends that loop's predicate check
      for (int i = 0; i < monitorExits.size(); i++) {
        int check = CallSites.register(className, m.name, monitorExitLines.get(i), "Object.check",
            loop.monitorName());
        InsnList hook = new InsnList();
        hook.add(ConditionLoop.monitorOnStack(cls, m, monitorExits.get(i)));
        hook.add(new LdcInsnNode(check));
        hook.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HookTable.LOCK_HOOKS, loop.monitorHookName(),
            ConditionLoop.MONITOR_HOOK_DESCRIPTOR, false));
        m.instructions.insertBefore(monitorExits.get(i), hook);
      }
    } else {
      monitorExits.clear();
    }
    for (int i = 0; i < allocations.size(); i++) {
      AllocationSites.remember(m.instructions, allocations.get(i), allocationIds.get(i));
    }
    for (int i = 0; i < calls.size(); i++) {
      MethodInsnNode call = calls.get(i);
      HookSpec spec = specs.get(i);
      int site = sites.get(i);
      Delays.Rule delay = delays.forSite(className, m.name, CallSites.get(site).line());
      if (delay != null) {
        // the arguments are already on the stack; the delay consumes only its own int
        Delays.bindSite(site, delay);
        InsnList wait = new InsnList();
        wait.add(new LdcInsnNode(site));
        wait.add(new MethodInsnNode(Opcodes.INVOKESTATIC, DELAYS, "at", "(I)V", false));
        m.instructions.insertBefore(call, wait);
      }
      if (loop != null && loop.endsCheck(spec)) {
        // this method waits on a Condition: each unlock in it ends that loop's predicate check
        int check = CallSites.register(className, m.name, CallSites.get(site).line(),
            "Condition.check", loop.conditionName());
        InsnList ids = new InsnList();
        ids.add(new LdcInsnNode(site));
        ids.add(new LdcInsnNode(check));
        m.instructions.insertBefore(call, ids);
        m.instructions.set(call, new MethodInsnNode(Opcodes.INVOKESTATIC, HookTable.LOCK_HOOKS,
            loop.hookName(), ConditionLoop.HOOK_DESCRIPTOR, false));
        continue;
      }
      m.instructions.insertBefore(call, new LdcInsnNode(site));
      MethodInsnNode hook = new MethodInsnNode(Opcodes.INVOKESTATIC, spec.hookClass, spec.hookName,
          spec.hookDescriptor(), false);
      m.instructions.set(call, hook);
      if (spec.mode == HookSpec.Mode.REPLACE_AS_STAGE
          && !Type.getReturnType(call.desc).getInternalName().equals(spec.hookType)) {
        // the hook returns what the call returns, typed as the hook's type: cast back
        m.instructions.insert(hook, new TypeInsnNode(Opcodes.CHECKCAST, Type.getReturnType(call.desc).getInternalName()));
      }
    }
    for (int i = 0; i < flagReads.size(); i++) {
      FieldInsnNode read = flagReads.get(i);
      InsnList record = new InsnList();
      record.add(new LdcInsnNode(flagSites.get(i)));
      record.add(new MethodInsnNode(Opcodes.INVOKESTATIC, GUARD_HOOKS, "flagRead",
          "(" + read.desc + "I)" + read.desc, false));
      m.instructions.insert(read, record);
    }
    for (int i = 0; i < wrapperCalls.size(); i++) {
      MethodInsnNode call = wrapperCalls.get(i);
      InsnList before = new InsnList();
      before.add(new InsnNode(Opcodes.DUP)); // the wrapper stands for its lock
      if (wrapperKinds.get(i) == LockWrappers.Kind.UNLOCK) {
        // recorded while still held, so the release orders before the next holder's acquire
        before.add(new LdcInsnNode(wrapperSites.get(i)));
        before.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HookTable.LOCK_HOOKS, "wrapperUnlocking",
            WRAPPER_HOOK, false));
        m.instructions.insertBefore(call, before);
        continue;
      }
      m.instructions.insertBefore(call, before);
      InsnList after = new InsnList();
      if (Type.getReturnType(call.desc).getSort() != Type.VOID) {
        after.add(new InsnNode(Opcodes.SWAP)); // [wrapper, result] -> [result, wrapper]
      }
      after.add(new LdcInsnNode(wrapperSites.get(i)));
      after.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HookTable.LOCK_HOOKS, "wrapperLocked", WRAPPER_HOOK, false));
      m.instructions.insert(call, after);
    }
    return calls.size() + flagReads.size() + wrapperCalls.size() + monitorExits.size() + allocations.size();
  }

  private static final String WRAPPER_HOOK = "(Ljava/lang/Object;I)V";

  /** A call to a lock wrapper's lock or unlock method (one-slot result or none), else NONE. */
  private LockWrappers.Kind wrapperKind(MethodInsnNode call) {
    if (wrappers == null || (call.getOpcode() != Opcodes.INVOKEVIRTUAL && call.getOpcode() != Opcodes.INVOKEINTERFACE)
        || Type.getReturnType(call.desc).getSize() == 2) {
      return LockWrappers.Kind.NONE;
    }
    return wrappers.kindOf(call.owner, call.name, call.desc);
  }

  /**
   * The name of the object the call operates on: the receiver, or for a CompletableFuture *Async
   * call the executor it hands the stage to (its last argument; none for the default executor).
   */
  private static String receiverName(ReceiverNamer namer, MethodInsnNode call, HookSpec spec) {
    switch (spec.named) {
      case LAST_ARGUMENT:
        return namer.receiverOf(call, 0);
      case RECEIVER:
        return namer.receiverOf(call, spec.argumentCount);
      default:
        return null;
    }
  }

  private boolean isFlagRead(FieldInsnNode f) {
    return recorded.contains(RecordFamily.FLAGS) && (f.getOpcode() == Opcodes.GETFIELD || f.getOpcode() == Opcodes.GETSTATIC)
        && !flagFields.isEmpty() && flagFields.contains(f.owner + "#" + f.name)
        && (f.desc.equals("Z") || f.desc.equals("I") || f.desc.equals("J"));
  }

  private HookSpec match(MethodInsnNode call) {
    int op = call.getOpcode();
    if (op == Opcodes.INVOKESPECIAL || op == Opcodes.INVOKEDYNAMIC) {
      return null; // super calls keep their exact dispatch
    }
    if (op == Opcodes.INVOKEVIRTUAL && isMonitorMethod(call)) {
      return first(table.candidates(call.name, call.desc), HookTable.OBJECT);
    }
    List<HookSpec> candidates = table.candidates(call.name, call.desc);
    for (HookSpec spec : candidates) {
      if (spec.isStatic != (op == Opcodes.INVOKESTATIC)) {
        continue;
      }
      if (spec.family.equals(HookTable.OBJECT)) {
        continue;
      }
      if (spec.isStatic ? call.owner.equals(spec.family) : types.isAssignable(call.owner, spec.family)) {
        return spec;
      }
    }
    return null;
  }

  private static boolean isMonitorMethod(MethodInsnNode call) {
    return call.name.equals("wait") || call.name.equals("notify") || call.name.equals("notifyAll");
  }

  private static HookSpec first(List<HookSpec> candidates, String family) {
    for (HookSpec s : candidates) {
      if (s.family.equals(family)) {
        return s;
      }
    }
    return null;
  }
}
