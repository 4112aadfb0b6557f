package dev.racetrace.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racetrace.analyzer.testing.CommandRun;
import dev.racetrace.analyzer.testing.FakeNode;
import dev.racetrace.analyzer.testing.JaegerWriter;
import dev.racetrace.analyzer.testing.SampleScenario;
import dev.racetrace.analyzer.testing.SampleScenario.BGuards;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The sample app's race, scripted: what a user relies on the analyzer to say about it. */
class SampleScenarioAnalysisTest {
  @TempDir
  Path dir;

  private CommandRun.Result analyze(SampleScenario s, String... extra) throws Exception {
    Path spans = s.writeOtlp(dir.resolve("spans"));
    return CommandRun.withJson(dir, spans, extra);
  }

  @Test
  void brokenRunNamesOddNodeKeyFirstBreakAndGuard() throws Exception {
    SampleScenario s = SampleScenario.broken();
    Path raw = s.writeRawState(dir.resolve("raw.json"));
    CommandRun.Result r = analyze(s, "--rule", SampleScenario.RULE, "--raw", raw.toString());

    assertThat(r.run().exit).isEqualTo(2);
    JsonNode div = r.json().get("divergence").get(0);
    assertThat(div.get("key").asText()).isEqualTo("order-17");
    assertThat(div.get("verdict").asText()).isEqualTo("one-differs");
    assertThat(div.get("odd_node").asText()).isEqualTo("node-2");
    JsonNode b = r.firstBreak();
    assertThat(b.get("node").asText()).isEqualTo("node-2");
    assertThat(b.get("key").asText()).isEqualTo("order-17");
    assertThat(b.get("early_op").asText()).isEqualTo("derive");
    assertThat(b.get("late_op").asText()).isEqualTo("load-metadata");
    assertThat(b.get("expected_order").asText()).isEqualTo("load-metadata < derive < publish");
    assertThat(b.get("observed_order").asText()).isEqualTo("derive < publish < load-metadata");
    assertThat(b.get("guard").get("kind").asText()).isEqualTo("timed-wait-expired");
    assertThat(b.get("guard").get("object").asText()).isEqualTo("Node.metadataArrived");
    assertThat(b.get("guard").get("site").asText()).isEqualTo("Node.awaitMetadata:88");
    assertThat(b.get("guard").get("state_seen").get("metadata.entities").asLong()).isZero();
    assertThat(b.get("guard").get("healthy_state_seen").get("metadata.entities").asLong())
        .isEqualTo(1);
    assertThat(b.get("healthy_node").asText()).isIn("node-1", "node-3");
    assertThat(r.run().out).contains("RESULT: ordering break on node-2 for order-17: derive "
        + "before load-metadata, let through by timed-wait-expired (exit 2)");
  }

  @ParameterizedTest
  @CsvSource({
      "ALL, timed-wait-expired, Node.metadataArrived",
      "TIMED, timed-wait-expired, Node.metadataArrived",
      "FLAG, readiness-flag, Node.ready",
      "LATCH, startup-latch-trivial, Node.startupLatch",
      "NONE, no-guard, "})
  void namesTheGuardThatLetTheEarlyOperationThrough(BGuards guards, String kind, String object)
      throws Exception {
    CommandRun.Result r = analyze(SampleScenario.broken().guards(guards), "--rule",
        SampleScenario.RULE);

    JsonNode guard = r.firstBreak().get("guard");
    assertThat(guard.get("kind").asText()).isEqualTo(kind);
    if (object == null) {
      assertThat(guard.get("object").isNull()).isTrue();
    } else {
      assertThat(guard.get("object").asText()).isEqualTo(object);
    }
  }

  @Test
  void interleavedKeysBreakOnlyTheRacedKey() throws Exception {
    SampleScenario s = SampleScenario.broken().keys("order-17", "order-18", "order-19")
        .brokenKeys("order-18");
    CommandRun.Result r = analyze(s, "--rule", SampleScenario.RULE);

    assertThat(r.json().get("breaks")).hasSize(1);
    assertThat(r.firstBreak().get("key").asText()).isEqualTo("order-18");
    assertThat(r.firstBreak().get("node").asText()).isEqualTo("node-2");
    for (JsonNode d : r.json().get("divergence")) {
      assertThat(d.get("verdict").asText())
          .isEqualTo(d.get("key").asText().equals("order-18") ? "one-differs" : "agree");
    }
    assertThat(r.json().get("affected")).hasSize(1);
    assertThat(r.json().get("affected").get(0).get("key").asText()).isEqualTo("order-18");
  }

  @ParameterizedTest
  @EnumSource(names = {"HEALTHY", "FIXED"})
  void healthyAndFixedRunsReportNoBreak(SampleScenario.Mode mode) throws Exception {
    SampleScenario s = SampleScenario.broken().mode(mode).keys("order-17", "order-18");
    Path raw = s.writeRawState(dir.resolve("raw.json"));
    CommandRun.Result r = analyze(s, "--rule", SampleScenario.RULE, "--raw", raw.toString());

    assertThat(r.run().exit).isZero();
    assertThat(r.json().get("breaks")).isEmpty();
    assertThat(r.json().get("affected")).isEmpty();
    assertThat(r.run().out).contains("RESULT: no ordering break found (exit 0)");
  }

  @Test
  void fixedRunShowsTheOrderIsGuaranteedWhileHealthyRunHoldsByTiming() throws Exception {
    CommandRun.Result fixed = analyze(SampleScenario.fixed(), "--rule", SampleScenario.RULE);
    CommandRun.Result healthy = CommandRun.withJson(dir,
        SampleScenario.healthy().writeOtlp(dir.resolve("healthy")), "--rule",
        SampleScenario.RULE);

    assertThat(fixed.json().get("enforcement")).allSatisfy(
        e -> assertThat(e.get("guaranteed").asBoolean()).isTrue());
    assertThat(healthy.run().out).contains(
        "derive < publish: held by timing, not enforced (no happens-before path)");
  }

  @Test
  void clockSkewBetweenNodesDoesNotChangeTheVerdict() throws Exception {
    CommandRun.Result plain = analyze(SampleScenario.broken(), "--rule", SampleScenario.RULE);
    // node-2's clock runs 25 minutes behind: by wall time its late load-metadata would look
    // earlier than every healthy node's derive; node-3 runs 7 minutes ahead.
    SampleScenario skewed = SampleScenario.broken().skew("node-2", Duration.ofMinutes(-25))
        .skew("node-3", Duration.ofMinutes(7));
    CommandRun.Result r = CommandRun.withJson(dir, skewed.writeOtlp(dir.resolve("skewed")),
        "--rule", SampleScenario.RULE);

    assertThat(r.run().exit).isEqualTo(plain.run().exit).isEqualTo(2);
    for (String field : List.of("node", "key", "early_op", "late_op", "observed_order",
        "first_break_seq")) {
      assertThat(r.firstBreak().get(field)).isEqualTo(plain.firstBreak().get(field));
    }
    assertThat(r.firstBreak().get("guard").get("kind"))
        .isEqualTo(plain.firstBreak().get("guard").get("kind"));
    assertThat(r.json().get("divergence")).isEqualTo(plain.json().get("divergence"));
    assertThat(r.firstBreak().get("time_gap_ms")).isEqualTo(plain.firstBreak().get("time_gap_ms"));
  }

  @Test
  void skewedHealthyRunStaysClean() throws Exception {
    SampleScenario s = SampleScenario.healthy().keys("order-17", "order-18")
        .skew("node-1", Duration.ofMinutes(30)).skew("node-3", Duration.ofMinutes(-30));
    CommandRun.Result r = analyze(s, "--rule", SampleScenario.RULE);

    assertThat(r.run().exit).isZero();
  }

  @Test
  void droppedEventsWarnThatTheTimelineMayBeIncomplete() throws Exception {
    CommandRun.Result r = analyze(SampleScenario.broken().dropped("node-2", 1234), "--rule",
        SampleScenario.RULE);

    assertThat(r.run().out).contains("WARNING: node-2: the agent dropped 1234 events "
        + "(race.dropped_events); its timeline may be incomplete");
    assertThat(r.json().get("warnings").toString()).contains("node-2: the agent dropped 1234");
  }

  @Test
  void spansLostToTheAgentsBudgetsWarnFromASecondFileOfTheNode() throws Exception {
    Path spans = SampleScenario.broken().writeOtlp(dir.resolve("spans"));
    // a later part of node-2's rotated span file: read with the node's first file
    FakeNode.named("node-2").budgetStats(12, 3, 4321).writeOtlp(spans.resolve("node-2.1.jsonl"));
    CommandRun.Result r = CommandRun.withJson(dir, spans, "--rule", SampleScenario.RULE);

    assertThat(r.run().exit).isEqualTo(2);
    assertThat(r.run().out).contains("WARNING: node-2: the oldest 4321 spans were deleted to stay within "
        + "racetrace.out.max (race.rotated_spans); its timeline starts late")
        .contains("WARNING: node-2: 3 spans were too large to write under racetrace.out.max")
        .contains("WARNING: node-2: the agent dropped 12 matching entries");
    assertThat(r.json().get("divergence").get(0).get("odd_node").asText()).isEqualTo("node-2");
  }

  @Test
  void noWarningWhenNothingWasDropped() throws Exception {
    CommandRun.Result r = analyze(SampleScenario.broken(), "--rule", SampleScenario.RULE);

    assertThat(r.run().out).doesNotContain("WARNING");
  }

  @Test
  void jaegerExportGivesTheSameFindingAsOtlp() throws Exception {
    SampleScenario s = SampleScenario.broken().keys("order-17", "order-18");
    CommandRun.Result otlp = analyze(s, "--rule", SampleScenario.RULE);
    Path jaeger = dir.resolve("traces.json");
    List<FakeNode> nodes = s.build();
    JaegerWriter.write(jaeger, nodes.toArray(new FakeNode[0]));
    CommandRun.Result r = CommandRun.withJson(dir, jaeger, "--rule", SampleScenario.RULE);

    assertThat(r.run().exit).isEqualTo(2);
    assertThat(r.json().get("nodes")).isEqualTo(otlp.json().get("nodes"));
    assertThat(r.json().get("divergence")).isEqualTo(otlp.json().get("divergence"));
    for (String field : List.of("node", "key", "early_op", "late_op", "first_break_seq",
        "observed_order")) {
      assertThat(r.firstBreak().get(field)).isEqualTo(otlp.firstBreak().get(field));
    }
    assertThat(r.firstBreak().get("guard").get("kind").asText()).isEqualTo("timed-wait-expired");
  }

  @Test
  void rulesRecordedByTheAgentAreApplied() throws Exception {
    CommandRun.Result r = analyze(SampleScenario.broken().recordRules());

    assertThat(r.json().get("rules").get(0).asText()).isEqualTo(SampleScenario.RULE);
    assertThat(r.firstBreak().get("reason").asText()).isEqualTo("rule");
  }

  @Test
  void withoutRawStateOrRulesTheLastPublishAndHealthyOrderFindTheBreak() throws Exception {
    CommandRun.Result r = analyze(SampleScenario.broken().keys("order-17", "order-18"));

    assertThat(r.json().get("divergence_source").asText()).isEqualTo("last-publish");
    JsonNode d = r.json().get("divergence").get(0);
    assertThat(d.get("odd_node").asText()).isEqualTo("node-2");
    assertThat(d.get("values").get("node-2").asText()).isEqualTo("derive -> publish");
    assertThat(d.get("values").get("node-1").asText())
        .isEqualTo("load-metadata, derive -> publish");
    assertThat(r.firstBreak().get("reason").asText()).isEqualTo("healthy-order");
    assertThat(r.firstBreak().get("early_op").asText()).isEqualTo("derive");
    assertThat(r.firstBreak().get("late_op").asText()).isEqualTo("load-metadata");
  }

  @Test
  void nodeAndKeyFiltersNarrowTheReport() throws Exception {
    SampleScenario s = SampleScenario.broken().keys("order-17", "order-18")
        .brokenKeys("order-17", "order-18");
    CommandRun.Result r = analyze(s, "--rule", SampleScenario.RULE, "--key", "order-18",
        "--node", "node-2");

    assertThat(r.json().get("focus").get("key").asText()).isEqualTo("order-18");
    assertThat(r.json().get("breaks")).hasSize(1);
    assertThat(r.json().get("divergence")).allSatisfy(
        d -> assertThat(d.get("key").asText()).isEqualTo("order-18"));
  }

  @Test
  void timeWindowLeavesOutOperationsOutsideIt() throws Exception {
    // The break happens at 14:30:30 on node-2; a window before the scenario starts has nothing.
    CommandRun.Result before = analyze(SampleScenario.broken(), "--rule", SampleScenario.RULE,
        "--to", "2024-05-01T14:00:00Z");
    CommandRun.Result during = CommandRun.withJson(dir, dir.resolve("spans"), "--rule",
        SampleScenario.RULE, "--from", "2024-05-01T14:29:00Z", "--to",
        String.valueOf(FakeNode.T0.plusSeconds(3600).toEpochMilli()));

    assertThat(before.run().exit).isZero();
    assertThat(during.run().exit).isEqualTo(2);
  }
}
