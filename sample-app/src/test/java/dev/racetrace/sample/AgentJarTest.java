package dev.racetrace.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentJarTest {
  @TempDir
  Path dir;

  @Test
  void noneMeansWithoutAgentAndWithoutWarning() {
    AgentJar a = AgentJar.locate(Optional.of("none"), dir);
    assertThat(a.jar()).isEmpty();
    assertThat(a.warning()).isEmpty();
  }

  @Test
  void explicitPathRelativeToTheWorkingDirectory() throws IOException {
    Path jar = Files.createFile(dir.resolve("my-agent.jar"));
    assertThat(AgentJar.locate(Optional.of("my-agent.jar"), dir).jar()).contains(jar);
  }

  @Test
  void missingJarGivesOneClearWarning() {
    AgentJar a = AgentJar.locate(Optional.of("nope.jar"), dir);
    assertThat(a.jar()).isEmpty();
    assertThat(a.warning()).hasValueSatisfying(w -> assertThat(w)
        .startsWith("WARNING: --agent nope.jar: no such file")
        .contains("WITHOUT the agent")
        .doesNotContain("\n"));
  }

  @Test
  void findsTheBuiltAgentFromTheWorkingDirectory() throws IOException {
    Path jar = dir.resolve(AgentJar.RELATIVE);
    Files.createDirectories(jar.getParent());
    Files.createFile(jar);
    assertThat(AgentJar.locate(Optional.empty(), dir).jar()).contains(jar);
  }
}
