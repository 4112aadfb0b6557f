package dev.racetrace.analyzer.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.analyzer.testing.CommandRun;
import dev.racetrace.analyzer.testing.SampleScenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canonical scenario's reports (text, JSON, CSV and HTML), checked against golden files in
 * {@code src/test/resources/golden}. After an intended change, regenerate them with
 * {@code mvn -pl analyzer test -Dtest=GoldenReportTest -Dracetrace.updateGoldens=true} and
 * review the diff.
 */
class GoldenReportTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  @TempDir
  Path dir;

  /** Three nodes, two interleaved keys, order-17 raced on node-2, raw state and the rule. */
  private CommandRun canonical(String... outputs) throws IOException {
    SampleScenario s = SampleScenario.broken().keys("order-17", "order-18");
    Path spans = s.writeOtlp(dir.resolve("spans"));
    Path raw = s.writeRawState(dir.resolve("raw-state.json"));
    String[] base = {spans.toString(), "--rule", SampleScenario.RULE, "--raw", raw.toString()};
    String[] args = new String[base.length + outputs.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(outputs, 0, args, base.length, outputs.length);
    return CommandRun.of(args);
  }

  private static void assertGolden(String name, String actual) throws IOException {
    Path golden = GOLDEN.resolve(name);
    if (Boolean.getBoolean("racetrace.updateGoldens")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  @Test
  void textReport() throws Exception {
    CommandRun r = canonical();

    assertThat(r.exit).isEqualTo(2);
    assertGolden("canonical-report.txt", r.out);
  }

  @Test
  void jsonResult() throws Exception {
    Path json = dir.resolve("result.json");
    canonical("--json", json.toString());

    assertGolden("canonical-result.json", Files.readString(json));
  }

  @Test
  void affectedCsv() throws Exception {
    Path csv = dir.resolve("affected.csv");
    canonical("--affected", csv.toString());

    assertGolden("canonical-affected.csv", Files.readString(csv));
  }

  @Test
  void htmlReport() throws Exception {
    Path html = dir.resolve("report.html");
    canonical("--html", html.toString());

    assertGolden("canonical-report.html", Files.readString(html));
  }
}
