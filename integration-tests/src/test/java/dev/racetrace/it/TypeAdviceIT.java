package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.racetrace.it.programs.AuditedQueue;
import dev.racetrace.it.programs.TypeAdviceProgram;
import java.io.OutputStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Application classes that implement BlockingQueue or Executor themselves are advised as types
 * (woven into the class as it loads): the JDK's own calls into them are recorded, once.
 */
class TypeAdviceIT {
  private static final String QUEUE = AuditedQueue.class.getName();
  private static final String EXECUTOR = TypeAdviceProgram.InlineExecutor.class.getName();

  @TempDir Path dir;

  @Test
  void theJdksCallsIntoAnApplicationQueueAndExecutorAreRecordedOnce() throws Exception {
    long inlineLine = new SourceMarkers(TypeAdviceProgram.class).line("inline-execute");
    Path out = dir.resolve("spans");
    ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + ForkedJvm.AGENT, "-Dracetrace.include=dev.racetrace.it.programs",
        "-Dracetrace.out=" + out, "-cp", ForkedJvm.CLASSES, TypeAdviceProgram.class.getName());
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("output.txt").toFile());
    Process p = pb.start();
    try {
      // the file may be mid-write while we look
      await().atMost(Duration.ofSeconds(45)).ignoreExceptions().untilAsserted(() -> {
        SpanFile spans = SpanFile.readDir(out);
        assertThat(spans.where(s -> "queue.enqueue".equals(s.event()) && QUEUE.equals(s.str("code.namespace"))))
            .isNotEmpty();
        assertThat(spans.where(s -> "task.submit".equals(s.event()) && Long.valueOf(inlineLine).equals(s.num("code.lineno"))))
            .isNotEmpty();
      });
      try (OutputStream stdin = p.getOutputStream()) {
        stdin.write('\n');
      }
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
    SpanFile spans = SpanFile.readDir(out);
    List<SpanFile.Span> advised = spans.where(s -> "queue.enqueue".equals(s.event())
        && QUEUE.equals(s.str("code.namespace")));
    assertThat(advised).allSatisfy(s -> assertThat(s.str("code.function")).isEqualTo("offer"));
    // super.offer inside the advised method is LinkedBlockingQueue's own: never a second event
    assertThat(spans.where(s -> "queue.enqueue".equals(s.event())
        && "java.util.concurrent.LinkedBlockingQueue".equals(s.str("code.namespace")))).isEmpty();
    assertThat(java.nio.file.Files.readString(dir.resolve("output.txt"))).doesNotContain("could not advise");
    // the executor's execute is advised, but the program's call to it is seen first: one submit per
    // call, recorded where the program calls it (the advice inside is the same operation, not a
    // second event). The executor runs it inline, at a call site in an enabled class: that run is
    // linked to its submit
    assertThat(spans.where(s -> "task.submit".equals(s.event()) && EXECUTOR.equals(s.str("code.namespace"))))
        .as("no second submit from the advice inside the call").isEmpty();
    List<SpanFile.Span> submits = spans.where(s -> "task.submit".equals(s.event()) && Long.valueOf(inlineLine).equals(s.num("code.lineno")));
    assertThat(submits).allSatisfy(s -> {
      assertThat(s.bool("race.task.wrapped")).isTrue();
      assertThat(s.str("code.namespace")).isEqualTo(TypeAdviceProgram.class.getName());
    });
    java.util.Set<Long> submitSeqs = submits.stream().map(SpanFile.Span::seq).collect(java.util.stream.Collectors.toSet());
    List<SpanFile.Span> runs = spans.where(s -> "task.start".equals(s.event()) && submitSeqs.contains(s.num("race.causal_id")));
    assertThat(runs).hasSameSizeAs(submits);
  }
}
