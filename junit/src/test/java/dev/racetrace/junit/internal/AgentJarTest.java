package dev.racetrace.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentJarTest {
  private static Path jar(Path dir, String name, String premain) throws Exception {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (premain != null) {
      m.getMainAttributes().putValue("Premain-Class", premain);
    }
    Path p = dir.resolve(name);
    try (OutputStream o = Files.newOutputStream(p); JarOutputStream j = new JarOutputStream(o, m)) {
      j.flush();
    }
    return p;
  }

  @Test
  void findsTheAgentJarOnTheClassPathByItsManifest(@TempDir Path dir) throws Exception {
    Path core = jar(dir, "racetrace-agent-core-0.1.jar", null);
    Path other = jar(dir, "racetrace-agent-tools.jar", "com.example.Other");
    Path agent = jar(dir, "racetrace-agent-0.1.jar", AgentJar.PREMAIN);
    assertThat(AgentJar.locate(null, List.of(core.toString(), other.toString(), agent.toString()))).isEqualTo(agent);
  }

  @Test
  void thePropertyWinsAndMustNameTheAgent(@TempDir Path dir) throws Exception {
    Path agent = jar(dir, "my-agent.jar", AgentJar.PREMAIN);
    assertThat(AgentJar.locate(agent.toString(), List.of())).isEqualTo(agent);
    Path other = jar(dir, "other.jar", "com.example.Other");
    assertThatThrownBy(() -> AgentJar.locate(other.toString(), List.of()))
        .hasMessage("racetrace-junit: -Dracetrace.agent.jar=" + other
            + ": not the racetrace agent jar (its manifest has Premain-Class com.example.Other)");
  }

  @Test
  void aClassesDirectoryInsteadOfTheJarIsExplained(@TempDir Path dir) throws Exception {
    Path classes = dir.resolve("agent/target/classes");
    Files.createDirectories(classes.resolve("dev/racetrace/agent"));
    Files.createFile(classes.resolve("dev/racetrace/agent/RacetraceAgent.class"));
    assertThatThrownBy(() -> AgentJar.locate(null, List.of(classes.toString())))
        .hasMessageContaining("is there as the classes directory " + classes)
        .hasMessageContaining("'mvn verify'")
        .hasMessageContaining("-Dracetrace.agent.jar=");
  }
}
