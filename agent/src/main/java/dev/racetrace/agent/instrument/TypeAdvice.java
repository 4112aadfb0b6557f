package dev.racetrace.agent.instrument;

import dev.racetrace.core.hook.GuardHooks;
import dev.racetrace.core.hook.TypeHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Advice inlined into application classes. Each body only calls agent-core (on the bootstrap
 * class path, visible from every class loader) and suppresses its own failures, so the advised
 * method behaves exactly as before.
 */
final class TypeAdvice {
  private TypeAdvice() {}

  /** Entry of a publishing method (offer/put/add, execute): the seq is taken before it publishes. */
  static final class PublishEnter {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Local("ts") Object ts, @Advice.Local("outer") Object outer,
        @Advice.Local("seq") long seq, @Advice.Local("t0") long t0, @Advice.This Object queue) {
      ts = TypeHooks.state();
      outer = TypeHooks.enterOp(ts, queue);
      seq = TypeHooks.publishSeq(ts, outer);
      t0 = System.nanoTime();
    }
  }

  /** Exit of an enqueue (offer/put/add/addFirst/...) of an application Queue or Deque. */
  static final class EnqueueExit {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Local("ts") Object ts, @Advice.Local("outer") Object outer,
        @Advice.Local("seq") long seq, @Advice.Local("t0") long t0, @Advice.This Object queue,
        @Advice.Argument(0) Object element, @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable thrown, @AdviceTimed boolean timed, @AdviceSite int site) {
      TypeHooks.exitOp(ts, outer);
      TypeHooks.enqueued(ts, queue, element, seq, t0, result, thrown, timed, site);
    }
  }

  /** A dequeue (poll/take/pollFirst/takeFirst/...) of an application Queue or Deque. */
  static final class Dequeue {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Local("ts") Object ts, @Advice.Local("outer") Object outer,
        @Advice.Local("t0") long t0, @Advice.This Object queue) {
      ts = TypeHooks.state();
      outer = TypeHooks.enterOp(ts, queue);
      t0 = System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Local("ts") Object ts, @Advice.Local("outer") Object outer,
        @Advice.Local("t0") long t0, @Advice.This Object queue,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object element, @Advice.Thrown Throwable thrown,
        @AdviceTimed boolean timed, @AdviceSite int site) {
      TypeHooks.exitOp(ts, outer);
      TypeHooks.dequeued(ts, outer, queue, element, t0, thrown, timed, site);
    }
  }

  /** Entry of execute of an application Executor: the task is linked to the submit before it runs. */
  static final class ExecuteEnter {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Local("ts") Object ts, @Advice.Local("outer") Object outer,
        @Advice.Local("seq") long seq, @Advice.Local("t0") long t0, @Advice.This Object executor,
        @Advice.Argument(0) Object task, @AdviceSite int site) {
      ts = TypeHooks.state();
      outer = TypeHooks.enterOp(ts, executor);
      t0 = System.nanoTime();
      seq = TypeHooks.submitSeq(ts, outer, executor, task, t0, site);
    }
  }

  /** Exit of execute of an application Executor. */
  static final class ExecuteExit {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Local("ts") Object ts, @Advice.Local("outer") Object outer,
        @Advice.Local("seq") long seq, @Advice.Local("t0") long t0, @Advice.This Object executor,
        @Advice.Argument(0) Object task, @Advice.Thrown Throwable thrown, @AdviceSite int site) {
      TypeHooks.exitOp(ts, outer);
      TypeHooks.submitted(ts, executor, task, seq, t0, thrown, site);
    }
  }

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
