package dev.racetrace.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.config.ConfigKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void versionPrintsTheVersion() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("racetrace ");
  }

  @Test
  void helpListsEveryConfigurationKey() {
    assertThat(run("--help")).isZero();
    String help = out.toString(StandardCharsets.UTF_8);
    for (ConfigKey k : ConfigKey.values()) {
      assertThat(help).contains(k.key());
    }
    assertThat(help).contains("analyze");
  }

  @Test
  void unknownCommandIsAnErrorNamingIt() {
    assertThat(run("frobnicate")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'");
  }
}
