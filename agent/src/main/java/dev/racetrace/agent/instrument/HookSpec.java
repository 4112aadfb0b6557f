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
    /** The call stays; its last argument (an Executor) is first passed through the hook. */
    FILTER_LAST_ARGUMENT
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

  HookSpec(String family, String name, String descriptor, String hookClass, String hookName,
      boolean isStatic, Mode mode) {
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
    if (mode == Mode.FILTER_LAST_ARGUMENT) {
      return "(Ljava/util/concurrent/Executor;I)Ljava/util/concurrent/Executor;";
    }
    Type method = Type.getMethodType(descriptor);
    StringBuilder sb = new StringBuilder("(");
    if (!isStatic) {
      sb.append('L').append(family).append(';');
    }
    for (Type t : method.getArgumentTypes()) {
      sb.append(t.getDescriptor());
    }
    sb.append("I)").append(method.getReturnType().getDescriptor());
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
