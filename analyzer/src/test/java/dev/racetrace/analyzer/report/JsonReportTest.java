package dev.racetrace.analyzer.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racetrace.analyzer.testing.CommandRun;
import dev.racetrace.analyzer.testing.SampleScenario;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code --json} fields other tools rely on. */
class JsonReportTest {
  @TempDir
  Path dir;

  @Test
  void hasTheDocumentedFields() throws Exception {
    SampleScenario s = SampleScenario.broken();
    Path raw = s.writeRawState(dir.resolve("raw.json"));
    JsonNode json = CommandRun.withJson(dir, s.writeOtlp(dir.resolve("spans")), "--rule",
        SampleScenario.RULE, "--raw", raw.toString()).json();

    assertThat(json.get("nodes")).hasSize(3);
    JsonNode d = json.get("divergence").get(0);
    assertThat(d.fieldNames()).toIterable()
        .contains("key", "values", "verdict", "odd_node");
    assertThat(d.get("values").get("node-2").asText()).isEqualTo("derived-from-0-entities");
    JsonNode b = json.get("breaks").get(0);
    assertThat(b.fieldNames()).toIterable().contains("node", "healthy_node", "key",
        "expected_order", "observed_order", "first_break_seq", "guard");
    assertThat(b.get("guard").fieldNames()).toIterable()
        .contains("kind", "site", "state_seen");
    assertThat(b.get("first_break_seq").isIntegralNumber()).isTrue();
    JsonNode a = json.get("affected").get(0);
    assertThat(a.fieldNames()).toIterable().contains("node", "key", "from", "to");
    assertThat(json.get("exit_code").asInt()).isEqualTo(2);
  }
}
