package dev.racetrace.agent.instrument;

import dev.racetrace.agent.config.RecordFamily;
import org.objectweb.asm.Type;

/**
 * One instrumented JDK method and the static hook that replaces calls to it. The hook takes the
 * receiver (typed as {@link #family}), the original arguments and the call-site id, and returns
 * what the original returns.
 */
final class HookSpec {
  /** How a matching call is rewritten. */
  enum Mode {
    /** The call is replaced by a call to the hook. */
    REPLACE,
    /**
     * The call is replaced by a call to the hook, which takes its receiver and returns its result
     * typed as {@link HookSpec#hookType}; the result is cast back to the call's return type (a
     * CompletableFuture stage method, whose hook serves CompletableFuture- and
     * CompletionStage-typed calls alike).
     */
    REPLACE_AS_STAGE
  }

  /** Which object a call site's receiver name ({@code race.executor.id}, ...) is taken from. */
  enum Named {
    /** The call's receiver. */
    RECEIVER,
    /** Its last argument (the executor a CompletableFuture stage is handed to). */
    LAST_ARGUMENT,
    /** None (a static call, a stage on the default executor). */
    NONE
  }

  final String family;
  final String name;
  final String descriptor;
  final String hookClass;
  final String hookName;
  final boolean isStatic;
  final Mode mode;
  final int argumentCount;
  /** The racetrace.record family that switches this hook. */
  final RecordFamily record;
  /** The hook's receiver and return type for {@link Mode#REPLACE_AS_STAGE}, else null. */
  final String hookType;
  /** Where the site's receiver name comes from. */
  final Named named;

  HookSpec(String family, String name, String descriptor, String hookClass, String hookName,
      boolean isStatic, Mode mode) {
    this(family, name, descriptor, hookClass, hookName, isStatic, mode, null,
        isStatic ? Named.NONE : Named.RECEIVER);
  }

  HookSpec(String family, String name, String descriptor, String hookClass, String hookName,
      boolean isStatic, Mode mode, String hookType, Named named) {
    this.hookType = hookType;
    this.named = named;
    this.family = family;
    this.name = name;
    this.descriptor = descriptor;
    this.hookClass = hookClass;
    this.hookName = hookName;
    this.isStatic = isStatic;
    this.mode = mode;
    this.argumentCount = Type.getArgumentTypes(descriptor).length;
    this.record = recordFamily(hookClass, family);
  }

  private static RecordFamily recordFamily(String hookClass, String family) {
    switch (hookClass) {
      case HookTable.QUEUE_HOOKS:
        return RecordFamily.QUEUES;
      case HookTable.EXECUTOR_HOOKS:
      case HookTable.STAGE_HOOKS:
      case HookTable.TASK_RUNS:
        return RecordFamily.EXECUTORS;
      case HookTable.LATCH_HOOKS:
        return family.equals("java/util/concurrent/Semaphore") ? RecordFamily.SEMAPHORES : RecordFamily.LATCHES;
      case HookTable.LOCK_HOOKS:
        return family.equals(HookTable.OBJECT) ? RecordFamily.MONITORS
            : family.equals("java/util/concurrent/locks/Condition") ? RecordFamily.CONDITIONS : RecordFamily.LOCKS;
      case HookTable.WAIT_HOOKS:
        return family.equals("java/lang/Thread") ? RecordFamily.SLEEPS : RecordFamily.FUTURES;
      default:
        throw new IllegalArgumentException("no record family for " + hookClass);
    }
  }

  /** Descriptor of the hook method. */
  String hookDescriptor() {
    Type method = Type.getMethodType(descriptor);
    StringBuilder sb = new StringBuilder("(");
    if (!isStatic) {
      sb.append('L').append(hookType != null ? hookType : family).append(';');
    }
    for (Type t : method.getArgumentTypes()) {
      sb.append(t.getDescriptor());
    }
    sb.append("I)").append(hookType != null ? "L" + hookType + ";" : method.getReturnType().getDescriptor());
    return sb.toString();
  }

  /** Short name of what is called, e.g. {@code BlockingQueue.offer}. */
  String target() {
    return family.substring(family.lastIndexOf('/') + 1) + "." + name;
  }

  @Override
  public String toString() {
    return family + "." + name + descriptor + " -> " + hookClass + "." + hookName + hookDescriptor();
  }
}
