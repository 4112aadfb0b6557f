package dev.racetrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** docs/configuration.md must show exactly the keys the agent accepts. */
class ConfigReferenceTest {
  @Test
  void docsConfigurationMdIsUpToDate() throws Exception {
    Path doc = Paths.get("..", "docs", "configuration.md");
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    int begin = text.indexOf(ConfigReference.BEGIN);
    int end = text.indexOf(ConfigReference.END);
    assertThat(begin).as("begin marker in %s", doc).isGreaterThanOrEqualTo(0);
    assertThat(end).as("end marker in %s", doc).isGreaterThan(begin);
    String generated = text.substring(begin, end + ConfigReference.END.length() + 1);
    assertThat(generated)
        .as("docs/configuration.md is stale: regenerate the table with "
            + "java -cp agent/target/classes dev.racetrace.agent.config.ConfigReference")
        .isEqualTo(ConfigReference.render());
  }
}
