package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.SpanFile.Span;
import dev.racetrace.it.programs.HandOffProgram;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ScheduledThreadPoolExecutor.schedule(Runnable) and scheduleAtFixedRate, ForkJoinPool.invoke,
 * submit(ForkJoinTask) and execute(ForkJoinTask): same output with and without the agent, one
 * submit per hand-off, and each run (every run of the periodic task) linked to it.
 */
class HandOffIT {
  private static final String JOB = HandOffProgram.Job.class.getName();
  private static final String SUM = HandOffProgram.Sum.class.getName();

  @TempDir Path dir;

  @Test
  void scheduledAndForkJoinHandOffsAreSubmittedRunAndLinked() throws Exception {
    check(System.getProperty("java.home"));
  }

  @Test
  void scheduledAndForkJoinHandOffsAreSubmittedRunAndLinkedOnJdk25() throws Exception {
    check(ForkedJvm.jdk25OrSkip());
  }

  private void check(String javaHome) throws Exception {
    Path out = dir.resolve("spans");
    SideBySide both = SideBySide.run(javaHome, out,
        List.of("-Dracetrace.keys=" + JOB + "#key," + SUM + "#key"), HandOffProgram.class);
    assertThat(both.plain().stdout).contains("fixedRate ran3=true", "invoke=50005000", "terminated=true");

    SpanFile spans = SpanFile.readDir(out);
    for (String key : List.of("ran-schedule-runnable", "ran-fixed-rate", "ran-fj-invoke", "ran-fj-submitTask",
        "ran-fj-executeTask")) {
      List<Span> submits = spans.where(s -> "task.submit".equals(s.event()) && key.equals(s.str("race.key")));
      List<Span> runs = spans.where(s -> "task.start".equals(s.event()) && key.equals(s.str("race.key")));
      assertThat(submits).as("submit of %s", key).hasSize(1);
      assertThat(runs).as("runs of %s", key).isNotEmpty();
      for (Span run : runs) {
        assertThat(run.num("race.causal_id")).as("causal id of %s", key).isEqualTo(submits.get(0).seq());
        assertThat(run.linkedSpanIds).as("link of %s", key).containsExactly(submits.get(0).spanId);
      }
    }
    assertThat(spans.where(s -> "task.start".equals(s.event()) && "ran-fixed-rate".equals(s.str("race.key"))))
        .as("every run of the periodic task").hasSizeGreaterThanOrEqualTo(3);
  }
}
