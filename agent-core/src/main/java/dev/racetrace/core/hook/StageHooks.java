package dev.racetrace.core.hook;

import dev.racetrace.core.Recorder;
import dev.racetrace.core.task.TracingExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Call-site hooks for CompletableFuture's async methods: the static {@code supplyAsync} and
 * {@code runAsync}, {@code completeAsync}, and every {@code *Async} method of
 * {@link CompletionStage}, called on a {@code CompletableFuture}- or a {@code CompletionStage}-typed
 * reference, with or without an executor argument.
 *
 * <p>Each hook makes the very call it replaces, with one difference: when the stage is a plain
 * {@code CompletableFuture} (or the JDK's minimal stage, {@code minimalCompletionStage()},
 * {@code completedStage}, {@code failedStage}) and racetrace records, the executor the stage is
 * handed to is passed as a {@link TracingExecutor} over it, which records the submit when
 * CompletableFuture dispatches the stage and links the task to its run. A method without an executor
 * argument is then called in its form with one, passing CompletableFuture's own default executor:
 * for a plain CompletableFuture the two are the same call (its default executor is not overridden).
 * Any other stage (a subclass, which may override the method or its default executor, or another
 * implementation of CompletionStage) gets exactly the original call with the original arguments.
 *
 * <p>An explicit common pool is handed over as CompletableFuture itself would use it: when the
 * common pool's parallelism is 1 or less, JDK 17 replaces it by a thread-per-task executor of its
 * own (its default executor), so the recording executor goes over that one (see
 * {@link TracingExecutor}).
 */
public final class StageHooks {
  private StageHooks() {}

  /** The JDK's default-executor and minimal-stage facts, read once when a stage is first hooked. */
  private static final class Jdk {
    /** CompletableFuture's default executor: the common pool or (JDK 17, parallelism <= 1) a thread per task. */
    static final Executor DEFAULT = new CompletableFuture<Void>().defaultExecutor();
    /** Class of the stage that minimalCompletionStage() returns. */
    static final Class<?> MINIMAL_STAGE = CompletableFuture.completedStage(null).getClass();
  }

  /**
   * The executor a stage is handed to, as it is passed on: a {@link TracingExecutor} over it when
   * the stage is a plain CompletableFuture and racetrace records, else {@code ex} itself.
   */
  static Executor recording(Object stage, Executor ex, int site) {
    return stage != null && isPlain(stage) ? asyncExecutor(ex, site) : ex;
  }

  /**
   * The executor to pass to the executor form of a method called without one: a
   * {@link TracingExecutor} over CompletableFuture's default executor, or null to make the original
   * call (not a plain CompletableFuture, or nothing recorded).
   */
  static Executor recordingDefault(Object stage, int site) {
    if (stage == null || !Recorder.isRecording() || !isPlain(stage)) {
      return null;
    }
    return new TracingExecutor(Jdk.DEFAULT, site, Jdk.DEFAULT != ForkJoinPool.commonPool());
  }

  private static boolean isPlain(Object stage) {
    Class<?> c = stage.getClass();
    return c == CompletableFuture.class || c == Jdk.MINIMAL_STAGE;
  }

  /**
   * The executor argument of an async method of a plain CompletableFuture, as passed on: a
   * {@link TracingExecutor} over it (over CompletableFuture's default executor for the common pool,
   * which is what CompletableFuture runs tasks given the common pool on), or {@code ex} itself when
   * it is null (the call throws as it would), already recording, or nothing is recorded.
   */
  public static Executor asyncExecutor(Executor ex, int site) {
    if (ex == null || !Recorder.isRecording() || ex instanceof TracingExecutor) {
      return ex;
    }
    if (ex == ForkJoinPool.commonPool() || ex == Jdk.DEFAULT) {
      return new TracingExecutor(Jdk.DEFAULT, site, Jdk.DEFAULT != ForkJoinPool.commonPool());
    }
    return new TracingExecutor(ex, site, false);
  }

  // ---------------------------------------------------------------- static methods

  public static CompletableFuture<Object> supplyAsync(Supplier<Object> supplier, int site) {
    Executor ex = Recorder.isRecording() ? asyncExecutor(ForkJoinPool.commonPool(), site) : null;
    return ex == null ? CompletableFuture.supplyAsync(supplier) : CompletableFuture.supplyAsync(supplier, ex);
  }

  public static CompletableFuture<Object> supplyAsync(Supplier<Object> supplier, Executor ex, int site) {
    return CompletableFuture.supplyAsync(supplier, asyncExecutor(ex, site));
  }

  public static CompletableFuture<Void> runAsync(Runnable runnable, int site) {
    Executor ex = Recorder.isRecording() ? asyncExecutor(ForkJoinPool.commonPool(), site) : null;
    return ex == null ? CompletableFuture.runAsync(runnable) : CompletableFuture.runAsync(runnable, ex);
  }

  public static CompletableFuture<Void> runAsync(Runnable runnable, Executor ex, int site) {
    return CompletableFuture.runAsync(runnable, asyncExecutor(ex, site));
  }

  // ---------------------------------------------------------------- CompletableFuture only

  public static CompletableFuture<Object> completeAsync(CompletableFuture<Object> cf, Supplier<Object> supplier,
      int site) {
    Executor ex = recordingDefault(cf, site);
    return ex == null ? cf.completeAsync(supplier) : cf.completeAsync(supplier, ex);
  }

  public static CompletableFuture<Object> completeAsync(CompletableFuture<Object> cf, Supplier<Object> supplier,
      Executor ex, int site) {
    return cf.completeAsync(supplier, recording(cf, ex, site));
  }

  // ---------------------------------------------------------------- CompletionStage, one source

  public static CompletionStage<Object> thenApplyAsync(CompletionStage<Object> s, Function<Object, Object> fn,
      int site) {
    Executor ex = recordingDefault(s, site);
    return ex == null ? s.thenApplyAsync(fn) : s.thenApplyAsync(fn, ex);
  }

  public static CompletionStage<Object> thenApplyAsync(CompletionStage<Object> s, Function<Object, Object> fn,
      Executor ex, int site) {
    return s.thenApplyAsync(fn, recording(s, ex, site));
  }

  public static CompletionStage<Void> thenAcceptAsync(CompletionStage<Object> s, Consumer<Object> fn, int site) {
    Executor ex = recordingDefault(s, site);
    return ex == null ? s.thenAcceptAsync(fn) : s.thenAcceptAsync(fn, ex);
  }

  public static CompletionStage<Void> thenAcceptAsync(CompletionStage<Object> s, Consumer<Object> fn, Executor ex,
      int site) {
    return s.thenAcceptAsync(fn, recording(s, ex, site));
  }

  public static CompletionStage<Void> thenRunAsync(CompletionStage<Object> s, Runnable fn, int site) {
    Executor ex = recordingDefault(s, site);
    return ex == null ? s.thenRunAsync(fn) : s.thenRunAsync(fn, ex);
  }

  public static CompletionStage<Void> thenRunAsync(CompletionStage<Object> s, Runnable fn, Executor ex, int site) {
    return s.thenRunAsync(fn, recording(s, ex, site));
  }

  public static CompletionStage<Object> thenComposeAsync(CompletionStage<Object> s,
      Function<Object, CompletionStage<Object>> fn, int site) {
    Executor ex = recordingDefault(s, site);
    return ex == null ? s.thenComposeAsync(fn) : s.thenComposeAsync(fn, ex);
  }

  public static CompletionStage<Object> thenComposeAsync(CompletionStage<Object> s,
      Function<Object, CompletionStage<Object>> fn, Executor ex, int site) {
    return s.thenComposeAsync(fn, recording(s, ex, site));
  }

  public static CompletionStage<Object> handleAsync(CompletionStage<Object> s,
      BiFunction<Object, Throwable, Object> fn, int site) {
    Executor ex = recordingDefault(s, site);
    return ex == null ? s.handleAsync(fn) : s.handleAsync(fn, ex);
  }

  public static CompletionStage<Object> handleAsync(CompletionStage<Object> s,
      BiFunction<Object, Throwable, Object> fn, Executor ex, int site) {
    return s.handleAsync(fn, recording(s, ex, site));
  }

  public static CompletionStage<Object> whenCompleteAsync(CompletionStage<Object> s,
      BiConsumer<Object, Throwable> fn, int site) {
    Executor ex = recordingDefault(s, site);
    return ex == null ? s.whenCompleteAsync(fn) : s.whenCompleteAsync(fn, ex);
  }

  public static CompletionStage<Object> whenCompleteAsync(CompletionStage<Object> s,
      BiConsumer<Object, Throwable> fn, Executor ex, int site) {
    return s.whenCompleteAsync(fn, recording(s, ex, site));
  }

  public static CompletionStage<Object> exceptionallyAsync(CompletionStage<Object> s,
      Function<Throwable, Object> fn, int site) {
    Executor ex = recordingDefault(s, site);
    return ex == null ? s.exceptionallyAsync(fn) : s.exceptionallyAsync(fn, ex);
  }

  public static CompletionStage<Object> exceptionallyAsync(CompletionStage<Object> s,
      Function<Throwable, Object> fn, Executor ex, int site) {
    return s.exceptionallyAsync(fn, recording(s, ex, site));
  }

  public static CompletionStage<Object> exceptionallyComposeAsync(CompletionStage<Object> s,
      Function<Throwable, CompletionStage<Object>> fn, int site) {
    Executor ex = recordingDefault(s, site);
    return ex == null ? s.exceptionallyComposeAsync(fn) : s.exceptionallyComposeAsync(fn, ex);
  }

  public static CompletionStage<Object> exceptionallyComposeAsync(CompletionStage<Object> s,
      Function<Throwable, CompletionStage<Object>> fn, Executor ex, int site) {
    return s.exceptionallyComposeAsync(fn, recording(s, ex, site));
  }

  // ---------------------------------------------------------------- CompletionStage, two sources

  public static CompletionStage<Object> thenCombineAsync(CompletionStage<Object> s, CompletionStage<Object> other,
      BiFunction<Object, Object, Object> fn, int site) {
    Executor ex = recordingDefault(s, site);
    return ex == null ? s.thenCombineAsync(other, fn) : s.thenCombineAsync(other, fn, ex);
  }

  public static CompletionStage<Object> thenCombineAsync(CompletionStage<Object> s, CompletionStage<Object> other,
      BiFunction<Object, Object, Object> fn, Executor ex, int site) {
    return s.thenCombineAsync(other, fn, recording(s, ex, site));
  }

  public static CompletionStage<Void> thenAcceptBothAsync(CompletionStage<Object> s, CompletionStage<Object> other,
      BiConsumer<Object, Object> fn, int site) {
    Executor ex = recordingDefault(s, site);
    return ex == null ? s.thenAcceptBothAsync(other, fn) : s.thenAcceptBothAsync(other, fn, ex);
  }

  public static CompletionStage<Void> thenAcceptBothAsync(CompletionStage<Object> s, CompletionStage<Object> other,
      BiConsumer<Object, Object> fn, Executor ex, int site) {
    return s.thenAcceptBothAsync(other, fn, recording(s, ex, site));
  }

  public static CompletionStage<Void> runAfterBothAsync(CompletionStage<Object> s, CompletionStage<Object> other,
      Runnable fn, int site) {
    Executor ex = recordingDefault(s, site);
    return ex == null ? s.runAfterBothAsync(other, fn) : s.runAfterBothAsync(other, fn, ex);
  }

  public static CompletionStage<Void> runAfterBothAsync(CompletionStage<Object> s, CompletionStage<Object> other,
      Runnable fn, Executor ex, int site) {
    return s.runAfterBothAsync(other, fn, recording(s, ex, site));
  }

  public static CompletionStage<Object> applyToEitherAsync(CompletionStage<Object> s, CompletionStage<Object> other,
      Function<Object, Object> fn, int site) {
    Executor ex = recordingDefault(s, site);
    return ex == null ? s.applyToEitherAsync(other, fn) : s.applyToEitherAsync(other, fn, ex);
  }

  public static CompletionStage<Object> applyToEitherAsync(CompletionStage<Object> s, CompletionStage<Object> other,
      Function<Object, Object> fn, Executor ex, int site) {
    return s.applyToEitherAsync(other, fn, recording(s, ex, site));
  }

  public static CompletionStage<Void> acceptEitherAsync(CompletionStage<Object> s, CompletionStage<Object> other,
      Consumer<Object> fn, int site) {
    Executor ex = recordingDefault(s, site);
    return ex == null ? s.acceptEitherAsync(other, fn) : s.acceptEitherAsync(other, fn, ex);
  }

  public static CompletionStage<Void> acceptEitherAsync(CompletionStage<Object> s, CompletionStage<Object> other,
      Consumer<Object> fn, Executor ex, int site) {
    return s.acceptEitherAsync(other, fn, recording(s, ex, site));
  }

  public static CompletionStage<Void> runAfterEitherAsync(CompletionStage<Object> s, CompletionStage<Object> other,
      Runnable fn, int site) {
    Executor ex = recordingDefault(s, site);
    return ex == null ? s.runAfterEitherAsync(other, fn) : s.runAfterEitherAsync(other, fn, ex);
  }

  public static CompletionStage<Void> runAfterEitherAsync(CompletionStage<Object> s, CompletionStage<Object> other,
      Runnable fn, Executor ex, int site) {
    return s.runAfterEitherAsync(other, fn, recording(s, ex, site));
  }
}
