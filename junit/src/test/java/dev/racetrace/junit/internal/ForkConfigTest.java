package dev.racetrace.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racetrace.junit.RaceTrace;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForkConfigTest {
  @RaceTrace(include = {"com.acme.a", "com.acme.b"}, rules = {"a < b per key", "c < d per key"},
      keys = "com.acme.Op#key", ops = {"com.acme.A=a", "com.acme.B=b"}, flags = "com.acme.Node#ready",
      properties = {"racetrace.buffer.size=65536", "otel.service.name = orders"}, jvmArgs = "-Xmx128m")
  static final class Full {}

  @RaceTrace(include = "com.acme", properties = "racetrace.buffer.size")
  static final class Bad {}

  @Test
  void eachAttributeBecomesItsAgentKeyWithThatKeysSeparator() {
    ForkConfig c = ForkConfig.of(Full.class.getAnnotation(RaceTrace.class), List.of("op:a=5ms", "op:b=1ms~2ms"));
    assertThat(c.properties()).containsExactly(
        org.assertj.core.api.Assertions.entry("racetrace.include", "com.acme.a,com.acme.b"),
        org.assertj.core.api.Assertions.entry("racetrace.rules", "a < b per key;c < d per key"),
        org.assertj.core.api.Assertions.entry("racetrace.keys", "com.acme.Op#key"),
        org.assertj.core.api.Assertions.entry("racetrace.ops", "com.acme.A=a,com.acme.B=b"),
        org.assertj.core.api.Assertions.entry("racetrace.guards.flags", "com.acme.Node#ready"),
        org.assertj.core.api.Assertions.entry("racetrace.delay", "op:a=5ms;op:b=1ms~2ms"),
        org.assertj.core.api.Assertions.entry("racetrace.buffer.size", "65536"),
        org.assertj.core.api.Assertions.entry("otel.service.name", "orders"));
    assertThat(c.hasDelays()).isTrue();
    assertThat(c.jvmArgs()).containsExactly("-Xmx128m");
    assertThat(c.withDefault("otel.service.name", "x").properties()).containsEntry("otel.service.name", "orders");
    assertThat(c.with("otel.service.name", "x").properties()).containsEntry("otel.service.name", "x");
  }

  @Test
  void aPropertyWithoutEqualsIsRefused() {
    assertThatThrownBy(() -> ForkConfig.of(Bad.class.getAnnotation(RaceTrace.class), List.of()))
        .hasMessage("@RaceTrace(properties): 'racetrace.buffer.size' is not key=value");
  }

  @Test
  void theForkCommandRunsTheSelectedTestWithTheAgentAndTheKeys() {
    ForkConfig c = ForkConfig.of(Full.class.getAnnotation(RaceTrace.class), List.of());
    Path agent = Paths.get("/x/racetrace-agent.jar");
    List<String> cmd = ForkedJvm.command(agent, List.of("/a.jar", "/b"), c, "[engine:junit-jupiter]/[class:X]",
        Paths.get("/w/result.bin"));
    assertThat(cmd).startsWith(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:/x/racetrace-agent.jar", "-Xmx128m");
    assertThat(cmd).contains("-Dracetrace.rules=a < b per key;c < d per key",
        "-Ddev.racetrace.junit.fork=[engine:junit-jupiter]/[class:X]");
    assertThat(cmd).endsWith("-cp", "/a.jar" + java.io.File.pathSeparator + "/b", ForkMain.class.getName(),
        "[engine:junit-jupiter]/[class:X]", "/w/result.bin");
  }
}
