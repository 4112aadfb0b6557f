package dev.racetrace.agent.instrument;

import dev.racetrace.core.hook.GuardHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Byte Buddy advice inlined into the declared guard methods ({@link GuardMethodAdvice}). Its body
 * only calls agent-core (on the bootstrap class path, visible from every class loader) and
 * suppresses its own failures, so the advised method behaves exactly as before.
 */
final class TypeAdvice {
  private TypeAdvice() {}

  /** A declared guard method (racetrace.guards.methods). */
  static final class GuardMethod {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.AllArguments Object[] args,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result, @Advice.Thrown Throwable thrown,
        @AdviceSite int site) {
      GuardHooks.guardMethodExit(args, result, start, site, thrown);
    }
  }
}
