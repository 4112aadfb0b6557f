package dev.racetrace.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("demo", "node", "sweep", "--reconcile");
  }

  @Test
  void noArgumentsPrintsUsageAndFails() {
    assertThat(run()).isEqualTo(2);
  }

  @Test
  void badOptionsNameTheOption() {
    assertThat(run("demo", "--mode", "sloppy")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--mode sloppy: expected broken or fixed");
    assertThat(run("demo", "--colour", "red")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --colour");
    assertThat(run("frobnicate")).isEqualTo(2);
  }

  @Test
  void nodeHelp() {
    assertThat(run("node", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--seeds A..B", "--congested true|false|auto");
  }

  @Test
  void demoWithoutTheAgentStopsWithANonZeroExitAfterItsMessage() {
    assertThat(run("demo", "--agent", "no-such-agent.jar", "--out", "target/main-test-demo"))
        .isEqualTo(Main.AGENT_MISSING).isNotZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("demo: --agent no-such-agent.jar: no such file")
        .contains("demo: not run: without the agent nothing would be recorded (exit 3)")
        .doesNotContain("starting");
  }
}
