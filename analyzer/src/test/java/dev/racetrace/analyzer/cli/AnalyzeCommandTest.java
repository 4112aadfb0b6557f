package dev.racetrace.analyzer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.analyzer.testing.CommandRun;
import dev.racetrace.analyzer.testing.SampleScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract the agent jar's {@code analyze} relies on. */
class AnalyzeCommandTest {
  @TempDir
  Path dir;

  @Test
  void helpPrintsUsageAndExitsZero() {
    CommandRun r = CommandRun.of("--help");

    assertThat(r.exit).isZero();
    assertThat(r.out).startsWith("Usage: analyze <span files or directories>... [options]")
        .contains("--rule", "--raw", "--node", "--key", "--from", "--to", "--html", "--json",
            "--affected", "Exit codes:",
            "  0  no divergence and no ordering break found",
            "  1  usage or input error",
            "  2  ordering break found",
            "  3  divergence unexplained: a node's state differs and no ordering break explains it");
  }

  @Test
  void usageErrorsExitOneWithOneClearLine() {
    assertThat(CommandRun.of().err).startsWith("racetrace analyze: no span files or directories given");
    assertThat(CommandRun.of("x.jsonl", "--bogus").err)
        .startsWith("racetrace analyze: unknown option --bogus");
    assertThat(CommandRun.of("x.jsonl", "--from", "yesterday").err)
        .startsWith("racetrace analyze: --from=yesterday: not an ISO-8601 instant "
            + "(2024-05-01T14:30:00Z) or epoch milliseconds");
    assertThat(CommandRun.of("x.jsonl", "--rule").exit).isEqualTo(1);
  }

  @Test
  void optionErrorsNameTheOption() {
    assertThat(CommandRun.of("x.jsonl", "--bogus=3").err)
        .isEqualTo("racetrace analyze: unknown option --bogus\nrun with --help for usage\n");
    assertThat(CommandRun.of("x.jsonl", "--node", "--key", "k").err)
        .startsWith("racetrace analyze: --node needs a value\n");
    assertThat(CommandRun.of("x.jsonl", "--rule=").err)
        .startsWith("racetrace analyze: --rule needs a value\n");
    assertThat(CommandRun.of("--zipkin", "http://a:9411", "--tempo=http://b:3200").err)
        .startsWith("racetrace analyze: --tempo: only one backend at a time (already --zipkin)");
    assertThat(CommandRun.of("--jaeger", "localhost:16686").err)
        .startsWith("racetrace analyze: --jaeger=localhost:16686: not an http(s) URL");
    assertThat(CommandRun.of("x.jsonl", "--from", "2024-05-02T00:00:00Z", "--to=1").err)
        .startsWith("racetrace analyze: --from is after --to");
    assertThat(CommandRun.of("x.jsonl", "--service", "s").err)
        .startsWith("racetrace analyze: --service selects spans in a backend");
  }

  @Test
  void repeatedSingleValuedOptionKeepsTheLast() {
    CliOptions o = CliOptions.parse(new String[] {"a.jsonl", "--node", "n1", "--node=n2", "--",
        "--b.jsonl"});

    assertThat(o.node).isEqualTo("n2");
    assertThat(o.inputs()).containsExactly(Path.of("a.jsonl"), Path.of("--b.jsonl"));
  }

  @Test
  void anArgumentStartingWithAtIsAFileNameAndADashIsAnInput() {
    CliOptions o = CliOptions.parse(new String[] {"@spans.jsonl", "-"});

    assertThat(o.inputs()).containsExactly(Path.of("@spans.jsonl"), Path.of("-"));
  }

  @Test
  void helpListsExactlyTheOptionsDocumented() throws Exception {
    Set<String> documented = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| (`--.*?) \\|").matcher(
        Files.readString(Path.of("..", "docs", "analyzer.md")));
    while (row.find()) {
      Matcher name = Pattern.compile("`(--[a-z]+)").matcher(row.group(1));
      while (name.find()) {
        documented.add(name.group(1));
      }
    }
    Set<String> inHelp = new TreeSet<>();
    Matcher name = Pattern.compile("(?m)^ +(?:-h, )?(--[a-z]+)").matcher(CommandRun.of("--help").out);
    while (name.find()) {
      inHelp.add(name.group(1));
    }

    assertThat(inHelp).as("--help vs the options table of docs/analyzer.md")
        .isEqualTo(documented).contains("--rule", "--help", "--service");
  }

  @Test
  void badRuleExitsOne() throws Exception {
    Path spans = SampleScenario.broken().writeOtlp(dir.resolve("spans"));

    CommandRun r = CommandRun.of(spans.toString(), "--rule", "derive");

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.err).isEqualTo("racetrace analyze: rule \"derive\": needs at least two "
        + "operations, e.g. \"load-metadata < derive per key\"\n");
  }

  @Test
  void badInputExitsOneNamingFileAndLine() throws Exception {
    Path spans = SampleScenario.broken().writeOtlp(dir.resolve("spans"));
    Path file = spans.resolve("node-2.jsonl");
    List<String> lines = Files.readAllLines(file);
    lines.set(2, lines.get(2).substring(0, lines.get(2).length() / 2));
    Files.write(file, lines);

    CommandRun r = CommandRun.of(spans.toString(), "--rule", SampleScenario.RULE);

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.err).startsWith("racetrace analyze: " + file + ":3: invalid JSON");
    assertThat(r.out).isEmpty();
  }

  @Test
  void badRawStateExitsOneNamingFileAndLine() throws Exception {
    Path spans = SampleScenario.broken().writeOtlp(dir.resolve("spans"));
    Path raw = Files.writeString(dir.resolve("raw.json"), "[\n{\"node\":\"node-1\",\n\"key\":}\n]");

    CommandRun r = CommandRun.of(spans.toString(), "--raw", raw.toString());

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.err).startsWith("racetrace analyze: " + raw + ":3: invalid JSON");
  }

  @Test
  void emptyInputIsAnError() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");

    CommandRun r = CommandRun.of(empty.toString());

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.err).isEqualTo("racetrace analyze: " + empty
        + ": no racetrace spans in the input (1 file read)\n");
  }

  @Test
  void writesEveryRequestedOutput() throws Exception {
    SampleScenario s = SampleScenario.broken();
    Path spans = s.writeOtlp(dir.resolve("spans"));
    Path out = dir.resolve("out/deeper");

    CommandRun r = CommandRun.of(spans.toString(), "--rule", SampleScenario.RULE,
        "--html=" + out.resolve("r.html"), "--json", out.resolve("r.json").toString(),
        "--affected", out.resolve("a.csv").toString());

    assertThat(r.exit).isEqualTo(2);
    assertThat(out.resolve("r.html")).isNotEmptyFile();
    assertThat(out.resolve("r.json")).isNotEmptyFile();
    assertThat(Files.readAllLines(out.resolve("a.csv"))).containsExactly("node,key,from,to",
        "node-2,order-17,2024-05-01T14:30:00.607Z,2024-05-01T14:47:30.627Z");
  }

  @Test
  void timeAcceptsIsoInstantsOffsetsAndEpochMillis() {
    assertThat(CliOptions.parseTime("--from", "2024-05-01T14:30:00Z"))
        .isEqualTo(1714573800_000_000_000L);
    assertThat(CliOptions.parseTime("--from", "2024-05-01T16:30:00+02:00"))
        .isEqualTo(1714573800_000_000_000L);
    assertThat(CliOptions.parseTime("--from", "1714573800000"))
        .isEqualTo(1714573800_000_000_000L);
  }
}
