package dev.racetrace.it.programs;

import java.util.ArrayList;
import java.util.List;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Every CompletableFuture async hand-off, each stage capturing a keyed {@link Order} whose id names
 * the case: supplyAsync / runAsync / thenApplyAsync (on a completed and on a pending stage) /
 * thenAcceptAsync on a ThreadPoolExecutor, on a ForkJoinPool and on the common pool; with
 * {@code --virtual} also on a virtual-thread-per-task executor; then every other async stage method
 * ({@link #moreStages}), and what the application can observe of them ({@link #invisible}). Prints
 * what each stage computed.
 */
public final class CompletableFutureProgram {
  /** The keyed class. */
  public static final class Order {
    final String id;

    Order(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  static String handle(Order o) {
    return "handled " + o.id;
  }

  public static void main(String[] args) throws Exception {
    List<String> out = new ArrayList<>();
    ExecutorService tpe = Executors.newFixedThreadPool(2);
    ForkJoinPool fj = new ForkJoinPool(2);
    stages("tpe", tpe, out);
    moreStages("tpe", tpe, out);
    stages("fj", fj, out);
    moreStages("fj", fj, out);
    commonPool(out);
    moreStages("common", null, out);
    moreStages("commonexplicit", ForkJoinPool.commonPool(), out);
    invisible(tpe, out);
    ExecutorService virtual = null;
    if (args.length > 0 && args[0].equals("--virtual")) {
      virtual = VirtualThreads.perTaskExecutor();
      stages("virtual", virtual, out);
      moreStages("virtual", virtual, out);
    }
    out.forEach(System.out::println);
    tpe.shutdown();
    fj.shutdown();
    boolean terminated = tpe.awaitTermination(5, TimeUnit.SECONDS) && fj.awaitTermination(5, TimeUnit.SECONDS);
    if (virtual != null) {
      virtual.shutdown();
      terminated &= virtual.awaitTermination(5, TimeUnit.SECONDS);
    }
    System.out.println("terminated=" + terminated);
  }

  static void stages(String kind, ExecutorService ex, List<String> out) throws Exception {
    Order supply = new Order(kind + "-supplyAsync");
    out.add(CompletableFuture.supplyAsync(() -> handle(supply), ex).get(5, TimeUnit.SECONDS));
    Order run = new Order(kind + "-runAsync");
    CountDownLatch ran = new CountDownLatch(1);
    CompletableFuture.runAsync(() -> {
      handle(run);
      ran.countDown();
    }, ex).get(5, TimeUnit.SECONDS);
    out.add(kind + " runAsync ran=" + (ran.getCount() == 0));
    Order applyDone = new Order(kind + "-thenApplyAsync-completed");
    out.add(CompletableFuture.completedFuture("x").thenApplyAsync(v -> handle(applyDone) + v, ex)
        .get(5, TimeUnit.SECONDS));
    // a pending stage: its task is dispatched by the thread that completes the source
    Order applyPending = new Order(kind + "-thenApplyAsync-pending");
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletableFuture<String> applied = source.thenApplyAsync(v -> handle(applyPending) + v, ex);
    source.complete("y");
    out.add(applied.get(5, TimeUnit.SECONDS));
    Order accept = new Order(kind + "-thenAcceptAsync");
    List<String> accepted = new ArrayList<>();
    CompletableFuture.completedFuture("z").thenAcceptAsync(v -> accepted.add(handle(accept) + v), ex)
        .get(5, TimeUnit.SECONDS);
    out.addAll(accepted);
  }

  static void commonPool(List<String> out) throws Exception {
    Order supply = new Order("common-supplyAsync");
    out.add(CompletableFuture.supplyAsync(() -> handle(supply)).get(5, TimeUnit.SECONDS));
    Order apply = new Order("common-thenApplyAsync");
    out.add(CompletableFuture.completedFuture("w").thenApplyAsync(v -> handle(apply) + v)
        .get(5, TimeUnit.SECONDS));
  }

  /**
   * The other async stage methods, each capturing a keyed Order named kind-method: on executor
   * {@code ex}, or with {@code ex} null through their form without an executor (the default
   * executor). Stages named stage-* are called through a CompletionStage-typed reference, and
   * minimal-* on the JDK's minimal stage.
   */
  static void moreStages(String kind, Executor ex, List<String> out) throws Exception {
    CompletableFuture<String> a = CompletableFuture.completedFuture("a");
    CompletableFuture<String> b = CompletableFuture.completedFuture("b");
    CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException("failed"));
    Order o = new Order(kind + "-thenRunAsync");
    CountDownLatch ran = new CountDownLatch(1);
    Runnable run = () -> {
      handle(o);
      ran.countDown();
    };
    await(ex == null ? a.thenRunAsync(run) : a.thenRunAsync(run, ex));
    out.add(kind + " thenRunAsync ran=" + (ran.getCount() == 0));
    Order compose = new Order(kind + "-thenComposeAsync");
    out.add(get(ex == null ? a.thenComposeAsync(v -> CompletableFuture.completedFuture(handle(compose) + v))
        : a.thenComposeAsync(v -> CompletableFuture.completedFuture(handle(compose) + v), ex)));
    Order handled = new Order(kind + "-handleAsync");
    out.add(get(ex == null ? failed.handleAsync((v, t) -> handle(handled) + v + t.getMessage())
        : failed.handleAsync((v, t) -> handle(handled) + v + t.getMessage(), ex)));
    Order whenDone = new Order(kind + "-whenCompleteAsync");
    List<String> seen = new ArrayList<>();
    out.add(get(ex == null ? a.whenCompleteAsync((v, t) -> seen.add(handle(whenDone) + v + t))
        : a.whenCompleteAsync((v, t) -> seen.add(handle(whenDone) + v + t), ex)) + " " + seen);
    Order exceptionally = new Order(kind + "-exceptionallyAsync");
    out.add(get(ex == null ? failed.exceptionallyAsync(t -> handle(exceptionally) + t.getMessage())
        : failed.exceptionallyAsync(t -> handle(exceptionally) + t.getMessage(), ex)));
    Order exceptionallyCompose = new Order(kind + "-exceptionallyComposeAsync");
    out.add(get(ex == null
        ? failed.exceptionallyComposeAsync(t -> CompletableFuture.completedFuture(handle(exceptionallyCompose)))
        : failed.exceptionallyComposeAsync(t -> CompletableFuture.completedFuture(handle(exceptionallyCompose)), ex)));
    Order combine = new Order(kind + "-thenCombineAsync");
    out.add(get(ex == null ? a.thenCombineAsync(b, (x, y) -> handle(combine) + x + y)
        : a.thenCombineAsync(b, (x, y) -> handle(combine) + x + y, ex)));
    // both sources pending: the task is dispatched by the thread that completes the second
    Order combinePending = new Order(kind + "-thenCombineAsync-pending");
    CompletableFuture<String> p1 = new CompletableFuture<>();
    CompletableFuture<String> p2 = new CompletableFuture<>();
    CompletableFuture<String> combined = ex == null ? p1.thenCombineAsync(p2, (x, y) -> handle(combinePending) + x + y)
        : p1.thenCombineAsync(p2, (x, y) -> handle(combinePending) + x + y, ex);
    p1.complete("1");
    p2.complete("2");
    out.add(get(combined));
    Order both = new Order(kind + "-thenAcceptBothAsync");
    List<String> accepted = new ArrayList<>();
    await(ex == null ? a.thenAcceptBothAsync(b, (x, y) -> accepted.add(handle(both) + x + y))
        : a.thenAcceptBothAsync(b, (x, y) -> accepted.add(handle(both) + x + y), ex));
    out.addAll(accepted);
    Order afterBoth = new Order(kind + "-runAfterBothAsync");
    CountDownLatch ranBoth = new CountDownLatch(1);
    Runnable runBoth = () -> {
      handle(afterBoth);
      ranBoth.countDown();
    };
    await(ex == null ? a.runAfterBothAsync(b, runBoth) : a.runAfterBothAsync(b, runBoth, ex));
    out.add(kind + " runAfterBothAsync ran=" + (ranBoth.getCount() == 0));
    CompletableFuture<String> never = new CompletableFuture<>();
    Order either = new Order(kind + "-applyToEitherAsync");
    out.add(get(ex == null ? never.applyToEitherAsync(a, v -> handle(either) + v)
        : never.applyToEitherAsync(a, v -> handle(either) + v, ex)));
    Order acceptEither = new Order(kind + "-acceptEitherAsync");
    List<String> acceptedEither = new ArrayList<>();
    await(ex == null ? never.acceptEitherAsync(a, v -> acceptedEither.add(handle(acceptEither) + v))
        : never.acceptEitherAsync(a, v -> acceptedEither.add(handle(acceptEither) + v), ex));
    out.addAll(acceptedEither);
    Order afterEither = new Order(kind + "-runAfterEitherAsync");
    CountDownLatch ranEither = new CountDownLatch(1);
    Runnable runEither = () -> {
      handle(afterEither);
      ranEither.countDown();
    };
    await(ex == null ? never.runAfterEitherAsync(a, runEither) : never.runAfterEitherAsync(a, runEither, ex));
    out.add(kind + " runAfterEitherAsync ran=" + (ranEither.getCount() == 0));
    Order complete = new Order(kind + "-completeAsync");
    CompletableFuture<String> target = new CompletableFuture<>();
    out.add(get(ex == null ? target.completeAsync(() -> handle(complete)) : target.completeAsync(() -> handle(complete), ex)));

    // through a CompletionStage-typed reference (invokeinterface), on a CompletableFuture
    CompletionStage<String> stage = a;
    Order viaStage = new Order(kind + "-stage-thenApplyAsync");
    out.add(get(ex == null ? stage.thenApplyAsync(v -> handle(viaStage) + v)
        : stage.thenApplyAsync(v -> handle(viaStage) + v, ex)));
    Order viaStageCombine = new Order(kind + "-stage-thenCombineAsync");
    out.add(get(ex == null ? stage.thenCombineAsync(b, (x, y) -> handle(viaStageCombine) + x + y)
        : stage.thenCombineAsync(b, (x, y) -> handle(viaStageCombine) + x + y, ex)));
    // and on the JDK's minimal stage, which is all a CompletionStage-returning API may hand out
    CompletionStage<String> minimal = CompletableFuture.completedStage("m");
    Order viaMinimal = new Order(kind + "-minimal-thenApplyAsync");
    out.add(get(ex == null ? minimal.thenApplyAsync(v -> handle(viaMinimal) + v)
        : minimal.thenApplyAsync(v -> handle(viaMinimal) + v, ex)));
  }

  private static <T> T get(CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static void await(CompletionStage<?> s) throws Exception {
    s.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /**
   * What the application can observe is the same with and without the agent: another
   * CompletionStage implementation (a proxy) and a CompletableFuture subclass get exactly the
   * executor they were given and use their own default executor; results, exceptions (by identity)
   * and the returned stages' types are CompletableFuture's own; the default executor's threads are
   * the same kind. Lines with {@code .same=} must read true.
   */
  static void invisible(ExecutorService pool, List<String> out) throws Exception {
    // another implementation of CompletionStage: gets the very arguments it was called with
    List<Object[]> calls = new ArrayList<>();
    CompletableFuture<String> answer = CompletableFuture.completedFuture("answer");
    @SuppressWarnings("unchecked")
    CompletionStage<String> foreign = (CompletionStage<String>) Proxy.newProxyInstance(
        CompletableFutureProgram.class.getClassLoader(), new Class<?>[] {CompletionStage.class},
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("toString") ? "foreign" : method.invoke(answer, args);
          }
          calls.add(args);
          return answer;
        });
    Function<String, String> fn = v -> v + "!";
    out.add("foreign.thenApplyAsync.result.same=" + (foreign.thenApplyAsync(fn, pool) == answer));
    out.add("foreign.thenApplyAsync.executor.same=" + (calls.get(0)[1] == pool));
    out.add("foreign.thenApplyAsync.fn.same=" + (calls.get(0)[0] == fn));
    out.add("foreign.thenApplyAsyncDefault.result.same=" + (foreign.thenApplyAsync(fn) == answer));
    out.add("foreign.thenApplyAsyncDefault.args=" + calls.get(1).length);
    out.add("foreign.thenCombineAsync.executor.same="
        + (foreign.thenCombineAsync(answer, (x, y) -> x, pool) == answer && calls.get(2)[2] == pool));
    out.add("foreign.exceptionallyAsync.executor.same="
        + (foreign.exceptionallyAsync(t -> "x", pool) == answer && calls.get(3)[1] == pool));

    // a subclass: its own default executor and overrides see their own arguments
    OwnFuture own = new OwnFuture(pool);
    own.complete("own");
    CompletableFuture<String> ownApplied = own.thenApplyAsync(fn);
    out.add("subclass.thenApplyAsync=" + ownApplied.get(5, TimeUnit.SECONDS) + " " + ownApplied.getClass().getSimpleName());
    out.add("subclass.defaultExecutor.used=" + own.defaultUsed.get());
    CompletableFuture<String> ownExplicit = own.thenApplyAsync(fn, pool);
    out.add("subclass.thenApplyAsync.executor.same=" + (own.lastExecutor == pool) + " "
        + ownExplicit.get(5, TimeUnit.SECONDS));
    CompletionStage<String> ownStage = own;
    ownStage.thenAcceptAsync(v -> { }, pool).toCompletableFuture().get(5, TimeUnit.SECONDS);
    out.add("subclass.stage.thenAcceptAsync.executor.same=" + (own.lastExecutor == pool));

    // results and exceptions, by identity
    IllegalStateException boom = new IllegalStateException("boom");
    CompletableFuture<String> failing = CompletableFuture.supplyAsync(() -> {
      throw boom;
    }, pool);
    try {
      failing.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      out.add("exception.get.cause.same=" + (e.getCause() == boom));
    }
    try {
      failing.join();
    } catch (CompletionException e) {
      out.add("exception.join.cause.same=" + (e.getCause() == boom));
    }
    CompletableFuture<String> recovered = failing.exceptionallyAsync(t -> t.getClass().getSimpleName() + ":"
        + (t.getCause() == boom), pool);
    out.add("exception.exceptionallyAsync=" + recovered.get(5, TimeUnit.SECONDS));
    RejectedExecutionException rejection = new RejectedExecutionException("no");
    Executor rejecting = r -> {
      throw rejection;
    };
    try {
      CompletableFuture.supplyAsync(() -> "never", rejecting);
      out.add("reject.supplyAsync.threw=false");
    } catch (RejectedExecutionException e) {
      out.add("reject.supplyAsync.same=" + (e == rejection));
    }
    CompletableFuture<String> rejected = CompletableFuture.completedFuture("r").thenApplyAsync(fn, rejecting);
    try {
      rejected.join();
    } catch (CompletionException e) {
      out.add("reject.thenApplyAsync.cause.same=" + (e.getCause() == rejection));
    }
    CompletableFuture<String> applied = CompletableFuture.completedFuture("i").thenApplyAsync(fn, pool);
    out.add("identity.toCompletableFuture.same=" + (applied.toCompletableFuture() == applied));
    out.add("identity.type=" + applied.getClass().getName() + " "
        + CompletableFuture.completedStage("m").thenApplyAsync(fn, pool).getClass().getName());
    applied.get(5, TimeUnit.SECONDS);
    out.add("identity.toString=" + applied.toString().replaceAll("@[0-9a-f]+", "@"));
    // the default executor's threads: the common pool's, or (JDK 17, parallelism 1) a new thread per task
    out.add("default.thread=" + CompletableFuture.supplyAsync(CompletableFutureProgram::threadKind).get(5, TimeUnit.SECONDS)
        + " " + CompletableFuture.completedFuture("t").thenApplyAsync(v -> threadKind()).get(5, TimeUnit.SECONDS)
        + " " + CompletableFuture.supplyAsync(CompletableFutureProgram::threadKind, ForkJoinPool.commonPool())
            .get(5, TimeUnit.SECONDS));
  }

  private static String threadKind() {
    Thread t = Thread.currentThread();
    return (t instanceof ForkJoinWorkerThread ? "pool" : "own") + "/daemon=" + t.isDaemon()
        + "/group=" + (t.getThreadGroup() == null ? null : t.getThreadGroup().getName());
  }

  /** A CompletableFuture subclass with a default executor of its own that notes what it is handed. */
  static final class OwnFuture extends CompletableFuture<String> {
    final Executor own;
    final AtomicBoolean defaultUsed;
    volatile Executor lastExecutor;

    OwnFuture(Executor own) {
      this(own, new AtomicBoolean());
    }

    OwnFuture(Executor own, AtomicBoolean defaultUsed) {
      this.own = own;
      this.defaultUsed = defaultUsed;
    }

    @Override
    public Executor defaultExecutor() {
      return r -> {
        defaultUsed.set(true);
        own.execute(r);
      };
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }

    @Override
    public <U> CompletableFuture<U> thenApplyAsync(Function<? super String, ? extends U> fn, Executor executor) {
      lastExecutor = executor;
      return super.thenApplyAsync(fn, executor);
    }

    @Override
    public CompletableFuture<Void> thenAcceptAsync(java.util.function.Consumer<? super String> action,
        Executor executor) {
      lastExecutor = executor;
      return super.thenAcceptAsync(action, executor);
    }
  }
}
