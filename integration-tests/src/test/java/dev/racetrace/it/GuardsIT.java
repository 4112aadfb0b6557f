package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.SpanFile.Span;
import dev.racetrace.it.programs.GuardsProgram;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guards, visible state, keys and ordering rules in a forked JVM, configured only through
 * racetrace.* settings (the program has no racetrace code except two API calls).
 */
class GuardsIT {
  private static final String P = GuardsProgram.class.getName();
  private static final int ROUNDS = 4;

  @TempDir Path dir;

  private ForkedJvm.Result run(Path out, String mode, long seed) throws Exception {
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .jvmArg("-Dracetrace.include=dev.racetrace.it.programs",
            "-Dracetrace.out=" + out,
            "-Dracetrace.keys=" + P + "$Operation#key",
            "-Dracetrace.ops=" + P + "$LoadMetadata=load-metadata," + P + "$Derive=derive",
            "-Dracetrace.state=metadata.entities=" + P + "$MetadataStore#entities",
            "-Dracetrace.guards.flags=" + P + "#ready",
            "-Dracetrace.guards.methods=" + P + "$Gate#canProcess",
            "-Dracetrace.rules=load-metadata < derive per key")
        .run(GuardsProgram.class, mode, Long.toString(seed), Integer.toString(ROUNDS));
    assertThat(r.exitCode).as("%s", r).isZero();
    assertThat(r.nonEmptyStderr()).as("seed %d", seed).startsWith("racetrace ")
        .doesNotContain("disabled").doesNotContain("dropped");
    return r;
  }

  private static List<Span> violations(SpanFile spans) {
    return spans.where(s -> Boolean.TRUE.equals(s.bool("race.rule.violated")));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void correctlyOrderedRunsHaveNoViolation(long seed) throws Exception {
    Path out = dir.resolve("ordered-" + seed);
    run(out, "ordered", seed);
    SpanFile spans = SpanFile.readDir(out);
    assertThat(spans.event("queue.dequeue")).as("seed %d", seed).hasSizeGreaterThanOrEqualTo(ROUNDS * 10);
    assertThat(violations(spans)).as("seed %d", seed).isEmpty();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void twoWorkersOrderedByAPerKeyLatchHaveNoViolation(long seed) throws Exception {
    Path out = dir.resolve("gated-" + seed);
    run(out, "gated", seed);
    SpanFile spans = SpanFile.readDir(out);
    assertThat(spans.where(s -> "latch.count_down".equals(s.event()))).hasSizeGreaterThanOrEqualTo(ROUNDS * 5);
    assertThat(violations(spans)).as("seed %d: %s", seed, violations(spans)).isEmpty();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void theLateOperationIsReportedOnExactlyItsKeyAndSeq(long seed) throws Exception {
    Path out = dir.resolve("broken-" + seed);
    ForkedJvm.Result r = run(out, "broken", seed);
    Set<String> odd = Arrays.stream(r.stdout.split("\n")).filter(l -> l.startsWith("odd="))
        .map(l -> l.substring(4)).collect(Collectors.toSet());
    assertThat(odd).hasSize(ROUNDS);
    SpanFile spans = SpanFile.readDir(out);
    List<Span> violated = violations(spans);
    assertThat(violated).extracting(s -> s.str("race.key")).as("seed %d", seed)
        .containsExactlyInAnyOrderElementsOf(odd);
    for (Span late : violated) {
      assertThat(late.str("race.op")).isEqualTo("derive");
      List<Span> guards = spans.where(s -> late.spanId.equals(s.parentSpanId) && s.str("race.guard.kind") != null
          && !s.name.startsWith("guard.signal"));
      long lastGuard = guards.stream().mapToLong(Span::seq).max().orElseThrow();
      SpanFile.Event violation = SpanFile.event(out, late.spanId, "race.rule.violation");
      assertThat(violation.attributes).containsEntry("race.rule.proceed_seq", lastGuard)
          .containsEntry("race.rule", "load-metadata < derive per key")
          .containsEntry("race.key", late.str("race.key"));
      assertThat(late.str("race.key")).isIn(odd);
    }
  }

  @Test
  void eachGuardKindIsVisibleWithTheStateTheThreadSaw() throws Exception {
    Path out = dir.resolve("kinds");
    ForkedJvm.Result traced = run(out, "broken", 7);
    ForkedJvm.Result plain = ForkedJvm.plain().run(GuardsProgram.class, "broken", "7", Integer.toString(ROUNDS));
    assertThat(traced.stdout).isEqualTo(plain.stdout);
    String oddKey = traced.stdout.lines().filter(l -> l.startsWith("odd=")).findFirst().orElseThrow().substring(4);
    assertThat(traced.stdout).contains(oddKey + " stale");

    SpanFile spans = SpanFile.readDir(out);
    Span derive = spans.where(s -> oddKey.equals(s.str("race.key")) && "derive".equals(s.str("race.op"))
        && s.name.endsWith(" process")).get(0);
    List<Span> children = spans.where(s -> derive.spanId.equals(s.parentSpanId));

    Span latch = one(children, "guard.await GuardsProgram.startupLatch");
    assertThat(latch.bool("race.guard.trivial")).isTrue();
    assertThat(latch.num("race.guard.open_for_ns")).isPositive();

    // the flag is read twice: in derive, and again inside the guard method
    List<Span> flags = children.stream().filter(s -> s.name.equals("guard.check GuardsProgram.ready"))
        .collect(Collectors.toList());
    assertThat(flags).extracting(s -> s.str("code.function")).containsExactly("derive", "canProcess");
    Span flag = flags.get(0);
    assertThat(flag.str("race.guard.value_seen")).isEqualTo("true");
    assertThat(flag.str("race.key")).isEqualTo(oddKey);
    assertThat(flag.num("race.state.metadata.entities")).as("stale read: the key's metadata is missing")
        .isNotNull();

    Span gate = one(children, "guard.check Gate.canProcess");
    assertThat(gate.str("race.guard.kind")).isEqualTo("method");
    assertThat(gate.str("race.guard.value_seen")).isEqualTo("true");
    assertThat(gate.str("race.key")).isEqualTo(oddKey);

    Span timed = one(children, "guard.await GuardsProgram.metadataArrived");
    assertThat(timed.bool("race.guard.timed_out")).isTrue();
    assertThat(timed.bool("race.guard.went_on")).isTrue();
    assertThat(timed.num("race.timeout_ns")).isEqualTo(2_000_000L);

    Span mark = one(children, "publish");
    assertThat(mark.str("race.key")).isEqualTo(oddKey);
    assertThat(derive.num("race.state.queue.backlog")).isNotNull();
    assertThat(spans.spans.get(0).resource).containsEntry("racetrace.rules", "load-metadata < derive per key");
  }

  private static Span one(List<Span> spans, String name) {
    List<Span> m = spans.stream().filter(s -> s.name.equals(name)).collect(Collectors.toList());
    assertThat(m).as(name + " in " + spans).hasSize(1);
    return m.get(0);
  }
}
