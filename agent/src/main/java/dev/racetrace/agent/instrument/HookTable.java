package dev.racetrace.agent.instrument;

import dev.racetrace.agent.instrument.HookSpec.Mode;
import dev.racetrace.agent.instrument.HookSpec.Named;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JDK methods whose call sites racetrace rewrites, grouped by name and descriptor. A call
 * matches a spec when its static owner type is assignable to the spec's family (so
 * {@code LinkedBlockingQueue.offer} and {@code BlockingQueue.offer} both match).
 */
final class HookTable {
  static final String QUEUE_HOOKS = "dev/racetrace/core/hook/QueueHooks";
  static final String EXECUTOR_HOOKS = "dev/racetrace/core/hook/ExecutorHooks";
  static final String STAGE_HOOKS = "dev/racetrace/core/hook/StageHooks";
  static final String LATCH_HOOKS = "dev/racetrace/core/hook/LatchHooks";
  static final String LOCK_HOOKS = "dev/racetrace/core/hook/LockHooks";
  static final String WAIT_HOOKS = "dev/racetrace/core/hook/WaitHooks";
  static final String TASK_RUNS = "dev/racetrace/core/task/TaskRuns";

  static final String OBJECT = "java/lang/Object";
  static final String COMPLETION_STAGE = "java/util/concurrent/CompletionStage";
  static final String EXECUTOR_DESC = "Ljava/util/concurrent/Executor;";

  private static final String QUEUE = "java/util/Queue";
  private static final String DEQUE = "java/util/Deque";
  private static final String BQ = "java/util/concurrent/BlockingQueue";
  private static final String BD = "java/util/concurrent/BlockingDeque";
  private static final String EXECUTOR = "java/util/concurrent/Executor";
  private static final String ES = "java/util/concurrent/ExecutorService";
  private static final String SES = "java/util/concurrent/ScheduledExecutorService";
  private static final String FJP = "java/util/concurrent/ForkJoinPool";
  static final String COMPLETABLE_FUTURE = "java/util/concurrent/CompletableFuture";
  private static final String CF = COMPLETABLE_FUTURE;
  private static final String RUNNABLE = "java/lang/Runnable";
  private static final String CALLABLE = "java/util/concurrent/Callable";
  private static final String CDL = "java/util/concurrent/CountDownLatch";
  private static final String SEMAPHORE = "java/util/concurrent/Semaphore";
  private static final String BARRIER = "java/util/concurrent/CyclicBarrier";
  private static final String PHASER = "java/util/concurrent/Phaser";
  private static final String LOCK = "java/util/concurrent/locks/Lock";
  private static final String CONDITION = "java/util/concurrent/locks/Condition";
  private static final String FUTURE = "java/util/concurrent/Future";
  private static final String THREAD = "java/lang/Thread";

  private static final String O = "Ljava/lang/Object;";
  private static final String TU = "Ljava/util/concurrent/TimeUnit;";
  private static final String RUN = "Ljava/lang/Runnable;";
  private static final String CALL = "Ljava/util/concurrent/Callable;";
  private static final String COLL = "Ljava/util/Collection;";
  private static final String FUT = "Ljava/util/concurrent/Future;";
  private static final String SFUT = "Ljava/util/concurrent/ScheduledFuture;";
  private static final String FJT = "Ljava/util/concurrent/ForkJoinTask;";

  private final Map<String, List<HookSpec>> byNameAndDescriptor = new HashMap<>();
  private final List<HookSpec> all = new ArrayList<>();

  static final HookTable INSTANCE = new HookTable();

  private HookTable() {
    // Queue family. More specific families first so that the most precise hook is chosen.
    hook(BD, "putFirst", "(" + O + ")V", QUEUE_HOOKS);
    hook(BD, "putLast", "(" + O + ")V", QUEUE_HOOKS);
    hook(BD, "takeFirst", "()" + O, QUEUE_HOOKS);
    hook(BD, "takeLast", "()" + O, QUEUE_HOOKS);
    hook(BD, "offerFirst", "(" + O + "J" + TU + ")Z", QUEUE_HOOKS);
    hook(BD, "offerLast", "(" + O + "J" + TU + ")Z", QUEUE_HOOKS);
    hook(BD, "pollFirst", "(J" + TU + ")" + O, QUEUE_HOOKS);
    hook(BD, "pollLast", "(J" + TU + ")" + O, QUEUE_HOOKS);
    hook(BQ, "offer", "(" + O + "J" + TU + ")Z", QUEUE_HOOKS);
    hook(BQ, "put", "(" + O + ")V", QUEUE_HOOKS);
    hook(BQ, "take", "()" + O, QUEUE_HOOKS);
    hook(BQ, "poll", "(J" + TU + ")" + O, QUEUE_HOOKS);
    hook(BQ, "drainTo", "(" + COLL + ")I", QUEUE_HOOKS);
    hook(BQ, "drainTo", "(" + COLL + "I)I", QUEUE_HOOKS);
    hook(DEQUE, "push", "(" + O + ")V", QUEUE_HOOKS);
    hook(DEQUE, "pop", "()" + O, QUEUE_HOOKS);
    hook(DEQUE, "addFirst", "(" + O + ")V", QUEUE_HOOKS);
    hook(DEQUE, "addLast", "(" + O + ")V", QUEUE_HOOKS);
    hook(DEQUE, "offerFirst", "(" + O + ")Z", QUEUE_HOOKS);
    hook(DEQUE, "offerLast", "(" + O + ")Z", QUEUE_HOOKS);
    hook(DEQUE, "pollFirst", "()" + O, QUEUE_HOOKS);
    hook(DEQUE, "pollLast", "()" + O, QUEUE_HOOKS);
    hook(DEQUE, "removeFirst", "()" + O, QUEUE_HOOKS);
    hook(DEQUE, "removeLast", "()" + O, QUEUE_HOOKS);
    hook(DEQUE, "peekFirst", "()" + O, QUEUE_HOOKS);
    hook(DEQUE, "peekLast", "()" + O, QUEUE_HOOKS);
    hook(QUEUE, "offer", "(" + O + ")Z", QUEUE_HOOKS);
    hook(QUEUE, "add", "(" + O + ")Z", QUEUE_HOOKS);
    hook(QUEUE, "poll", "()" + O, QUEUE_HOOKS);
    hook(QUEUE, "remove", "()" + O, QUEUE_HOOKS);
    hook(QUEUE, "peek", "()" + O, QUEUE_HOOKS);

    // Executors.
    hook(SES, "schedule", "(" + RUN + "J" + TU + ")" + SFUT, EXECUTOR_HOOKS);
    hook(SES, "schedule", "(" + CALL + "J" + TU + ")" + SFUT, EXECUTOR_HOOKS);
    hook(SES, "scheduleAtFixedRate", "(" + RUN + "JJ" + TU + ")" + SFUT, EXECUTOR_HOOKS);
    hook(SES, "scheduleWithFixedDelay", "(" + RUN + "JJ" + TU + ")" + SFUT, EXECUTOR_HOOKS);
    hook(FJP, "submit", "(" + CALL + ")" + FJT, EXECUTOR_HOOKS);
    hook(FJP, "submit", "(" + RUN + ")" + FJT, EXECUTOR_HOOKS);
    hook(FJP, "submit", "(" + RUN + O + ")" + FJT, EXECUTOR_HOOKS);
    hook(FJP, "submit", "(" + FJT + ")" + FJT, EXECUTOR_HOOKS);
    hook(FJP, "execute", "(" + FJT + ")V", EXECUTOR_HOOKS);
    hook(FJP, "invoke", "(" + FJT + ")" + O, EXECUTOR_HOOKS);
    hook(ES, "submit", "(" + RUN + ")" + FUT, EXECUTOR_HOOKS);
    hook(ES, "submit", "(" + RUN + O + ")" + FUT, EXECUTOR_HOOKS);
    hook(ES, "submit", "(" + CALL + ")" + FUT, EXECUTOR_HOOKS);
    hook(ES, "invokeAll", "(" + COLL + ")Ljava/util/List;", EXECUTOR_HOOKS);
    hook(ES, "invokeAll", "(" + COLL + "J" + TU + ")Ljava/util/List;", EXECUTOR_HOOKS);
    hook(ES, "invokeAny", "(" + COLL + ")" + O, EXECUTOR_HOOKS);
    hook(ES, "invokeAny", "(" + COLL + "J" + TU + ")" + O, EXECUTOR_HOOKS);
    hook(EXECUTOR, "execute", "(" + RUN + ")V", EXECUTOR_HOOKS);
    // CompletableFuture's hand-offs: its static async methods, completeAsync, and every *Async
    // method of CompletionStage called on a CompletableFuture- or CompletionStage-typed reference,
    // with and without an executor (StageHooks: only a plain CompletableFuture's are recorded)
    String supplier = "Ljava/util/function/Supplier;";
    add(new HookSpec(CF, "supplyAsync", "(" + supplier + ")L" + CF + ";", STAGE_HOOKS, "supplyAsync", true,
        Mode.REPLACE, null, Named.NONE));
    add(new HookSpec(CF, "supplyAsync", "(" + supplier + EXECUTOR_DESC + ")L" + CF + ";", STAGE_HOOKS,
        "supplyAsync", true, Mode.REPLACE, null, Named.LAST_ARGUMENT));
    add(new HookSpec(CF, "runAsync", "(" + RUN + ")L" + CF + ";", STAGE_HOOKS, "runAsync", true, Mode.REPLACE,
        null, Named.NONE));
    add(new HookSpec(CF, "runAsync", "(" + RUN + EXECUTOR_DESC + ")L" + CF + ";", STAGE_HOOKS, "runAsync", true,
        Mode.REPLACE, null, Named.LAST_ARGUMENT));
    add(new HookSpec(CF, "completeAsync", "(" + supplier + ")L" + CF + ";", STAGE_HOOKS, "completeAsync", false,
        Mode.REPLACE, null, Named.NONE));
    add(new HookSpec(CF, "completeAsync", "(" + supplier + EXECUTOR_DESC + ")L" + CF + ";", STAGE_HOOKS,
        "completeAsync", false, Mode.REPLACE, null, Named.LAST_ARGUMENT));
    String function = "Ljava/util/function/Function;";
    String biFunction = "Ljava/util/function/BiFunction;";
    String consumer = "Ljava/util/function/Consumer;";
    String biConsumer = "Ljava/util/function/BiConsumer;";
    String stage = "L" + COMPLETION_STAGE + ";";
    stage("thenApplyAsync", function);
    stage("thenAcceptAsync", consumer);
    stage("thenRunAsync", RUN);
    stage("thenComposeAsync", function);
    stage("whenCompleteAsync", biConsumer);
    stage("handleAsync", biFunction);
    stage("exceptionallyAsync", function);
    stage("exceptionallyComposeAsync", function);
    stage("thenCombineAsync", stage + biFunction);
    stage("thenAcceptBothAsync", stage + biConsumer);
    stage("runAfterBothAsync", stage + RUN);
    stage("applyToEitherAsync", stage + function);
    stage("acceptEitherAsync", stage + consumer);
    stage("runAfterEitherAsync", stage + RUN);

    // Task runs: where an application's or library's own executor runs a task it was handed.
    hook(RUNNABLE, "run", "()V", TASK_RUNS);
    hook(CALLABLE, "call", "()" + O, TASK_RUNS);

    // Latches, semaphores, barriers, phasers.
    hook(CDL, "await", "()V", LATCH_HOOKS);
    hook(CDL, "await", "(J" + TU + ")Z", LATCH_HOOKS);
    hook(CDL, "countDown", "()V", LATCH_HOOKS);
    hook(CDL, "getCount", "()J", LATCH_HOOKS);
    hook(SEMAPHORE, "acquire", "()V", LATCH_HOOKS);
    hook(SEMAPHORE, "acquire", "(I)V", LATCH_HOOKS);
    hook(SEMAPHORE, "acquireUninterruptibly", "()V", LATCH_HOOKS);
    hook(SEMAPHORE, "acquireUninterruptibly", "(I)V", LATCH_HOOKS);
    hook(SEMAPHORE, "tryAcquire", "()Z", LATCH_HOOKS);
    hook(SEMAPHORE, "tryAcquire", "(I)Z", LATCH_HOOKS);
    hook(SEMAPHORE, "tryAcquire", "(J" + TU + ")Z", LATCH_HOOKS);
    hook(SEMAPHORE, "tryAcquire", "(IJ" + TU + ")Z", LATCH_HOOKS);
    hook(SEMAPHORE, "release", "()V", LATCH_HOOKS);
    hook(SEMAPHORE, "release", "(I)V", LATCH_HOOKS);
    hook(BARRIER, "await", "()I", LATCH_HOOKS);
    hook(BARRIER, "await", "(J" + TU + ")I", LATCH_HOOKS);
    hook(PHASER, "arrive", "()I", LATCH_HOOKS);
    hook(PHASER, "arriveAndDeregister", "()I", LATCH_HOOKS);
    hook(PHASER, "arriveAndAwaitAdvance", "()I", LATCH_HOOKS);
    hook(PHASER, "awaitAdvance", "(I)I", LATCH_HOOKS);
    hook(PHASER, "awaitAdvanceInterruptibly", "(I)I", LATCH_HOOKS);
    hook(PHASER, "awaitAdvanceInterruptibly", "(IJ" + TU + ")I", LATCH_HOOKS);

    // Locks, conditions, monitors.
    hook(LOCK, "lock", "()V", LOCK_HOOKS);
    hook(LOCK, "lockInterruptibly", "()V", LOCK_HOOKS);
    hook(LOCK, "tryLock", "()Z", LOCK_HOOKS);
    hook(LOCK, "tryLock", "(J" + TU + ")Z", LOCK_HOOKS);
    hook(LOCK, "unlock", "()V", LOCK_HOOKS);
    hook(CONDITION, "await", "()V", LOCK_HOOKS);
    hook(CONDITION, "await", "(J" + TU + ")Z", LOCK_HOOKS);
    hook(CONDITION, "awaitNanos", "(J)J", LOCK_HOOKS);
    hook(CONDITION, "awaitUninterruptibly", "()V", LOCK_HOOKS);
    hook(CONDITION, "awaitUntil", "(Ljava/util/Date;)Z", LOCK_HOOKS);
    hook(CONDITION, "signal", "()V", LOCK_HOOKS);
    hook(CONDITION, "signalAll", "()V", LOCK_HOOKS);
    hook(OBJECT, "wait", "()V", LOCK_HOOKS);
    hook(OBJECT, "wait", "(J)V", LOCK_HOOKS);
    hook(OBJECT, "wait", "(JI)V", LOCK_HOOKS);
    hook(OBJECT, "notify", "()V", LOCK_HOOKS);
    hook(OBJECT, "notifyAll", "()V", LOCK_HOOKS);

    // Futures and sleeps.
    hook(FUTURE, "get", "()" + O, WAIT_HOOKS);
    hook(FUTURE, "get", "(J" + TU + ")" + O, WAIT_HOOKS);
    add(new HookSpec(THREAD, "sleep", "(J)V", WAIT_HOOKS, "sleep", true, Mode.REPLACE));
    add(new HookSpec(THREAD, "sleep", "(JI)V", WAIT_HOOKS, "sleep", true, Mode.REPLACE));
  }

  /**
   * A CompletionStage *Async method, with and without an executor, on a CompletableFuture- and on a
   * CompletionStage-typed reference: four specs, one hook method per executor form.
   */
  private void stage(String name, String arguments) {
    for (String owner : new String[] {CF, COMPLETION_STAGE}) {
      add(new HookSpec(owner, name, "(" + arguments + ")L" + owner + ";", STAGE_HOOKS, name, false,
          Mode.REPLACE_AS_STAGE, COMPLETION_STAGE, Named.NONE));
      add(new HookSpec(owner, name, "(" + arguments + EXECUTOR_DESC + ")L" + owner + ";", STAGE_HOOKS, name,
          false, Mode.REPLACE_AS_STAGE, COMPLETION_STAGE, Named.LAST_ARGUMENT));
    }
  }

  private void hook(String family, String name, String descriptor, String hookClass) {
    add(new HookSpec(family, name, descriptor, hookClass, name, false, Mode.REPLACE));
  }

  private void add(HookSpec spec) {
    byNameAndDescriptor.computeIfAbsent(spec.name + spec.descriptor, k -> new ArrayList<>()).add(spec);
    all.add(spec);
  }

  /** Specs with this name and descriptor, most specific family first; empty if none. */
  List<HookSpec> candidates(String name, String descriptor) {
    List<HookSpec> l = byNameAndDescriptor.get(name + descriptor);
    return l == null ? Collections.emptyList() : l;
  }

  /** Every spec (for tests and docs). */
  List<HookSpec> all() {
    return Collections.unmodifiableList(all);
  }

}
