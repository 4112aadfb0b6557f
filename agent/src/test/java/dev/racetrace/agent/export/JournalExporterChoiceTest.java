package dev.racetrace.agent.export;

import static dev.racetrace.agent.fixtures.TestProperties.props;
import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.config.AgentConfig;
import dev.racetrace.agent.config.ConfigException;
import dev.racetrace.agent.config.ConfigLoader;
import dev.racetrace.agent.export.sink.NodeIdentity;
import dev.racetrace.agent.internal.Counters;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The journal, the default recording: where it writes, when it is chosen, and what it refuses. */
class JournalExporterChoiceTest {
  private static AgentConfig config(String... kv) throws ConfigException {
    return ConfigLoader.load(props(kv), Map.of());
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
    assertThat(e.journal).isEqualTo(journal);
    assertThat(e.description).isEqualTo("journal " + journal + " (at most 1g, racetrace.out.max, oldest parts "
        + "deleted; spans from it: java -jar racetrace-agent.jar "
        + "export /tmp/rt-out --otlp [endpoint] | --otlp-json DIR)");
  }

  @Test
  void withNothingConfiguredTheRecordingIsTheJournal() throws Exception {
    AgentConfig c = config("racetrace.out", "/tmp/rt-out");
    ExporterFactory.Exporters e = ExporterFactory.create(c, node(), new Properties(), Map.of(), new Counters());
    assertThat(e.exporters).isEmpty();
    assertThat(e.journal).isEqualTo(ExporterFactory.journalPath(c, node()));
    assertThat(e.description).startsWith("journal /tmp/rt-out/orders-n1-");
  }

  @Test
  void otlpJsonKeepsTheSpanFileAndNoJournal() throws Exception {
    for (String mode : new String[] {"otlp-json", "file"}) {
      AgentConfig c = config("racetrace.exporter", mode, "racetrace.out", "/tmp/rt-out");
      ExporterFactory.Exporters e = ExporterFactory.create(c, node(), new Properties(), Map.of(), new Counters());
      assertThat(e.journal).as(mode).isNull();
      assertThat(e.exporters).as(mode).hasSize(1);
      assertThat(e.description).as(mode).startsWith("/tmp/rt-out/orders-n1-").contains(".jsonl (at most 1g");
    }
  }

  @Test
  void flightModeByDefaultKeepsTheJournalInMemoryAndDumpsItNextToWhereTheJournalWouldBe() throws Exception {
    AgentConfig c = config("racetrace.mode", "flight", "racetrace.out", "/tmp/rt-out");
    ExporterFactory.Exporters e = ExporterFactory.create(c, node(), new Properties(), Map.of(), new Counters());
    assertThat(e.journal).isEqualTo(ExporterFactory.journalPath(c, node()));
    assertThat(e.exporters).isEmpty();
    assertThat(e.description).startsWith("journal flight dumps /tmp/rt-out/orders-n1-")
        .contains("-flight-<n>.rtj (spans from it: java -jar racetrace-agent.jar export /tmp/rt-out");
  }

  @Test
  void flightModeWithOtlpJsonKeepsTheSpanRingAndItsFile() throws Exception {
    AgentConfig c = config("racetrace.mode", "flight", "racetrace.exporter", "otlp-json",
        "racetrace.out", "/tmp/rt-out");
    ExporterFactory.Exporters e = ExporterFactory.create(c, node(), new Properties(), Map.of(), new Counters());
    assertThat(e.journal).isNull();
    assertThat(e.exporters).hasSize(1);
  }

  @Test
  void otelTracesExporterNoneSendsNothingAndWritesNoJournal() throws Exception {
    AgentConfig c = config("racetrace.out", "/tmp/rt-out");
    Properties system = new Properties();
    system.setProperty("otel.traces.exporter", "none");
    // OTel autoconfigure reads the real system properties
    System.setProperty("otel.traces.exporter", "none");
    try {
      ExporterFactory.Exporters e = ExporterFactory.create(c, node(), system, Map.of(), new Counters());
      assertThat(e.journal).isNull();
      assertThat(e.live).isFalse();
      assertThat(e.description).isEqualTo("nowhere (otel.traces.exporter=none)");
    } finally {
      System.clearProperty("otel.traces.exporter");
    }
  }

  @Test
  void anOtlpEndpointByDefaultSendsSpansLiveAndWritesTheJournalToo() throws Exception {
    AgentConfig c = config("racetrace.out", "/tmp/rt-out");
    withAnOtlpEndpoint(c, e -> {
      assertThat(e.live).isTrue();
      assertThat(e.exporters).hasSize(1);
      assertThat(e.journal).isEqualTo(ExporterFactory.journalPath(c, node()));
      assertThat(e.description).isEqualTo("OTLP http://127.0.0.1:4318 (http/protobuf) within "
          + "racetrace.export.cpu=5% of a core; every event also to the journal " + e.journal
          + " (at most 1g, racetrace.out.max; spans from it: java -jar racetrace-agent.jar export /tmp/rt-out "
          + "--otlp [endpoint] | --otlp-json DIR)");
    });
  }

  @Test
  void flightModeWithAnOtlpEndpointKeepsTheJournalRingAndSendsEachDumpThere() throws Exception {
    AgentConfig c = config("racetrace.mode", "flight", "racetrace.out", "/tmp/rt-out");
    withAnOtlpEndpoint(c, e -> {
      assertThat(e.live).as("no live export: spans only from dumps").isFalse();
      assertThat(e.journal).isEqualTo(ExporterFactory.journalPath(c, node()));
      assertThat(e.exporters).hasSize(1);
      assertThat(e.dumpsSentTo).isEqualTo("OTLP http://127.0.0.1:4318 (http/protobuf)");
      assertThat(e.description).startsWith("journal flight dumps /tmp/rt-out/orders-n1-")
          .endsWith(", each dump also sent to OTLP http://127.0.0.1:4318 (http/protobuf)");
    });
  }

  @Test
  void racetraceExporterOtelIsTheLiveExportAlone() throws Exception {
    withAnOtlpEndpoint(config("racetrace.exporter", "otel", "racetrace.out", "/tmp/rt-out"), e -> {
      assertThat(e.live).isTrue();
      assertThat(e.journal).isNull();
      assertThat(e.description).doesNotContain("journal");
    });
  }

  /** The exporters {@code c} gets with an OTLP endpoint configured, given to {@code check}, then shut down. */
  private static void withAnOtlpEndpoint(AgentConfig c, Consumer<ExporterFactory.Exporters> check) throws Exception {
    Properties system = new Properties();
    system.setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:4318");
    ExporterFactory.Exporters e = ExporterFactory.create(c, node(), system, Map.of(), new Counters());
    try {
      check.accept(e);
    } finally {
      e.exporters.forEach(x -> x.shutdown());
    }
  }

  @Test
  void flightModeWithTheJournalNamedExplicitlyIsTheJournalsFlightRing() throws Exception {
    AgentConfig c = config("racetrace.exporter", "journal", "racetrace.mode", "flight");
    ExporterFactory.Exporters e = ExporterFactory.create(c, node(), new Properties(), Map.of(), new Counters());
    assertThat(e.journal).isNotNull();
    assertThat(e.description).startsWith("journal flight dumps ");
  }
}
