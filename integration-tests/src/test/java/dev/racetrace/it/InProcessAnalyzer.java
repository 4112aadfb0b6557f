package dev.racetrace.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.racetrace.analyzer.cli.AnalyzeCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code racetrace analyze} run in this JVM, read back as the ITs assert on it. */
final class InProcessAnalyzer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InProcessAnalyzer() {}

  /**
   * Runs the analyzer on {@code args} plus {@code --json json}. Returns the JSON it wrote (an empty
   * object when it wrote none, as on a usage error) with {@code exit}, its exit code, and
   * {@code text}, what it printed to stdout and stderr.
   */
  static ObjectNode run(Path json, List<String> args) throws IOException {
    List<String> all = new ArrayList<>(args);
    all.add("--json");
    all.add(json.toString());
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    PrintStream p = new PrintStream(text, true, StandardCharsets.UTF_8);
    int exit = AnalyzeCommand.run(all.toArray(new String[0]), p, p);
    ObjectNode result = Files.exists(json) ? (ObjectNode) JSON.readTree(json.toFile())
        : JSON.createObjectNode();
    result.put("exit", exit);
    result.put("text", text.toString(StandardCharsets.UTF_8));
    return result;
  }
}
