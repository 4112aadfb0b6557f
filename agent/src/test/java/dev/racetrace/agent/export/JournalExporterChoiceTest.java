package dev.racetrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racetrace.agent.config.AgentConfig;
import dev.racetrace.agent.config.ConfigException;
import dev.racetrace.agent.config.ConfigLoader;
import dev.racetrace.agent.internal.Counters;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** racetrace.exporter=journal: where it writes, and what it refuses. */
class JournalExporterChoiceTest {
  private static AgentConfig config(String... kv) throws ConfigException {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return ConfigLoader.load(p, Map.of());
  }

  private static NodeIdentity node() {
    Properties p = new Properties();
    p.setProperty("otel.service.name", "orders");
    p.setProperty("otel.resource.attributes", "service.instance.id=n1");
    return NodeIdentity.resolve(p, Map.of(), Map.of());
  }

  @Test
  void theJournalGoesNextToWhereTheSpanFileWouldBeWithNoSpanExporter() throws Exception {
    AgentConfig c = config("racetrace.exporter", "journal", "racetrace.out", "/tmp/rt-out");
    ExporterFactory.Exporters e = ExporterFactory.create(c, node(), new Properties(), Map.of(), new Counters());
    Path journal = ExporterFactory.journalPath(c, node());
    assertThat(e.exporters).isEmpty();
    assertThat(journal.getParent()).isEqualTo(Path.of("/tmp/rt-out"));
    assertThat(journal.getFileName().toString())
        .isEqualTo(node().fileName().replace(".jsonl", ".rtj")).startsWith("orders-n1-");
    assertThat(e.description).isEqualTo("journal " + journal + " (spans from it: java -jar racetrace-agent.jar "
        + "export /tmp/rt-out --otlp-json DIR | --otlp [endpoint])");
  }

  @Test
  void flightModeWithTheJournalIsRefusedNamingTheKeyAndWhy() throws Exception {
    AgentConfig c = config("racetrace.exporter", "journal", "racetrace.mode", "flight");
    assertThatThrownBy(() -> ExporterFactory.create(c, node(), new Properties(), Map.of(), new Counters()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("racetrace.exporter=journal: flight mode (racetrace.mode=flight) keeps spans, and the "
            + "journal builds none in the process; use racetrace.mode=stream with the journal");
  }
}
