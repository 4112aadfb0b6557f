package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.racetrace.it.SpanFile.Span;
import dev.racetrace.it.programs.CompletableFutureProgram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hand-off through CompletableFuture's async methods (supplyAsync, runAsync, thenApplyAsync
 * on a completed and a pending stage, thenAcceptAsync) on a ThreadPoolExecutor, a ForkJoinPool,
 * the common pool (supplyAsync(fn) and thenApplyAsync(fn) on the default executor) and (JDK 25)
 * virtual threads: the program prints the same with and without the
 * agent, and each stage has one submit and one run, linked, carrying the key and op of the keyed
 * Order its lambda captured (CompletableFuture runs the lambda inside its own task objects).
 */
class CompletableFutureIT {
  private static final String ORDER = CompletableFutureProgram.Order.class.getName();
  private static final List<String> STAGES = List.of("supplyAsync", "runAsync", "thenApplyAsync-completed",
      "thenApplyAsync-pending", "thenAcceptAsync");

  @TempDir Path dir;

  @Test
  void everyAsyncStageIsSubmittedRunAndLinkedOnThisJdk() throws Exception {
    check(System.getProperty("java.home"), keys("tpe", "fj"));
  }

  @Test
  void everyAsyncStageIsSubmittedRunAndLinkedOnJdk25WithVirtualThreads() throws Exception {
    String jdk25 = ForkedJvm.jdk25();
    assumeTrue(jdk25 != null, "JDK 25 not installed at racetrace.jdk25.home; skipping the JDK 25 leg");
    check(jdk25, keys("tpe", "fj", "virtual"), "--virtual");
  }

  private static List<String> keys(String... kinds) {
    List<String> keys = new ArrayList<>();
    for (String kind : kinds) {
      for (String stage : STAGES) {
        keys.add(kind + "-" + stage);
      }
    }
    keys.add("common-supplyAsync");
    keys.add("common-thenApplyAsync");
    return keys;
  }

  private void check(String javaHome, List<String> keys, String... args) throws Exception {
    Path out = dir.resolve("spans");
    // the common pool as on a machine of 3 cores or more: on fewer, CompletableFuture's default
    // executor is a thread per task of its own, whose tasks are not linked (README, Known limits)
    String commonPool = "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2";
    ForkedJvm.Result plain = ForkedJvm.plain().javaHome(javaHome).jvmArg(commonPool)
        .run(CompletableFutureProgram.class, args);
    ForkedJvm.Result traced = ForkedJvm.withAgent().javaHome(javaHome).jvmArg(commonPool)
        .jvmArg("-Dracetrace.include=dev.racetrace.it.programs", "-Dracetrace.keys=" + ORDER + "#id",
            "-Dracetrace.ops=" + ORDER + "=order", "-Dracetrace.out=" + out)
        .run(CompletableFutureProgram.class, args);
    assertThat(plain.exitCode).as("%s", plain).isZero();
    assertThat(traced.exitCode).as("%s", traced).isZero();
    assertThat(plain.stdout).contains("handled tpe-supplyAsync", "terminated=true");
    assertThat(traced.stdout.lines()).containsExactlyElementsOf(plain.stdout.lines().collect(Collectors.toList()));

    SpanFile spans = SpanFile.readDir(out);
    for (String key : keys) {
      List<Span> submits = spans.where(s -> "task.submit".equals(s.event()) && key.equals(s.str("race.key")));
      List<Span> runs = spans.where(s -> "task.start".equals(s.event()) && key.equals(s.str("race.key")));
      assertThat(submits).as("submit of %s in %s", key, spans.event("task.submit")).hasSize(1);
      assertThat(runs).as("run of %s", key).hasSize(1);
      assertThat(submits.get(0).str("race.op")).as("op of the submit of %s", key).isEqualTo("order");
      if (!key.startsWith("common-")) {
        // named after the executor the stage is handed to (the parameter ex), not another local
        assertThat(submits.get(0).str("race.executor.id")).as("executor of %s", key)
            .isEqualTo("CompletableFutureProgram.stages:ex");
      }
      assertThat(runs.get(0).str("race.op")).as("op of the run of %s", key).isEqualTo("order");
      assertThat(runs.get(0).num("race.causal_id")).as("causal id of %s", key).isEqualTo(submits.get(0).seq());
      assertThat(runs.get(0).linkedSpanIds).as("link of %s", key).containsExactly(submits.get(0).spanId);
    }
    // every run is linked to a submit: no run without one, no submit without its run
    assertThat(spans.event("task.start")).hasSize(keys.size());
    assertThat(spans.event("task.submit")).hasSize(keys.size());
  }
}
