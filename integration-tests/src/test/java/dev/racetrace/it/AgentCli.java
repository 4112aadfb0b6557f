package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The agent jar's command line ({@code java -jar racetrace-agent.jar ARGS}), run to its end. */
final class AgentCli {
  private AgentCli() {}

  /**
   * Runs the command line with {@code args} and returns what it printed and its exit code. Its
   * output goes to files, not pipes, so a command that prints much cannot block on a full pipe.
   */
  static ForkedJvm.Result run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  /** As {@link #run(String...)}, with {@code env} added to the command's environment. */
  static ForkedJvm.Result run(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(ForkedJvm.AGENT.toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("cli-out", ".txt");
    Path err = Files.createTempFile("cli-err", ".txt");
    Process p = null;
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().putAll(env);
      p = pb.start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
      return new ForkedJvm.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8), 0);
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly(); // timed out: it must not outlive the test
      }
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
