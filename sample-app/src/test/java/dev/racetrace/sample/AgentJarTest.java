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
  void findsTheAgentJarNextToTheSampleAppJar() throws IOException {
    Path dist = Files.createDirectories(dir.resolve("dist"));
    Path app = Files.createFile(dist.resolve("racetrace-sample-app.jar"));
    Path agent = Files.createFile(dist.resolve(AgentJar.FILE_NAME));
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));

    AgentJar a = AgentJar.locate(Optional.empty(), elsewhere, Optional.of(app));

    assertThat(a.jar()).contains(agent);
    assertThat(a.missing()).isFalse();
  }

  @Test
  void notFoundOutsideTheRepositoryIsMissingAndSaysWhereItLooked() throws IOException {
    Path dist = Files.createDirectories(dir.resolve("dist"));
    Path app = Files.createFile(dist.resolve("racetrace-sample-app.jar"));

    AgentJar a = AgentJar.locate(Optional.empty(), dist, Optional.of(app));

    assertThat(a.missing()).isTrue();
    assertThat(a.problem()).hasValueSatisfying(p -> assertThat(p)
        .startsWith("racetrace agent jar not found (looked for [" + dist.resolve(AgentJar.FILE_NAME))
        .contains("put racetrace-agent.jar next to the sample app's jar", "--agent PATH"));
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
