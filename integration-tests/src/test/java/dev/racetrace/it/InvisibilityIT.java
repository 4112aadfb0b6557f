package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.SpanFile.Span;
import dev.racetrace.it.programs.InvisibilityProgram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No racetrace object is ever visible to the application: for each kind of executor (JDK thread
 * pools on every queue kind, scheduled, fork/join, the Executors factories, virtual threads, the
 * application's own ExecutorService and Executor), what getQueue(), remove, purge, shutdownNow(),
 * rejection handlers and the returned Future show is the same with and without the agent, and is
 * the application's own objects. Meanwhile every task that ran has a run span linked to its submit.
 */
class InvisibilityIT {
  private static final String TASK = InvisibilityProgram.Task.class.getName();
  /** Keys of the tasks that run, by executor kind; each must have a linked run. */
  private static final List<String> RAN = List.of(
      "ran-tpe.linked-execute", "ran-tpe.linked-submit", "ran-tpe.linked-submitRunnable",
      "ran-tpe.array-execute", "ran-tpe.array-submit", "ran-tpe.array-submitRunnable",
      "ran-tpe.priority-execute",
      "ran-tpe.sync-execute", "ran-tpe.sync-submit", "ran-tpe.sync-submitRunnable",
      "ran-reject.callerRuns",
      "ran-stpe-schedule", "ran-stpe-periodic", "ran-stpe-execute", "ran-stpe-submit", "ran-stpe-submitRunnable",
      "ran-fj-submit", "ran-fj-execute", "ran-fj-invokeAll",
      "ran-single-execute", "ran-single-submit", "ran-single-submitRunnable",
      "ran-cached-execute", "ran-cached-submit", "ran-cached-submitRunnable",
      "ran-own-execute", "ran-ownExecutor");

  @TempDir Path dir;

  @Test
  void invisibleOnThisJdk() throws Exception {
    check(System.getProperty("java.home"), RAN);
  }

  @Test
  void invisibleOnJdk25WithVirtualThreads() throws Exception {
    String jdk25 = ForkedJvm.jdk25OrSkip();
    List<String> ran = new ArrayList<>(RAN);
    ran.add("ran-virtual-submit");
    ran.add("ran-virtual-execute");
    check(jdk25, ran, "--virtual");
  }

  private void check(String javaHome, List<String> ran, String... args) throws Exception {
    Path out = dir.resolve("spans");
    SideBySide both = SideBySide.run(javaHome, out, List.of("-Dracetrace.keys=" + TASK + "#key"),
        InvisibilityProgram.class, args);
    ForkedJvm.Result plain = both.plain();
    ForkedJvm.Result traced = both.traced();
    // what the JDK guarantees (so the comparison above compares something): identities hold
    List<String> identities = plain.stdout.lines().filter(l -> l.contains(".same=") || l.contains("equalsItself=")
        || l.contains(".queued=") || l.contains(".contains=") || l.contains(".holdsTheFutures="))
        .collect(Collectors.toList());
    assertThat(identities).hasSizeGreaterThan(20).allMatch(l -> l.endsWith("=true"));
    assertThat(plain.stdout).contains("reject.discardOldest.firstRan=false", "reject.discardOldest.secondRan=true",
        "reject.custom=[rejected1, rejected2]", "reject.callerRuns=caller",
        "jdkInternalMisc.exported=false", "jdkInternalMisc.open=false");
    // the start line only: no JVM warning about the boot class path (racetrace does not append to it)
    assertThat(traced.nonEmptyStderr().lines()).hasSize(1).allMatch(l -> l.startsWith("racetrace "));

    SpanFile spans = SpanFile.readDir(out);
    Map<Long, Span> submitsBySeq = spans.event("task.submit").stream()
        .collect(Collectors.toMap(Span::seq, Function.identity()));
    for (String key : ran) {
      List<Span> runs = spans.where(s -> "task.start".equals(s.event()) && key.equals(s.str("race.key")));
      assertThat(runs).as("run of %s", key).isNotEmpty();
      for (Span run : runs) {
        Span submit = submitsBySeq.get(run.num("race.causal_id"));
        assertThat(submit).as("submit of %s", run).isNotNull();
        assertThat(submit.str("race.key")).isEqualTo(key);
        assertThat(submit.bool("race.task.wrapped")).isTrue();
        assertThat(run.linkedSpanIds).containsExactly(submit.spanId);
        assertThat(run.num("race.queue.wait_ns")).isGreaterThanOrEqualTo(0L);
        assertThat(run.num("race.end_seq")).as("end of %s", key).isGreaterThan(run.seq());
      }
    }
    // CompletableFuture's own stage tasks (no key): each submitted stage has a run linked to it
    List<Span> stages = spans.where(s -> "task.submit".equals(s.event())
        && "completableFuture".equals(s.str("code.function")));
    assertThat(stages).as("stage submits").hasSize(3);
    for (Span submit : stages) {
      assertThat(spans.where(s -> "task.start".equals(s.event()) && submit.seq() == s.num("race.causal_id")))
          .as("run of stage %s", submit).hasSize(1);
    }
  }
}
