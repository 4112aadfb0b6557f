package dev.racetrace.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.racetrace.junit.fixture.PipelineScenarios;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** {@code @RaceTrace} end to end: a forked JVM with the real agent jar, driven through EngineTestKit. */
class RaceTraceExtensionTest {

  static Events run(String method, String... parameterTypes) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(parameterTypes.length == 0 ? selectMethod(PipelineScenarios.class, method)
            : selectMethod(PipelineScenarios.class, method, String.join(",", parameterTypes)))
        .execute().testEvents();
  }

  @Test
  void anAwaitilityTestPassesInTheFork() {
    run("fixedPipelineUnderAwaitility").assertStatistics(s -> s.started(1).succeeded(1).failed(0));
  }

  @Test
  void anAwaitilityTimeoutFailsTheTestWithTheOriginalExceptionAsCause() {
    Events events = run("awaitilityTimesOut");
    events.assertStatistics(s -> s.started(1).failed(1));
    Throwable t = events.failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .orElseThrow().getThrowable().orElseThrow();
    assertThat(t).hasMessageContaining("@RaceTrace: awaitilityTimesOut() failed in the forked JVM")
        .hasMessageContaining("spans: ");
    assertThat(t.getCause()).isInstanceOf(ConditionTimeoutException.class);
  }

  @Test
  void eachInvocationOfAParameterizedTestRunsInItsOwnFork() throws Exception {
    run("parameterized", "int").assertStatistics(s -> s.started(2).succeeded(2).failed(0));
    try (java.util.stream.Stream<java.nio.file.Path> dirs = java.nio.file.Files.list(
        java.nio.file.Paths.get("target", "racetrace-junit", PipelineScenarios.class.getName()))) {
      assertThat(dirs.map(d -> d.getFileName().toString()).filter(n -> n.startsWith("parameterized")))
          .containsExactlyInAnyOrder("parameterized-_1_101", "parameterized-_2_202");
    }
  }

  @Test
  void aKeyTheAgentRejectsFailsTheTestWithTheAgentsLine() {
    Events events = run("withAMalformedAgentKey");
    events.assertStatistics(s -> s.started(1).failed(1));
    Throwable t = events.failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .orElseThrow().getThrowable().orElseThrow();
    assertThat(t).hasMessageContaining("the racetrace agent is not recording in the forked JVM")
        .hasMessageContaining("agent: racetrace: racetrace.buffer.size=12x: ")
        .hasMessageContaining("agent disabled");
  }
}
