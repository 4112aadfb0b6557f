package dev.racetrace.agent.export.journal;

import static dev.racetrace.agent.fixtures.TestProperties.props;
import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.config.AgentConfig;
import dev.racetrace.agent.config.ConfigLoader;
import dev.racetrace.agent.export.sink.NodeIdentity;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A journal says what shaped its events, so a reader of it later can tell what is missing and why. */
class JournalHeaderTest {
  @Test
  void theHeaderNamesTheEventFamiliesRecordedAndWhetherApplicationSpansWereLinked() throws Exception {
    AgentConfig config = ConfigLoader.load(props("racetrace.include", "com.acme", "racetrace.record",
        "queues,executors", "racetrace.otel.link", "true"), Map.of());
    Properties p = new Properties();
    p.setProperty("otel.resource.attributes", "service.instance.id=n1");

    Map<String, String> header = JournalHeader.create(NodeIdentity.resolve(p, Map.of(), Map.of()), Map.of(), config);

    assertThat(header).containsEntry(JournalHeader.NODE, "n1").containsEntry("config.racetrace.include", "com.acme")
        .containsEntry("config.racetrace.record", "queues,executors")
        .containsEntry("config.racetrace.otel.link", "true");
  }
}
