package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.SpanFile.Span;
import dev.racetrace.it.programs.PipelineProgram;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance run: producers and consumers over a LinkedBlockingQueue and an
 * ArrayBlockingQueue, a ThreadPoolExecutor and a startup CountDownLatch, under the agent, checked
 * against the exported file and against a run without the agent.
 */
class PipelineIT {
  private static final int ITEMS = 200;
  private static final String PKG = "dev.racetrace.it.programs";

  @TempDir Path dir;

  @Test
  void platformThreadsOnThisJdk() throws Exception {
    check(System.getProperty("java.home"), new String[0]);
  }

  @Test
  void virtualThreadsOnJdk25() throws Exception {
    String jdk25 = ForkedJvm.jdk25OrSkip();
    check(jdk25, new String[] {"--virtual"});
  }

  private void check(String javaHome, String[] args) throws Exception {
    Path out = dir.resolve("spans");
    ForkedJvm.Result plain = ForkedJvm.plain().javaHome(javaHome).run(PipelineProgram.class, args);
    ForkedJvm.Result traced = ForkedJvm.withAgent().javaHome(javaHome)
        .jvmArg("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + out)
        .run(PipelineProgram.class, args);

    assertThat(plain.exitCode).as("%s", plain).isZero();
    assertThat(traced.exitCode).as("%s", traced).isZero();
    assertThat(traced.stdout).isEqualTo(plain.stdout);
    assertThat(traced.stdout).contains("linked: sum=" + (long) ITEMS * (ITEMS + 1)); // sum of 2*i
    assertThat(traced.nonEmptyStderr()).startsWith("racetrace ").doesNotContain("failed")
        .doesNotContain("dropped");

    SpanFile spans = SpanFile.readDir(out);
    assertThat(spans.spans).as("racetrace's own threads are never recorded")
        .noneMatch(s -> String.valueOf(s.str("thread.name")).startsWith("racetrace"));
    SourceMarkers src = new SourceMarkers(PipelineProgram.class);
    checkQueue(spans, "PipelineProgram.linkedQueue", src.line("enqueue-linked"), src.line("dequeue-linked"));
    checkQueue(spans, "PipelineProgram.arrayQueue", src.line("enqueue-array"), src.line("dequeue-array"));
    checkTasks(spans, src);
    checkLatch(spans, src);
  }

  /** Every enqueue matched to exactly one dequeue, with seq order, shared causal id and a link. */
  private static void checkQueue(SpanFile spans, String queue, long enqueueLine, long dequeueLine) {
    List<Span> enqueues = spans.where(s -> "queue.enqueue".equals(s.event()) && queue.equals(s.str("race.queue.id")));
    List<Span> processes = spans.where(s -> "queue.dequeue".equals(s.event()) && queue.equals(s.str("race.queue.id"))
        && s.name.endsWith(" process"));
    assertThat(enqueues).as(queue + " enqueues").hasSize(ITEMS + 1);
    assertThat(processes).as(queue + " dequeues").hasSize(ITEMS + 1);

    Map<Long, Span> enqueueBySeq = new HashMap<>();
    for (Span e : enqueues) {
      enqueueBySeq.put(e.seq(), e);
      assertThat(e.kind).isEqualTo(4); // PRODUCER
      assertThat(e.num("race.causal_id")).isEqualTo(e.seq());
    }
    Set<Long> matched = new HashSet<>();
    for (Span p : processes) {
      assertThat(p.kind).isEqualTo(5); // CONSUMER
      Span e = enqueueBySeq.get(p.num("race.causal_id"));
      assertThat(e).as("enqueue of %s", p).isNotNull();
      assertThat(e.seq()).isLessThan(p.seq());
      assertThat(p.linkedSpanIds).containsExactly(e.spanId);
      assertThat(p.num("race.queue.wait_ns")).isGreaterThanOrEqualTo(0L);
      assertThat(matched.add(e.seq())).as("enqueue %d matched twice", e.seq()).isTrue();
    }
    long dataEnqueues = enqueues.stream().filter(e -> e.num("code.lineno") == enqueueLine).count();
    assertThat(dataEnqueues).as("enqueues at line %d", enqueueLine).isEqualTo(ITEMS);
    assertThat(processes).allSatisfy(p -> assertThat(p.num("code.lineno")).isEqualTo(dequeueLine));
    assertThat(processes).allSatisfy(p -> assertThat(p.str("code.namespace")).isEqualTo(PKG + ".PipelineProgram"));
  }

  /** Every task run linked to its submit, with its wait time, and to the dequeue it came from. */
  private static void checkTasks(SpanFile spans, SourceMarkers src) {
    List<Span> submits = spans.event("task.submit");
    List<Span> runs = spans.where(s -> "task.start".equals(s.event()));
    assertThat(submits).hasSize(2 * ITEMS);
    // a run finds its submit through the task table; a link lost there (two submits racing for one
    // slot: rare, counted in race.lost_task_links) leaves that one run unrecorded, nothing else
    long lost = lostTaskLinks(spans);
    assertThat(lost).as("task links lost").isLessThanOrEqualTo(2);
    assertThat(runs).as("runs, %d task links lost", lost).hasSize((int) (2 * ITEMS - lost));
    assertThat(submits.stream().filter(s -> !s.bool("race.task.wrapped")))
        .as("submits not linked, %d task links lost", lost).hasSizeLessThanOrEqualTo((int) lost);
    Map<Long, Span> submitBySeq = new HashMap<>();
    for (Span s : submits) {
      submitBySeq.put(s.seq(), s);
      assertThat(s.num("code.lineno")).isIn(src.line("submit"), src.line("submit-array"));
      assertThat(s.num("race.parent_causal_id")).as("submit made while processing a dequeued item").isNotNull();
    }
    for (Span r : runs) {
      Span s = submitBySeq.get(r.num("race.causal_id"));
      assertThat(s).as("submit of %s", r).isNotNull();
      assertThat(s.seq()).isLessThan(r.seq());
      assertThat(r.linkedSpanIds).containsExactly(s.spanId);
      assertThat(r.num("race.queue.wait_ns")).isGreaterThanOrEqualTo(0L);
      assertThat(r.num("race.end_seq")).isGreaterThan(r.seq());
      assertThat(r.num("race.parent_causal_id")).isEqualTo(s.num("race.parent_causal_id"));
    }
  }

  /** {@code race.lost_task_links} of the recording's last stats span (0 when it has none). */
  private static long lostTaskLinks(SpanFile spans) {
    List<Span> stats = spans.where(s -> "racetrace.stats".equals(s.name));
    assertThat(stats).isNotEmpty();
    String lost = stats.get(stats.size() - 1).str("race.lost_task_links");
    return lost == null ? 0 : Long.parseLong(lost);
  }

  /** The consumers waited on the startup latch while it was closed, and saw count 1. */
  private static void checkLatch(SpanFile spans, SourceMarkers src) {
    List<Span> awaits = spans.event("latch.await");
    assertThat(awaits).hasSize(2);
    for (Span a : awaits) {
      assertThat(a.str("race.guard.object")).isEqualTo("PipelineProgram.startupLatch");
      assertThat(a.num("race.guard.count_before")).isEqualTo(1L);
      assertThat(a.bool("race.guard.trivial")).isFalse();
      assertThat(src.lines("await")).contains(a.num("code.lineno"));
    }
    Span countDown = spans.event("latch.count_down").get(0);
    assertThat(countDown.num("race.guard.count_before")).isEqualTo(1L);
    assertThat(countDown.num("race.guard.count_after")).isZero();
    assertThat(countDown.num("code.lineno")).isEqualTo(src.line("countdown"));
    assertThat(countDown.seq()).isLessThan(awaits.get(0).seq());
  }
}
