package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racetrace.it.programs.PriceCacheProgram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second race shape under the real agent, configured only from docs/configuration.md: three
 * replicas of {@link PriceCacheProgram} (a Condition {@code awaitNanos} loop, a readiness flag,
 * lambda-submitted warm-ups on a pool, a queue with one consumer), 20 seeds each. Broken seeds
 * name the congested node, the raced key, {@code price} before {@code warm} and the expired timed
 * wait on the condition; fixed seeds show no break; a replica whose raw state agrees never shows
 * one; without {@code racetrace.keys} the divergence is unexplained, never exit 0.
 */
class ConditionGuardIT {
  private static final String P = PriceCacheProgram.class.getName();
  private static final String RULE = "warm < price < publish per key";
  private static final String CONDITION = "PriceCacheProgram$PriceCache.warmed";
  static final List<String> NODES = List.of("node-1", "node-2", "node-3");
  private static final int SEEDS = 20;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path dir; // kept for diagnosis on failure

  /** Runs the three replicas side by side; returns the run's directory (spans/, raw/). */
  private static Path cluster(String name, String mode, int seeds, boolean keys) throws Exception {
    return cluster(name, mode, seeds, keys, false);
  }

  private static Path cluster(String name, String mode, int seeds, boolean keys, boolean bareLambda)
      throws Exception {
    return cluster(dir.resolve(name), mode, seeds, keys, bareLambda, false);
  }

  /**
   * Runs the three replicas side by side into {@code run} (spans/, raw/); {@code monitor} makes
   * them wait with synchronized + Object.wait instead of the Condition.
   */
  static Path cluster(Path run, String mode, int seeds, boolean keys, boolean bareLambda,
      boolean monitor) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(NODES.size()); // a thread per replica's JVM
    try {
      List<Future<ForkedJvm.Result>> nodes = new ArrayList<>();
      for (String node : NODES) {
        List<String> jvm = new ArrayList<>(List.of("-Dracetrace.include=dev.racetrace.it.programs",
            "-Dracetrace.out=" + run.resolve("spans"),
            "-Dracetrace.ops=" + P + "$Warm=warm," + P + "$Price=price," + P + "$Publish=publish",
            "-Dracetrace.guards.flags=" + P + "$PriceCache#ready"));
        if (keys) {
          jvm.add("-Dracetrace.keys=" + P + "$Op#sku");
        }
        nodes.add(pool.submit(() -> ForkedJvm.withAgent().jvmArg(jvm.toArray(new String[0]))
            .env("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=" + node)
            .run(PriceCacheProgram.class, node, mode, "1", Integer.toString(seeds),
                run.resolve("raw").toString(), bareLambda ? "bare-lambda" : "keyed-lambda",
                monitor ? "monitor" : "condition")));
      }
      for (Future<ForkedJvm.Result> f : nodes) {
        ForkedJvm.Result r = f.get();
        assertThat(r.exitCode).as("%s", r).isZero();
        assertThat(r.nonEmptyStderr()).doesNotContain("disabled").doesNotContain("dropped");
      }
      return run;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The analyzer on one seed: every replica's spans and raw state; JSON plus "exit". */
  static JsonNode analyze(Path run, Map<Long, Path> bySeed, long seed) throws Exception {
    Path spans = bySeed.get(seed);
    assertThat(spans).as("spans of seed %d", seed).isNotNull();
    List<String> args = new ArrayList<>(List.of(spans.toString(), "--rule", RULE));
    for (String node : NODES) {
      args.add("--raw");
      args.add(run.resolve("raw/seed-" + seed + "/" + node + ".json").toString());
    }
    return InProcessAnalyzer.run(run.resolve("analysis-" + seed + ".json"), args);
  }

  /** What the program decides for a seed: {congested node, raced key}. */
  static String[] race(long seed) {
    Random r = new Random(seed);
    int keys = 3 + r.nextInt(3);
    return new String[] {"node-" + (1 + r.nextInt(3)), "sku-" + (100 + r.nextInt(keys))};
  }

  @Test
  void brokenSeedsNameTheFirstBreakAndTheExpiredConditionWait() throws Exception {
    Path run = cluster("broken", "broken", SEEDS, true);
    List<String> wrong = brokenSeedsDiagnosedWrongly(run, SEEDS, "condition.await", CONDITION, dir);
    // one name per guard on every node and at every site, though two methods read it into locals
    SpanFile spans = SpanFile.readDir(run.resolve("spans"));
    assertThat(spans.where(s -> "condition".equals(s.str("race.guard.kind"))))
        .isNotEmpty().allSatisfy(s -> assertThat(s.str("race.guard.object")).isEqualTo(CONDITION));
    assertThat(spans.where(s -> "lock".equals(s.str("race.guard.kind"))))
        .isNotEmpty().allSatisfy(s -> assertThat(s.str("race.guard.object"))
            .isEqualTo("PriceCacheProgram$PriceCache.lock"));
    assertThat(wrong).as("seeds diagnosed wrongly (files in %s)", dir).hasSizeLessThanOrEqualTo(1);
  }

  /**
   * Analyzes seeds 1..{@code seeds} of a broken run: asserts that no replica whose raw state
   * agrees shows a break, and returns a line for each seed whose analysis does not name the raced
   * key's break, price before warm, and the expired {@code waitEvent} on {@code guardObject}
   * (see {@link #diagnose}). {@code files} is named on failure.
   */
  static List<String> brokenSeedsDiagnosedWrongly(Path run, int seeds, String waitEvent,
      String guardObject, Path files) throws Exception {
    Map<Long, Path> bySeed = SeedSplitter.split(run.resolve("spans"), run.resolve("seeds"));
    List<String> wrong = new ArrayList<>();
    List<String> onAgreeingNodes = new ArrayList<>();
    for (long seed = 1; seed <= seeds; seed++) {
      String[] race = race(seed);
      JsonNode r = analyze(run, bySeed, seed);
      for (JsonNode b : r.path("breaks")) {
        if (!b.path("node").asText().equals(race[0])) {
          onAgreeingNodes.add("seed " + seed + ": " + b.path("summary").asText());
        }
      }
      String problem = diagnose(r, race, waitEvent, guardObject);
      if (problem != null) {
        wrong.add("seed " + seed + " (" + race[0] + " " + race[1] + "): " + problem);
      }
    }
    assertThat(onAgreeingNodes).as("a break on a replica whose raw state agrees (files in %s)", files)
        .isEmpty();
    return wrong;
  }

  /**
   * Fixed seeds 1..{@code seeds} of a run: no analysis shows a break, and some warm &lt; price
   * order is guaranteed by the untimed loop's check. {@code files} is named on failure.
   */
  static void assertFixedSeedsCleanAndGuaranteed(Path run, int seeds, Path files) throws Exception {
    List<Map.Entry<Long, JsonNode>> orders = warmFirstOrdersOfCleanSeeds(run, seeds, "fixed", files);
    assertThat(orders).as("warm < price guaranteed by the untimed loop's check")
        .anyMatch(o -> o.getValue().path("guaranteed").asBoolean());
  }

  /**
   * Healthy seeds 1..{@code seeds} of a run: no analysis shows a break, warm &lt; price orders are
   * reported, none of them guaranteed, each with a detail starting with {@code detailPrefix}.
   * {@code files} is named on failure.
   */
  static void assertHealthySeedsCleanAndNeverGuaranteed(Path run, int seeds, String detailPrefix,
      Path files) throws Exception {
    List<Map.Entry<Long, JsonNode>> orders = warmFirstOrdersOfCleanSeeds(run, seeds, "healthy", files);
    assertThat(orders).as("warm < price orders reported").isNotEmpty();
    for (Map.Entry<Long, JsonNode> o : orders) {
      assertThat(o.getValue().path("guaranteed").asBoolean()).as("seed %d: %s", o.getKey(), o.getValue()).isFalse();
      assertThat(o.getValue().path("detail").asText()).as("seed %d", o.getKey()).startsWith(detailPrefix);
    }
  }

  /**
   * Analyzes seeds 1..{@code seeds} of a {@code what} (fixed, healthy) run, asserts that none shows
   * a break, and returns the warm &lt; price orders the analyses report, each with its seed.
   */
  private static List<Map.Entry<Long, JsonNode>> warmFirstOrdersOfCleanSeeds(Path run, int seeds, String what,
      Path files) throws Exception {
    Map<Long, Path> bySeed = SeedSplitter.split(run.resolve("spans"), run.resolve("seeds"));
    List<String> wrong = new ArrayList<>();
    List<Map.Entry<Long, JsonNode>> orders = new ArrayList<>();
    for (long seed = 1; seed <= seeds; seed++) {
      JsonNode r = analyze(run, bySeed, seed);
      noteIfNotClean(r, seed, wrong);
      for (JsonNode e : r.path("enforcement")) {
        if (e.path("first").asText().startsWith("warm")) {
          orders.add(Map.entry(seed, e));
        }
      }
    }
    assertThat(wrong).as("%s seeds with a break (files in %s)", what, files).isEmpty();
    return orders;
  }

  /** Null when the analysis names the raced key's break, price before warm, and the expired wait. */
  static String diagnose(JsonNode r, String[] race, String waitEvent, String guardObject) {
    if (r.path("exit").asInt() != 2) {
      return "exit " + r.path("exit").asInt() + "\n" + r.path("text").asText();
    }
    JsonNode focus = r.path("focus");
    if (!focus.path("node").asText().equals(race[0]) || !focus.path("key").asText().equals(race[1])) {
      return "focus " + focus;
    }
    JsonNode b = null;
    for (JsonNode x : r.path("breaks")) {
      if (x.path("node").asText().equals(race[0]) && x.path("key").asText().equals(race[1])) {
        b = x;
      }
    }
    if (b == null) {
      return "no break on the raced key: " + r.path("breaks");
    }
    if (!b.path("early_op").asText().equals("price") || !b.path("late_op").asText().equals("warm")) {
      return "break " + b.path("summary").asText();
    }
    JsonNode guard = b.path("guard");
    if (!guard.path("kind").asText().equals("timed-wait-expired")
        || !guard.path("event").asText().equals(waitEvent)
        || !guard.path("object").asText().equals(guardObject)) {
      return "guard " + guard;
    }
    return null;
  }

  /** Adds a line to {@code wrong} unless the analysis exited 0 with no break and no rule violation. */
  static void noteIfNotClean(JsonNode r, long seed, List<String> wrong) {
    if (r.path("exit").asInt() != 0 || r.path("breaks").size() > 0
        || r.path("rule_violations_without_divergence").size() > 0) {
      wrong.add("seed " + seed + ": exit " + r.path("exit").asInt() + " " + r.path("breaks")
          + r.path("rule_violations_without_divergence"));
    }
  }

  @Test
  void fixedSeedsShowNoBreakAndTheirOrderIsGuaranteedUnderTheLock() throws Exception {
    assertFixedSeedsCleanAndGuaranteed(cluster("fixed", "fixed", SEEDS, true), SEEDS, dir);
  }

  /**
   * Healthy: the same awaitNanos loop, no slow load. No break, and an order the timed loop kept
   * is never called guaranteed, whether the key was already warm or the wait was signalled.
   */
  @Test
  void healthySeedsShowNoBreakAndTheTimedLoopIsNeverCalledGuaranteed() throws Exception {
    assertHealthySeedsCleanAndNeverGuaranteed(cluster("healthy", "healthy", SEEDS, true), SEEDS,
        "held by timing (timed wait, would have proceeded on timeout: ", dir);
  }

  @Test
  void withoutRacetraceKeysAnOddReplicaIsUnexplainedNeverExitZero() throws Exception {
    Path run = cluster("nokeys", "broken", 3, false);
    Map<Long, Path> bySeed = SeedSplitter.split(run.resolve("spans"), run.resolve("seeds"));
    for (long seed = 1; seed <= 3; seed++) {
      JsonNode r = analyze(run, bySeed, seed);
      assertThat(r.path("exit").asInt()).as("seed %d: %s", seed, r.path("text").asText()).isEqualTo(3);
      assertThat(r.path("verdict").asText()).isEqualTo("divergence-unexplained");
      assertThat(r.path("fix").asText()).as("seed %d", seed).contains("racetrace.keys");
    }
  }

  /**
   * The warm-up handed to the pool as a lambda that captures only the key's String: its tasks
   * run without a key or op. The odd replica must be unexplained (exit 3) with a fix naming the
   * lambda capture or racetrace.keys, never a green exit 0.
   */
  @Test
  void aWarmUpLambdaCapturingNoKeyedObjectIsUnexplainedNeverExitZero() throws Exception {
    Path run = cluster("bare-lambda", "broken", 3, true, true);
    Map<Long, Path> bySeed = SeedSplitter.split(run.resolve("spans"), run.resolve("seeds"));
    for (long seed = 1; seed <= 3; seed++) {
      JsonNode r = analyze(run, bySeed, seed);
      assertThat(r.path("exit").asInt()).as("seed %d: %s", seed, r.path("text").asText()).isEqualTo(3);
      assertThat(r.path("verdict").asText()).isEqualTo("divergence-unexplained");
      assertThat(r.path("reason").asText()).as("seed %d", seed)
          .contains("ran work with neither op nor key (PriceCacheProgram.runSeed:workers run x");
      assertThat(r.path("fix").asText()).as("seed %d", seed)
          .startsWith("if that work is warm: a lambda or method reference");
    }
  }
}
