package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.programs.LiveBudgetProgram;
import dev.racetrace.it.programs.PipelineProgram;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * racetrace.export.cpu: spans sent live to a real OTLP/HTTP receiver cost the exporter thread at
 * most the configured share of a core; under overload the rule violations still arrive, and below
 * the budget everything does.
 */
class LiveExportBudgetIT {
  private static final String P = LiveBudgetProgram.class.getName();
  private static final Pattern USED = Pattern.compile(
      "(\\d+) spans not exported live \\(over racetrace\\.export\\.cpu=2%; the live export used ([0-9.]+)% of a core");

  @TempDir Path dir;

  @Test
  void underOverloadTheViolationsArriveAndTheExportStaysWithinItsShare() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver(false)) {
      ForkedJvm.Result r = ForkedJvm.withAgent()
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
          .jvmArg("-Dracetrace.include=dev.racetrace.it.programs",
              "-Dracetrace.keys=" + P + "$Op#key",
              "-Dracetrace.ops=" + P + "$Load=load," + P + "$Apply=apply",
              "-Dracetrace.rules=load < apply per key",
              // a small share, so that the exporter thread is over it even when the loaded
              // machine or the receiver slows it down
              "-Dracetrace.export.cpu=2%",
              "-Dracetrace.shutdown.timeout=20s")
          .workDir(dir)
          .run(LiveBudgetProgram.class, "200000", "8");
      assertThat(r.exitCode).as("%s", r).isZero();
      assertThat(r.stdout).contains("done");
      String err = r.nonEmptyStderr();
      assertThat(err).contains("within racetrace.export.cpu=2% of a core");
      Matcher m = USED.matcher(err);
      assertThat(m.find()).as("overloaded: the exit line counts what was not exported live\n%s", r).isTrue();
      assertThat(Long.parseLong(m.group(1))).isPositive();
      // 2 % of a core, plus the one-off start allowance (250 ms) and a second's burst over the ~9 s
      // until exit: about 5 %
      assertThat(Double.parseDouble(m.group(2))).as("%s", r).isLessThanOrEqualTo(8.0);

      List<String> odd = r.stdout.lines().filter(l -> l.startsWith("odd="))
          .map(l -> l.substring(4)).collect(Collectors.toList());
      assertThat(odd).hasSizeGreaterThan(10);
      Set<String> violated = receiver.spans().stream()
          .filter(s -> "true".equals(OtlpReceiver.attribute(s, "race.rule.violated")))
          .map(s -> OtlpReceiver.attribute(s, "race.key")).collect(Collectors.toSet());
      assertThat(violated).as("%s", r).containsAll(odd).allMatch(k -> k.startsWith("odd-"));
    }
  }

  @Test
  void belowTheBudgetEverySpanArrives() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver(false)) {
      ForkedJvm.Result r = ForkedJvm.withAgent()
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
          .jvmArg("-Dracetrace.include=dev.racetrace.it.programs", "-Dracetrace.shutdown.timeout=20s")
          .workDir(dir)
          .run(PipelineProgram.class);
      assertThat(r.exitCode).as("%s", r).isZero();
      assertThat(r.nonEmptyStderr()).contains("within racetrace.export.cpu=5% of a core")
          .doesNotContain("not exported live").doesNotContain("dropped");
      List<Span> all = receiver.spans();
      for (String queue : List.of("linkedQueue", "arrayQueue")) {
        assertThat(all.stream().filter(s -> s.getName().equals("PipelineProgram." + queue + " enqueue")))
            .as(queue).hasSize(201);
        assertThat(all.stream().filter(s -> s.getName().equals("PipelineProgram." + queue + " process")))
            .as(queue).hasSize(201);
      }
    }
  }
}
