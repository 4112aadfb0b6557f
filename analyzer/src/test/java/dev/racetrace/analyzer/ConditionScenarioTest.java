package dev.racetrace.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racetrace.analyzer.testing.CommandRun;
import dev.racetrace.analyzer.testing.ConditionScenario;
import dev.racetrace.analyzer.testing.ConditionScenario.Guard;
import dev.racetrace.analyzer.testing.ConditionScenario.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Twenty seeds of a race with a Condition-based guard (a timed {@code awaitNanos} loop, a global
 * readiness flag, two executors): the broken runs name the congested node, a raced key,
 * {@code price} before {@code warm} and the expired timed wait; healthy and fixed runs show no
 * break, and no break is ever shown on a node whose raw state agrees.
 */
class ConditionScenarioTest {
  private static final int SEEDS = 20;

  @TempDir
  Path dir;

  private CommandRun.Result analyze(ConditionScenario s) throws Exception {
    Path run = Files.createDirectories(dir.resolve("run-" + System.nanoTime()));
    Path spans = s.writeOtlp(run.resolve("spans"));
    Path raw = s.writeRawState(run.resolve("raw.json"));
    return CommandRun.withJson(run, spans, "--rule", ConditionScenario.RULE, "--raw",
        raw.toString());
  }

  /** The same logical guard, as a Condition loop or a per-key latch, gets the same verdict. */
  @ParameterizedTest
  @EnumSource(Guard.class)
  void brokenRunsNameTheFirstBreakAndGuardOnEverySeed(Guard kind) throws Exception {
    List<String> wrong = new ArrayList<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      ConditionScenario s = new ConditionScenario(seed, Mode.BROKEN, kind);
      CommandRun.Result r = analyze(s);
      String problem = diagnose(s, r);
      if (problem != null) {
        wrong.add(s + ": " + problem);
      }
    }
    assertThat(wrong).as("seeds diagnosed wrongly").isEmpty();
  }

  private static String diagnose(ConditionScenario s, CommandRun.Result r) {
    if (r.run().exit != 2) {
      return "exit " + r.run().exit + "\n" + r.run().out + r.run().err;
    }
    JsonNode focus = r.json().get("focus");
    JsonNode b = null;
    for (JsonNode x : r.json().get("breaks")) {
      if (!x.get("node").asText().equals(s.congestedNode())) {
        return "a break on " + x.get("node").asText() + ", whose raw state agrees";
      }
      if (x.get("node").asText().equals(focus.get("node").asText())
          && x.get("key").asText().equals(focus.get("key").asText())) {
        b = x;
      }
    }
    if (b == null || !s.racedKeys().contains(b.get("key").asText())) {
      return "focus break " + (b == null ? "missing" : "on " + b.get("key").asText());
    }
    if (!b.get("early_op").asText().equals(ConditionScenario.B)
        || !b.get("late_op").asText().equals(ConditionScenario.A)) {
      return "break " + b.get("summary").asText();
    }
    JsonNode guard = b.get("guard");
    if (!guard.get("kind").asText().equals("timed-wait-expired")
        || !guard.get("object").asText().equals(s.condition(b.get("key").asText()))
        || !guard.get("event").asText().endsWith(".await")) {
      return "guard " + guard;
    }
    if (r.json().get("breaks").size() != s.racedKeys().size()) {
      return r.json().get("breaks").size() + " breaks for " + s.racedKeys().size() + " raced keys";
    }
    return null;
  }

  @ParameterizedTest
  @EnumSource(Guard.class)
  void healthyAndFixedRunsShowNoBreakOnEverySeed(Guard kind) throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Mode mode : List.of(Mode.HEALTHY, Mode.FIXED)) {
      for (long seed = 1; seed <= SEEDS; seed++) {
        ConditionScenario s = new ConditionScenario(seed, mode, kind);
        CommandRun.Result r = analyze(s);
        if (r.run().exit != 0 || r.json().get("breaks").size() > 0
            || r.json().get("rule_violations_without_divergence").size() > 0) {
          wrong.add(s + ": exit " + r.run().exit + " " + r.json().get("breaks"));
        }
      }
    }
    assertThat(wrong).as("seeds with a false break").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Guard.class)
  void anOrderKeptByTheTimedWaitIsNeverCalledGuaranteed(Guard kind) throws Exception {
    int timed = 0;
    String signal = kind == Guard.LATCH ? "latch.count_down PriceCache.warmLatch"
        : "condition.signal PriceCache.warmed";
    for (long seed = 1; seed <= SEEDS; seed++) {
      CommandRun.Result r = analyze(new ConditionScenario(seed, Mode.HEALTHY, kind));
      for (JsonNode e : r.json().get("enforcement")) {
        String detail = e.get("detail").asText();
        if (detail.contains(signal)) {
          timed++;
          assertThat(e.get("guaranteed").asBoolean()).as("seed %d: %s", seed, detail).isFalse();
          assertThat(detail).startsWith("held by timing (timed wait, would have proceeded on "
              + "timeout: " + signal);
        }
      }
    }
    assertThat(timed).as("orders kept by a signalled timed wait over %d seeds", SEEDS)
        .isPositive();
  }
}
