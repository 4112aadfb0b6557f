package dev.racetrace.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeLauncherTest {
  @Test
  void withoutAgentNoAgentFlags() {
    NodeLauncher l = new NodeLauncher(Path.of("/jdk/bin/java"), "/cp.jar", Optional.empty(), Path.of("/out"));
    List<String> cmd = l.command(List.of("--id", "node-1"));
    assertThat(cmd).startsWith("/jdk/bin/java").containsSequence("-cp", "/cp.jar",
        "dev.racetrace.sample.Main", "node", "--id", "node-1");
    assertThat(cmd).noneMatch(a -> a.startsWith("-javaagent") || a.startsWith("-Dracetrace"));
  }

  @Test
  void withAgentTheAgentAndItsConfigurationComeBeforeTheClassPath() {
    NodeLauncher l = new NodeLauncher(Path.of("java"), "/cp.jar", Optional.of(Path.of("/a/agent.jar")),
        Path.of("/out/spans"));
    List<String> cmd = l.command(List.of());
    assertThat(cmd).containsSubsequence("-javaagent:/a/agent.jar", "-Dracetrace.include=dev.racetrace.sample.node",
        "-Dracetrace.out=/out/spans", "-cp");
    assertThat(cmd).containsAll(AgentConfig.systemProperties(Path.of("/out/spans")));
  }

  @Test
  void withTheJournalTheNodesRecordOneInsteadOfSpanFiles() {
    NodeLauncher l = new NodeLauncher(Path.of("java"), "/cp.jar", Optional.of(Path.of("/a/agent.jar")),
        Path.of("/out/spans")).recordToJournal();
    List<String> cmd = l.command(List.of("--id", "node-1"));
    assertThat(cmd).contains("-Dracetrace.exporter=journal", "-Dracetrace.out=/out/spans");
    assertThat(cmd.indexOf("-Dracetrace.exporter=journal")).isLessThan(cmd.indexOf("-cp"));
  }

  @Test
  void dropsInheritedSettingsThatWouldChangeTheAgentOrJvm() {
    assertThat(NodeLauncher.droppedVariables(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "x",
        "RACETRACE_INCLUDE", "y", "JAVA_TOOL_OPTIONS", "z", "HOME", "/root", "PATH", "/bin")))
        .containsExactly("JAVA_TOOL_OPTIONS", "OTEL_EXPORTER_OTLP_ENDPOINT", "RACETRACE_INCLUDE");
  }

  @Test
  void nodesGetOnlyTheAppTheApiAndTheAppsLibrariesOnTheirClassPath() {
    String cp = NodeLauncher.ownClassPath();
    // the app, agent-core, picocli, jackson-databind, -core and -annotations (one shaded jar)
    assertThat(cp.split(java.io.File.pathSeparator)).hasSizeBetween(1, 6);
    // File names only: the checkout's own path may contain anything (a worktree named "junit").
    assertThat(cp.split(java.io.File.pathSeparator)).extracting(e -> Path.of(e).getFileName().toString())
        .noneMatch(n -> n.contains("junit") || n.contains("assertj") || n.equals("test-classes"));
  }
}
