package dev.racetrace.analyzer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.racetrace.analyzer.cli.AnalyzeCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@link AnalyzeCommand#run} in-process and keeps its exit code, stdout and stderr. */
public final class CommandRun {
  public final int exit;
  public final String out;
  public final String err;

  private CommandRun(int exit, String out, String err) {
    this.exit = exit;
    this.out = out;
    this.err = err;
  }

  /** Runs the command with {@code args}. */
  public static CommandRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = AnalyzeCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CommandRun(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** Runs with the inputs, {@code --json dir/result.json} and {@code extra}; returns the JSON. */
  public static Result withJson(Path dir, Path input, String... extra) throws IOException {
    Path json = dir.resolve("result-" + System.nanoTime() + ".json");
    List<String> args = new ArrayList<>(List.of(input.toString(), "--json", json.toString()));
    args.addAll(List.of(extra));
    CommandRun run = of(args.toArray(new String[0]));
    JsonNode tree = run.exit == 1 ? null : new ObjectMapper().readTree(json.toFile());
    return new Result(run, tree);
  }

  /** A run and its {@code --json} result. */
  public record Result(CommandRun run, JsonNode json) {
    /** The first break in the JSON, or null. */
    public JsonNode firstBreak() {
      return json.get("breaks").size() == 0 ? null : json.get("breaks").get(0);
    }
  }
}
