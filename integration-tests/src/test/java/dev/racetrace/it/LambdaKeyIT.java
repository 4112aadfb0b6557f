package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.SpanFile.Span;
import dev.racetrace.it.programs.LambdaKeyProgram;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code executor.submit(() -> handle(event))} from main: the lambda (or anonymous class, or method
 * reference) has no key of its own, but captures a keyed Event, so its submit and its run get the
 * event's race.key and race.op, and the run is linked to the submit.
 */
class LambdaKeyIT {
  private static final String EVENT = LambdaKeyProgram.Event.class.getName();

  @TempDir Path dir;

  @Test
  void lambdasTakeTheKeyAndOpOfTheKeyedValueTheyCapture() throws Exception {
    Path out = dir.resolve("spans");
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .jvmArg("-Dracetrace.include=dev.racetrace.it.programs", "-Dracetrace.keys=" + EVENT + "#id",
            "-Dracetrace.ops=" + EVENT + "=handle-event", "-Dracetrace.out=" + out)
        .run(LambdaKeyProgram.class);
    assertThat(r.exitCode).as("%s", r).isZero();
    assertThat(r.stdout).isEqualTo("handled order-lambda\nhandled order-anonymous\nprocessed order-reference\n8\n");

    SpanFile spans = SpanFile.readDir(out);
    for (String key : List.of("order-lambda", "order-anonymous", "order-reference")) {
      List<Span> submits = spans.where(s -> "task.submit".equals(s.event()) && key.equals(s.str("race.key")));
      List<Span> runs = spans.where(s -> "task.start".equals(s.event()) && key.equals(s.str("race.key")));
      assertThat(submits).as("submit of %s", key).hasSize(1);
      assertThat(runs).as("run of %s", key).hasSize(1);
      assertThat(submits.get(0).str("race.op")).isEqualTo("handle-event");
      assertThat(runs.get(0).str("race.op")).isEqualTo("handle-event");
      assertThat(runs.get(0).num("race.causal_id")).isEqualTo(submits.get(0).seq());
      assertThat(runs.get(0).linkedSpanIds).containsExactly(submits.get(0).spanId);
    }
    // a lambda that captures nothing keyed stays unkeyed
    assertThat(spans.event("task.submit")).hasSize(4);
    assertThat(spans.where(s -> "task.submit".equals(s.event()) && s.str("race.key") == null)).hasSize(1);
  }
}
