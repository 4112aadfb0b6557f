package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.SpanFile.Span;
import dev.racetrace.it.programs.CompletableFutureProgram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hand-off through CompletableFuture's async methods (supplyAsync, runAsync, completeAsync and
 * every *Async method of CompletionStage, on completed and pending stages, called on a
 * CompletableFuture, through a CompletionStage-typed reference and on the JDK's minimal stage) on a
 * ThreadPoolExecutor, a ForkJoinPool, the common pool (explicit and as the default executor, with
 * parallelism 2 and 1) and (JDK 25) virtual threads: the program prints the same with and without
 * the agent, and each stage has one submit and one run, linked, carrying the key and op of the keyed
 * Order its lambda captured (CompletableFuture runs the lambda inside its own task objects). Another
 * CompletionStage implementation and a CompletableFuture subclass see exactly their own arguments.
 */
class CompletableFutureIT {
  private static final String ORDER = CompletableFutureProgram.Order.class.getName();
  private static final List<String> STAGES = List.of("supplyAsync", "runAsync", "thenApplyAsync-completed",
      "thenApplyAsync-pending", "thenAcceptAsync");
  /** CompletableFutureProgram.moreStages: each with and without an executor. */
  private static final List<String> MORE = List.of("thenRunAsync", "thenComposeAsync", "handleAsync",
      "whenCompleteAsync", "exceptionallyAsync", "exceptionallyComposeAsync", "thenCombineAsync",
      "thenCombineAsync-pending", "thenAcceptBothAsync", "runAfterBothAsync", "applyToEitherAsync",
      "acceptEitherAsync", "runAfterEitherAsync", "completeAsync", "stage-thenApplyAsync",
      "stage-thenCombineAsync", "minimal-thenApplyAsync");
  private static final String EX = "CompletableFutureProgram.stages:ex";
  private static final String MORE_EX = "CompletableFutureProgram.moreStages:ex";

  @TempDir Path dir;

  @Test
  void everyAsyncStageIsSubmittedRunAndLinkedOnThisJdk() throws Exception {
    check(System.getProperty("java.home"), 2, keys("tpe", "fj"));
  }

  @Test
  void everyAsyncStageIsSubmittedRunAndLinkedOnJdk25WithVirtualThreads() throws Exception {
    String jdk25 = ForkedJvm.jdk25OrSkip();
    check(jdk25, 2, keys("tpe", "fj", "virtual"), "--virtual");
  }

  /**
   * A common pool of parallelism 1 (a machine of 2 cores or fewer): JDK 17's CompletableFuture then
   * starts a new thread per task for its default executor and for an explicit common pool; those
   * hand-offs are linked too, and the tasks still run on threads of the same kind.
   */
  @Test
  void commonPoolOfParallelismOneIsLinkedOnThisJdk() throws Exception {
    ForkedJvm.Result plain = check(System.getProperty("java.home"), 1, keys("tpe", "fj"));
    if (Runtime.version().feature() < 21) {
      // JDK 17: a thread per task, not daemon, from main
      assertThat(plain.stdout).contains("default.thread=own/daemon=false/group=main own/daemon=false/group=main "
          + "own/daemon=false/group=main");
    }
  }

  @Test
  void commonPoolOfParallelismOneIsLinkedOnJdk25() throws Exception {
    String jdk25 = ForkedJvm.jdk25OrSkip();
    check(jdk25, 1, keys("tpe", "fj"));
  }

  private static List<String> keys(String... kinds) {
    List<String> keys = new ArrayList<>();
    for (String kind : kinds) {
      for (String stage : STAGES) {
        keys.add(kind + "-" + stage);
      }
      for (String stage : MORE) {
        keys.add(kind + "-" + stage);
      }
    }
    keys.add("common-supplyAsync");
    keys.add("common-thenApplyAsync");
    for (String stage : MORE) {
      keys.add("common-" + stage);
      keys.add("commonexplicit-" + stage);
    }
    return keys;
  }

  private ForkedJvm.Result check(String javaHome, int commonParallelism, List<String> keys, String... args)
      throws Exception {
    Path out = dir.resolve("spans-" + commonParallelism);
    // 2: the common pool as on a machine of 3 cores or more; 1: as on 2 cores or fewer
    String commonPool = "-Djava.util.concurrent.ForkJoinPool.common.parallelism=" + commonParallelism;
    ForkedJvm.Result plain = ForkedJvm.plain().javaHome(javaHome).jvmArg(commonPool)
        .run(CompletableFutureProgram.class, args);
    ForkedJvm.Result traced = ForkedJvm.withAgent().javaHome(javaHome).jvmArg(commonPool)
        .jvmArg("-Dracetrace.include=dev.racetrace.it.programs", "-Dracetrace.keys=" + ORDER + "#id",
            "-Dracetrace.ops=" + ORDER + "=order", "-Dracetrace.out=" + out)
        .run(CompletableFutureProgram.class, args);
    assertThat(plain.exitCode).as("%s", plain).isZero();
    assertThat(traced.exitCode).as("%s", traced).isZero();
    assertThat(plain.stdout).contains("handled tpe-supplyAsync", "handled common-thenCombineAsync-pending12",
        "terminated=true");
    assertThat(traced.stdout.lines()).containsExactlyElementsOf(plain.stdout.lines().collect(Collectors.toList()));
    // what the application observes (so the comparison above compares something): other
    // CompletionStage implementations and subclasses get their own arguments, exceptions and
    // results keep their identity
    List<String> identities = plain.stdout.lines().filter(l -> l.contains(".same="))
        .collect(Collectors.toList());
    assertThat(identities).hasSize(13).allMatch(l -> l.endsWith("=true") || l.contains(".same=true "));
    assertThat(plain.stdout).contains("foreign.thenApplyAsyncDefault.args=1", "subclass.defaultExecutor.used=true",
        "subclass.thenApplyAsync=own! CompletableFuture", "exception.exceptionallyAsync=CompletionException:true",
        "identity.type=java.util.concurrent.CompletableFuture java.util.concurrent.CompletableFuture$MinimalStage",
        "identity.toString=java.util.concurrent.CompletableFuture@[Completed normally]");

    SpanFile spans = SpanFile.readDir(out);
    for (String key : keys) {
      List<Span> submits = spans.where(s -> "task.submit".equals(s.event()) && key.equals(s.str("race.key")));
      List<Span> runs = spans.where(s -> "task.start".equals(s.event()) && key.equals(s.str("race.key")));
      assertThat(submits).as("submit of %s in %s", key, spans.event("task.submit")).hasSize(1);
      assertThat(runs).as("run of %s", key).hasSize(1);
      assertThat(submits.get(0).str("race.op")).as("op of the submit of %s", key).isEqualTo("order");
      if (!key.startsWith("common-")) {
        // named after the executor the stage is handed to (the parameter ex), not another local
        assertThat(submits.get(0).str("race.executor.id")).as("executor of %s", key).isIn(EX, MORE_EX);
      }
      assertThat(runs.get(0).str("race.op")).as("op of the run of %s", key).isEqualTo("order");
      assertThat(runs.get(0).num("race.causal_id")).as("causal id of %s", key).isEqualTo(submits.get(0).seq());
      assertThat(runs.get(0).linkedSpanIds).as("link of %s", key).containsExactly(submits.get(0).spanId);
      assertThat(runs.get(0).num("race.queue.wait_ns")).as("wait of %s", key).isGreaterThanOrEqualTo(0L);
    }
    // every run is linked to a submit, and every hand-off that was not rejected has its run
    Map<Long, Span> submitsBySeq = spans.event("task.submit").stream()
        .collect(Collectors.toMap(Span::seq, Function.identity()));
    for (Span run : spans.event("task.start")) {
      Span submit = submitsBySeq.get(run.num("race.causal_id"));
      assertThat(submit).as("submit of %s", run).isNotNull();
      assertThat(run.linkedSpanIds).containsExactly(submit.spanId);
    }
    List<Span> handedOff = spans.where(s -> "task.submit".equals(s.event()) && s.str("race.outcome") == null);
    assertThat(spans.event("task.start")).hasSameSizeAs(handedOff);
    // the keyed stages, and invisible()'s unkeyed ones: 7 stages of plain CompletableFutures and the
    // subclass's default executor handing its task to the pool (a call in the application's code)
    assertThat(handedOff).hasSize(keys.size() + 8);
    return plain;
  }
}
