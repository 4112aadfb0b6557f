package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A program run twice on one JDK, without the agent and with it, that printed the same lines: the
 * start of every IT that shows the agent does not change what a program does.
 */
record SideBySide(ForkedJvm.Result plain, ForkedJvm.Result traced) {
  /**
   * Runs {@code main} with {@code args} on {@code javaHome} without the agent, then with it
   * recording the test programs' package into {@code out}, with {@code agentProps} besides;
   * asserts that both runs exit 0 and print the same lines.
   */
  static SideBySide run(String javaHome, Path out, List<String> agentProps, Class<?> main,
      String... args) throws Exception {
    ForkedJvm.Result plain = ForkedJvm.plain().javaHome(javaHome).run(main, args);
    List<String> jvm = new ArrayList<>(List.of("-Dracetrace.include=dev.racetrace.it.programs"));
    jvm.addAll(agentProps);
    jvm.add("-Dracetrace.out=" + out);
    ForkedJvm.Result traced = ForkedJvm.withAgent().javaHome(javaHome)
        .jvmArg(jvm.toArray(new String[0])).run(main, args);
    assertThat(plain.exitCode).as("%s", plain).isZero();
    assertThat(traced.exitCode).as("%s", traced).isZero();
    assertThat(traced.stdout.lines())
        .containsExactlyElementsOf(plain.stdout.lines().collect(Collectors.toList()));
    return new SideBySide(plain, traced);
  }
}
