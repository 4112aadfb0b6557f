package dev.racetrace.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs the analyzer the agent jar ships ({@code java -jar racetrace-agent.jar analyze ...}) on the
 * demo's spans and raw state. The analyzer's exit code says whether it found an ordering break, so
 * a non-zero code is not a failure of the demo; a missing report is reported as a note.
 */
public final class AnalyzerRunner {
  /**
   * What happened.
   *
   * @param exitCode the analyzer's exit code, empty if it did not run to completion
   * @param report the HTML report, if the analyzer wrote it
   * @param note a one-line explanation when there is no report
   */
  public record Outcome(OptionalInt exitCode, Optional<Path> report, Optional<String> note) {}

  private AnalyzerRunner() {}

  /** The analyzer's command line for the demo's output directory. */
  public static List<String> command(Path java, Path agentJar, Path out) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.add("-jar");
    cmd.add(agentJar.toString());
    cmd.add("analyze");
    cmd.add(out.resolve("spans").toString());
    cmd.add("--raw");
    cmd.add(out.resolve("raw-state.json").toString());
    cmd.add("--html");
    cmd.add(out.resolve("report.html").toString());
    cmd.add("--json");
    cmd.add(out.resolve("analysis.json").toString());
    cmd.add("--affected");
    cmd.add(out.resolve("affected.csv").toString());
    return cmd;
  }

  /**
   * Runs the analyzer, copying its output to {@code console} with an {@code [analyzer]} prefix.
   */
  public static Outcome run(Path java, Path agentJar, Path out, PrintStream console, Duration timeout)
      throws IOException, InterruptedException {
    Path report = out.resolve("report.html");
    Files.deleteIfExists(report);
    List<String> cmd = command(java, agentJar, out);
    console.println("demo: " + String.join(" ", cmd));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          console.println("[analyzer] " + line);
        }
      } catch (IOException e) {
        console.println("[analyzer] (output lost: " + e.getMessage() + ")");
      }
    }, "pump-analyzer");
    pump.setDaemon(true);
    pump.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        return new Outcome(OptionalInt.empty(), Optional.empty(),
            Optional.of("the analyzer did not finish within " + timeout.toSeconds() + " s and was stopped"));
      }
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    pump.join(TimeUnit.SECONDS.toMillis(5));
    int code = p.exitValue();
    if (Files.isRegularFile(report)) {
      return new Outcome(OptionalInt.of(code), Optional.of(report), Optional.empty());
    }
    return new Outcome(OptionalInt.of(code), Optional.empty(), Optional.of(
        "the analyzer exited with code " + code + " and wrote no report; if 'analyze' is not"
        + " built into the agent jar yet, run the command above once it is: the spans and"
        + " raw-state.json are ready for it"));
  }
}
