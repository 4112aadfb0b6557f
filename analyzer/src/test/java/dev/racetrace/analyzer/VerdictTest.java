package dev.racetrace.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racetrace.analyzer.testing.CommandRun;
import dev.racetrace.analyzer.testing.FakeNode;
import dev.racetrace.analyzer.testing.SampleScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole analysis' verdict and exit code: a node whose raw state differs is never reported
 * as "no break" (exit 0); when no ordering break explains it the verdict is
 * {@code divergence-unexplained} (exit 3) with the reason and the most likely fix.
 */
class VerdictTest {
  private static final String ODD = "derived-from-0-entities";
  private static final String OK = "derived-from-1-entity";
  private static final List<String> NODES = List.of("node-1", "node-2", "node-3");

  @TempDir
  Path dir;

  /** Raw state where {@code oddNode} holds a different value for order-17 than the others. */
  private Path rawWithOdd(String oddNode, String... nodes) throws IOException {
    StringBuilder sb = new StringBuilder("[");
    for (String n : nodes) {
      sb.append(sb.length() == 1 ? "" : ",").append("{\"node\":\"").append(n)
          .append("\",\"key\":\"order-17\",\"value\":\"").append(n.equals(oddNode) ? ODD : OK)
          .append("\"}");
    }
    return Files.writeString(dir.resolve("raw-" + System.nanoTime() + ".json"),
        sb.append("]").toString());
  }

  /** {@link #rawWithOdd(String, String...)} over node-1, node-2 and node-3. */
  private Path rawWithOdd(String oddNode) throws IOException {
    return rawWithOdd(oddNode, NODES.toArray(new String[0]));
  }

  /**
   * Scripts node-1, node-2 and node-3 alike ({@code script} may ask {@link FakeNode#id()} to
   * set one apart), ends each with a stats span and writes them to {@code spans/}.
   */
  private Path threeNodes(Consumer<FakeNode> script) throws IOException {
    Path spans = Files.createDirectories(dir.resolve("spans"));
    for (String id : NODES) {
      FakeNode n = FakeNode.named(id);
      script.accept(n);
      n.stats(0, 0).writeOtlp(spans.resolve(id + ".jsonl"));
    }
    return spans;
  }

  private CommandRun.Result analyze(Path spans, String... extra) throws IOException {
    return CommandRun.withJson(dir, spans, extra);
  }

  /** {@link #analyze} under the sample rule against the raw state {@code raw}, plus {@code extra}. */
  private CommandRun.Result analyzeRule(Path spans, Path raw, String... extra) throws IOException {
    List<String> args = new java.util.ArrayList<>(
        List.of("--rule", SampleScenario.RULE, "--raw", raw.toString()));
    args.addAll(List.of(extra));
    return analyze(spans, args.toArray(new String[0]));
  }

  private static void assertUnexplained(CommandRun.Result r, String node, String cause) {
    assertThat(r.run().exit).isEqualTo(3);
    assertThat(r.json().get("verdict").asText()).isEqualTo("divergence-unexplained");
    assertThat(r.json().get("exit_code").asInt()).isEqualTo(3);
    JsonNode u = r.json().get("unexplained").get(0);
    assertThat(u.get("node").asText()).isEqualTo(node);
    assertThat(u.get("key").asText()).isEqualTo("order-17");
    assertThat(u.get("cause").asText()).isEqualTo(cause);
    assertThat(r.json().get("reason").asText()).isEqualTo(u.get("reason").asText());
    assertThat(r.json().get("fix").asText()).isEqualTo(u.get("fix").asText());
    assertThat(r.run().out).contains("RESULT: divergence unexplained on " + node
        + " for order-17: its value differs and no ordering break explains it (exit 3)")
        .doesNotContain("(exit 0)");
  }

  @Test
  void healthySpansUnderAnOddRawNodeAreUnexplainedNotNoBreak() throws Exception {
    Path spans = SampleScenario.healthy().writeOtlp(dir.resolve("spans"));
    Path raw = rawWithOdd("node-2");

    CommandRun.Result r = analyzeRule(spans, raw);

    assertUnexplained(r, "node-2", "order-held");
    assertThat(r.json().get("breaks")).isEmpty();
    assertThat(r.json().get("fix").asText()).contains("racetrace.include");
    assertThat(r.run().out).contains("4. FIRST ORDERING BREAK: none found, but a node diverged: "
        + "DIVERGENCE UNEXPLAINED");
  }

  @Test
  void healthyRunWithAgreeingRawStateIsNoBreak() throws Exception {
    Path spans = SampleScenario.healthy().writeOtlp(dir.resolve("spans"));
    Path raw = rawWithOdd("none");

    CommandRun.Result r = analyzeRule(spans, raw);

    assertThat(r.run().exit).isZero();
    assertThat(r.json().get("verdict").asText()).isEqualTo("no-break");
    assertThat(r.json().get("unexplained")).isEmpty();
    assertThat(r.json().get("reason").isNull()).isTrue();
  }

  @Test
  void brokenRunIsAnOrderingBreakVerdict() throws Exception {
    SampleScenario s = SampleScenario.broken();
    CommandRun.Result r = analyzeRule(s.writeOtlp(dir.resolve("spans")),
        s.writeRawState(dir.resolve("raw.json")));

    assertThat(r.run().exit).isEqualTo(2);
    assertThat(r.json().get("verdict").asText()).isEqualTo("ordering-break");
    assertThat(r.json().get("unexplained")).isEmpty();
  }

  /**
   * Nothing carries a key (racetrace.keys not configured): every operation is seen, without a
   * key, and node-2's raw value differs. Must not exit 0.
   */
  @Test
  void missingRacetraceKeysIsUnexplainedAndNamesTheKeysSetting() throws Exception {
    Path spans = threeNodes(n -> {
      for (String op : List.of(SampleScenario.A, SampleScenario.B, SampleScenario.C)) {
        n.run(n.dispatch(n.enqueue(op, null)), "worker-1").latchAwait(SampleScenario.STARTUP, true)
            .end();
      }
    });
    Path raw = rawWithOdd("node-2");

    CommandRun.Result r = analyzeRule(spans, raw);

    assertUnexplained(r, "node-2", "ops-without-key");
    assertThat(r.json().get("reason").asText()).isEqualTo("node-2 recorded no operation on "
        + "order-17, but 3 operations without a key (derive x1, load-metadata x1, publish x1)");
    assertThat(r.json().get("fix").asText()).contains("racetrace.keys=Class#member", "lambda");
    assertThat(r.run().out).contains("operation load-metadata seen only without a key (on "
        + "node-1, node-2, node-3)").doesNotContain("never seen");
  }

  /**
   * {@code derive} is submitted as a lambda that captures no keyed object: its tasks run, without
   * a key; the other operations are keyed. The message says "seen without a key", never
   * "never seen".
   */
  @Test
  void lambdaSubmittedOperationIsSeenWithoutAKey() throws Exception {
    Path spans = threeNodes(n -> {
      n.runToEnd(SampleScenario.A, "order-17", "worker-1");
      n.run(n.submit(SampleScenario.B, null, "worker-1"), "worker-2").end();
      n.runToEnd(SampleScenario.C, "order-17", "worker-1");
    });
    Path raw = rawWithOdd("node-2");

    CommandRun.Result r = analyzeRule(spans, raw);

    assertUnexplained(r, "node-2", "op-without-key");
    assertThat(r.json().get("reason").asText()).isEqualTo("operation derive was seen on node-2 "
        + "only without a key (1 times), so it is not on order-17's timeline");
    assertThat(r.json().get("warnings").toString()).contains(
        "operation derive seen only without a key (on node-1, node-2, node-3): set "
            + "racetrace.keys for its element or task class, or capture the keyed object in the "
            + "lambda handed to the executor");
    assertThat(r.run().out).doesNotContain("derive never seen");
  }

  @Test
  void operationNeverSeenIsSaidOnlyWhenItWasNeverSeen() throws Exception {
    Path spans = SampleScenario.healthy().writeOtlp(dir.resolve("spans"));
    Path raw = rawWithOdd("node-2");

    CommandRun.Result r = analyze(spans, "--rule", "load-metadata < validate < publish",
        "--raw", raw.toString());

    assertUnexplained(r, "node-2", "op-never-seen");
    assertThat(r.json().get("reason").asText()).isEqualTo("operation validate of rule "
        + "\"load-metadata < validate < publish\" was never seen (race.op) on any node");
    assertThat(r.run().out).contains("WARNING: rule \"load-metadata < validate < publish\": "
        + "operation validate never seen (race.op)");
  }

  /**
   * {@code warm} runs as a lambda that captures only the key's String: its runs carry neither op
   * nor key. "Never seen" is true of the op name, so the fix must point at the lambda capture.
   */
  @Test
  void operationRunAsALambdaCapturingNothingNamedPointsAtTheCapture() throws Exception {
    Path spans = Files.createDirectories(dir.resolve("bare-lambda"));
    for (String id : NODES) {
      FakeNode n = FakeNode.named(id);
      FakeNode.Task warm = n.submit(null, null, "main");
      FakeNode.Element price = n.enqueueOn("Cache.requests", "price", "order-17", "main",
          Long.MIN_VALUE);
      n.run(warm, "worker-1").end();
      n.process(price, "pricer").end();
      n.writeOtlp(spans.resolve(id + ".jsonl"));
    }
    Path raw = rawWithOdd("node-2");

    CommandRun.Result r = analyze(spans, "--rule", "warm < price", "--raw", raw.toString());

    assertUnexplained(r, "node-2", "op-never-seen");
    assertThat(r.json().get("reason").asText()).contains("was never seen (race.op) on any node",
        "node-2 ran work with neither op nor key (", " run x1)");
    assertThat(r.json().get("fix").asText()).startsWith("if that work is warm: a lambda or method "
        + "reference handed to an executor takes the op and key only of an object it captures");
  }

  @Test
  void nodeIdMismatchNamesTheResourceAttributeToSet() throws Exception {
    Path spans = SampleScenario.healthy().writeOtlp(dir.resolve("spans"));
    Path raw = rawWithOdd("replica-2", "node-1", "replica-2", "node-3");

    CommandRun.Result r = analyzeRule(spans, raw);

    assertUnexplained(r, "replica-2", "node-not-in-spans");
    assertThat(r.json().get("fix").asText())
        .contains("OTEL_RESOURCE_ATTRIBUTES=service.instance.id=replica-2");
    assertThat(r.run().out).contains("WARNING: raw state names node replica-2, which has no spans"
        + " (the spans have node-2 instead: give each node the same id in both, e.g. "
        + "OTEL_RESOURCE_ATTRIBUTES=service.instance.id=replica-2)")
        .contains("WARNING: node-2 has spans but no raw state: its values were not compared");
  }

  @Test
  void lateOperationMissingOnTheOddNodeIsABreakAgainstTheHealthyNode() throws Exception {
    Path spans = threeNodes(n -> {
      if (!n.id().equals("node-2")) {
        n.runToEnd(SampleScenario.A, "order-17", "worker-1");
      }
      n.runToEnd(SampleScenario.B, "order-17", "worker-1");
      n.runToEnd(SampleScenario.C, "order-17", "worker-1");
    });
    Path raw = rawWithOdd("node-2");

    CommandRun.Result r = analyzeRule(spans, raw);

    // Compared with a healthy node, derive went on without the load-metadata that precedes it
    // there: a break whose late operation never appeared.
    assertThat(r.run().exit).isEqualTo(2);
    assertThat(r.firstBreak().get("node").asText()).isEqualTo("node-2");
    assertThat(r.firstBreak().get("late_op").asText()).isEqualTo(SampleScenario.A);
    assertThat(r.firstBreak().get("late").isNull()).isTrue();
  }

  /** No other node recorded the key to compare with, and the late operation never ran. */
  @Test
  void lateOperationMissingWithNothingToCompareIsUnexplained() throws Exception {
    Path spans = threeNodes(n -> {
      String key = n.id().equals("node-2") ? "order-17" : "order-99";
      if (!n.id().equals("node-2")) {
        n.runToEnd(SampleScenario.A, key, "worker-1");
      }
      n.runToEnd(SampleScenario.B, key, "worker-1");
      n.runToEnd(SampleScenario.C, key, "worker-1");
    });
    Path raw = rawWithOdd("node-2");

    CommandRun.Result r = analyzeRule(spans, raw);

    assertUnexplained(r, "node-2", "late-op-missing");
    assertThat(r.json().get("reason").asText()).isEqualTo("operation load-metadata never "
        + "appeared on order-17 on node-2 (seen elsewhere): it may not have run before the trace"
        + " ended");
  }

  @Test
  void noRuleAndNothingToCompareIsUnexplained() throws Exception {
    Path spans = threeNodes(n -> n.runToEnd(SampleScenario.B,
        n.id().equals("node-2") ? "order-17" : "order-99", "worker-1"));
    Path raw = rawWithOdd("node-2");

    CommandRun.Result r = analyze(spans, "--raw", raw.toString());

    assertUnexplained(r, "node-2", "no-rule");
    assertThat(r.json().get("fix").asText()).contains("--rule");
  }

  @Test
  void nodeFilterMatchingNothingIsAnErrorListingTheNodes() throws Exception {
    Path spans = SampleScenario.broken().writeOtlp(dir.resolve("spans"));

    CommandRun r = CommandRun.of(spans.toString(), "--rule", SampleScenario.RULE, "--node",
        "node-9");

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.err).isEqualTo("racetrace analyze: --node node-9 matches no node in the spans;"
        + " nodes: node-1, node-2, node-3\n");
  }

  @Test
  void keyFilterMatchingNothingIsAnErrorListingTheKeys() throws Exception {
    Path spans = SampleScenario.broken().keys("order-17", "order-18")
        .writeOtlp(dir.resolve("spans"));

    CommandRun r = CommandRun.of(spans.toString(), "--key", "order-99");

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.err).isEqualTo("racetrace analyze: --key order-99 matches no key in the spans;"
        + " keys: order-17, order-18\n");
  }

  @Test
  void keyKnownOnlyToTheRawStateIsNotAnError() throws Exception {
    Path spans = SampleScenario.healthy().writeOtlp(dir.resolve("spans"));
    Path raw = Files.writeString(dir.resolve("raw.json"), "[{\"node\":\"node-1\",\"key\":\"k9\","
        + "\"value\":1},{\"node\":\"node-2\",\"key\":\"k9\",\"value\":2},{\"node\":\"node-3\","
        + "\"key\":\"k9\",\"value\":1}]");

    CommandRun.Result r = analyze(spans, "--key", "k9", "--raw", raw.toString());

    assertThat(r.run().exit).isEqualTo(3);
    assertThat(r.json().get("unexplained").get(0).get("cause").asText())
        .isEqualTo("no-operations");
  }

  @Test
  void repeatedRawMergesOneFilePerNode() throws Exception {
    SampleScenario s = SampleScenario.broken();
    Path spans = s.writeOtlp(dir.resolve("spans"));
    Path rawDir = Files.createDirectories(dir.resolve("raw"));
    List<String> args = new java.util.ArrayList<>(List.of("--rule", SampleScenario.RULE));
    for (String n : NODES) {
      Path f = Files.writeString(rawDir.resolve(n + ".json"), "[{\"node\":\"" + n
          + "\",\"key\":\"order-17\",\"value\":\"" + (n.equals("node-2") ? ODD : OK) + "\"}]");
      args.add("--raw");
      args.add(f.toString());
    }

    CommandRun.Result files = analyze(spans, args.toArray(new String[0]));
    CommandRun.Result directory = analyzeRule(spans, rawDir);

    for (CommandRun.Result r : List.of(files, directory)) {
      assertThat(r.run().exit).isEqualTo(2);
      assertThat(r.json().get("raw_nodes").toString())
          .isEqualTo("[\"node-1\",\"node-2\",\"node-3\"]");
      JsonNode d = r.json().get("divergence").get(0);
      assertThat(d.get("verdict").asText()).isEqualTo("one-differs");
      assertThat(d.get("odd_node").asText()).isEqualTo("node-2");
      assertThat(r.firstBreak().get("node").asText()).isEqualTo("node-2");
    }
    assertThat(files.run().out).contains("1. DIVERGENCE (raw state: node-1.json, node-2.json, "
        + "node-3.json)");
  }

  @Test
  void agreementIsClaimedOnlyForNodesWhoseRawStateWasLoaded() throws Exception {
    Path spans = SampleScenario.healthy().writeOtlp(dir.resolve("spans"));
    Path raw = rawWithOdd("none", "node-1", "node-2");

    CommandRun.Result r = analyzeRule(spans, raw);

    assertThat(r.run().out).contains("the only key agrees across node-1, node-2 (")
        .doesNotContain("agrees across node-1, node-2, node-3")
        .contains("WARNING: node-3 has spans but no raw state: its values were not compared");
  }

  /**
   * The spans show a rule violation on node-2, but the raw state says node-2 agrees and node-3
   * is the odd one: node-2's violation is a warning, not the break of the diverged node, and
   * node-3's divergence stays unexplained.
   */
  @Test
  void ruleViolationOnAnAgreeingNodeIsAWarningNotTheBreak() throws Exception {
    Path spans = SampleScenario.broken().writeOtlp(dir.resolve("spans"));
    Path raw = rawWithOdd("node-3");

    CommandRun.Result r = analyzeRule(spans, raw);

    assertUnexplained(r, "node-3", "order-held");
    assertThat(r.json().get("breaks")).isEmpty();
    JsonNode v = r.json().get("rule_violations_without_divergence").get(0);
    assertThat(v.get("node").asText()).isEqualTo("node-2");
    assertThat(r.run().out).contains("WARNING: node-2, order-17: derive proceeded before "
        + "load-metadata ended at seq 16 (timed-wait-expired), but node-2's raw state agrees")
        .contains("but node-2's raw state agrees with the other nodes: a rule violation without "
            + "divergence");
    assertThat(r.run().out).doesNotContain("4. FIRST ORDERING BREAK node-2");
  }

  @Test
  void ruleViolationOnAnAgreeingNodeWithNoDivergenceExitsZeroWithAWarning() throws Exception {
    Path spans = SampleScenario.broken().writeOtlp(dir.resolve("spans"));
    Path raw = rawWithOdd("none");

    CommandRun.Result r = analyzeRule(spans, raw);

    assertThat(r.run().exit).isZero();
    assertThat(r.json().get("rule_violations_without_divergence")).hasSize(1);
    assertThat(r.json().get("warnings").toString()).contains("a rule violation without divergence");
  }

  @Test
  void htmlBadgeSaysDivergenceUnexplained() throws Exception {
    Path spans = SampleScenario.healthy().writeOtlp(dir.resolve("spans"));
    Path raw = rawWithOdd("node-2");
    Path html = dir.resolve("r.html");

    CommandRun r = CommandRun.of(spans.toString(), "--rule", SampleScenario.RULE, "--raw",
        raw.toString(), "--html", html.toString());

    assertThat(r.exit).isEqualTo(3);
    String page = Files.readString(html);
    assertThat(page).contains("DIVERGENCE UNEXPLAINED &middot; exit 3")
        .contains("Divergence unexplained: no ordering break found")
        .contains("None found, but a node diverged: the divergence is unexplained")
        .doesNotContain("NO BREAK &middot; exit 0");
  }

  /** A long guard object name is shortened; the outcome (TIMED OUT) is never cut. */
  @Test
  void textReportNeverCutsTheGuardOutcome() throws Exception {
    String latch = "com.acme.pricing.PriceCache.awaitWarm:skuWarmupLatchForTheWholeCatalog";
    FakeNode n = FakeNode.named("node-1");
    FakeNode.Task a = n.dispatch(n.enqueue("load", "sku-1"));
    FakeNode.Task b = n.dispatch(n.enqueue("price", "sku-1"));
    n.run(b, "worker-1").timedWait(latch, true, java.time.Duration.ofSeconds(30)).end();
    n.run(a, "worker-2").end();
    Path spans = n.stats(0, 0).writeOtlp(dir.resolve("n1.jsonl"));

    CommandRun r = CommandRun.of(spans.toString(), "--rule", "load < price per key");

    assertThat(r.exit).isEqualTo(2);
    // The timelines' guard row (step 3), 46 columns wide.
    String guards = r.out.lines().filter(l -> l.startsWith("     guards") && l.contains("Catalog"))
        .findFirst().orElseThrow();
    assertThat(guards).isEqualTo("     guards       wait ...tchForTheWholeCatalog: TIMED OUT 30s");
  }

  @Test
  void nodeFilterOnAHealthyNodeNamesTheNodeThatDiverged() throws Exception {
    Path spans = SampleScenario.healthy().writeOtlp(dir.resolve("spans"));
    Path raw = rawWithOdd("node-2");

    CommandRun.Result r = analyzeRule(spans, raw, "--node", "node-1");
    CommandRun.Result odd = analyzeRule(spans, raw, "--node", "node-2");

    assertThat(r.run().exit).isZero();
    assertThat(r.run().out).contains("WARNING: --node node-1: other nodes diverged and are not "
        + "analysed: node-2 on order-17");
    assertThat(odd.run().exit).isEqualTo(3);
  }

  @Test
  void twoRawFilesDisagreeingOnANodeWithoutVersionsAreNamed() throws Exception {
    Path spans = SampleScenario.healthy().writeOtlp(dir.resolve("spans"));
    Path all = rawWithOdd("none");
    Path again = Files.writeString(dir.resolve("again.json"),
        "[{\"node\":\"node-2\",\"key\":\"order-17\",\"value\":\"" + ODD + "\"}]");

    CommandRun.Result r = analyzeRule(spans, all, "--raw", again.toString());

    assertThat(r.run().out).contains("WARNING: raw state: node-2 order-17 differs between "
        + all.getFileName() + " and again.json and has no version to choose by; the value in "
        + "again.json is used");
    assertThat(r.run().exit).isEqualTo(3);
  }

  /**
   * Without raw state the values are inferred from the spans: a node that has not published a
   * key yet is "missing" there, not a divergence of state, and does not make the run fail.
   */
  @Test
  void withoutRawStateAKeyNotPublishedYetIsNotUnexplained() throws Exception {
    Path spans = threeNodes(n -> {
      n.runToEnd(SampleScenario.A, "order-17", "worker-1");
      if (!n.id().equals("node-2")) {
        n.runToEnd(SampleScenario.C, "order-17", "worker-1");
      }
    });

    CommandRun.Result r = analyze(spans, "--rule", "load-metadata < publish");

    assertThat(r.json().get("divergence_source").asText()).isEqualTo("last-publish");
    assertThat(r.json().get("divergence").get(0).get("verdict").asText()).isEqualTo("missing");
    assertThat(r.run().exit).isZero();
    assertThat(r.json().get("unexplained")).isEmpty();
  }
}
