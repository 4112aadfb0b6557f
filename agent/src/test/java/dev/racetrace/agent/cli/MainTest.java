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

  @Test
  void exportWithoutADestinationPrintsItsUsage() {
    assertThat(run("export", "racetrace-out")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(Export.USAGE + "\n");
  }

  @Test
  void exportOfAFileThatIsNotAJournalSaysSoAndFails(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path spans = dir.resolve("spans.jsonl");
    java.nio.file.Files.writeString(spans, "{\"resourceSpans\":[]}\n");
    assertThat(run("export", spans.toString(), "--otlp-json", dir.resolve("out").toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("racetrace: " + spans + ": not a racetrace journal (no chunk magic at its start)\n");
  }

  @Test
  void exportOfADirectoryWithoutJournalsSaysSo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    assertThat(run("export", dir.toString(), "--otlp")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("racetrace: no *.rtj journal files in [" + dir + "]\n");
  }
}
