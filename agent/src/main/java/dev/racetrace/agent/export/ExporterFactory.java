package dev.racetrace.agent.export;

import dev.racetrace.agent.config.AgentConfig;
import dev.racetrace.agent.config.ConfigKey;
import dev.racetrace.agent.config.ExporterChoice;
import dev.racetrace.agent.config.FileEncoder;
import dev.racetrace.agent.config.ConfigException;
import dev.racetrace.agent.export.flight.FlightJournal;
import dev.racetrace.agent.export.journal.JournalExport;
import dev.racetrace.agent.export.journal.JournalFile;
import dev.racetrace.agent.export.sink.BudgetedSpanExporter;
import dev.racetrace.agent.export.sink.BundledExporters;
import dev.racetrace.agent.export.sink.LazyFileOutputStream;
import dev.racetrace.agent.export.sink.LazySpanExporter;
import dev.racetrace.agent.export.sink.LoggingOtlpToStderr;
import dev.racetrace.agent.export.sink.NodeIdentity;
import dev.racetrace.agent.export.sink.NodeTaggingSpanExporter;
import dev.racetrace.agent.export.sink.NoopSpanExporter;
import dev.racetrace.agent.export.sink.OtlpJsonFileExporter;
import dev.racetrace.agent.export.sink.OutBudget;
import dev.racetrace.agent.export.sink.SdkOtlpJsonFileExporter;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.internal.LibraryLogCapture;
import dev.racetrace.agent.internal.Log;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Builds where the recording goes. The embedded default is the binary journal under
 * {@code racetrace.out} (written by the export loop; no span exporter), in flight mode as dumps of
 * its in-memory ring of chunks. {@code racetrace.exporter=otlp-json} writes OTLP JSON, one
 * {@code ExportTraceServiceRequest} per line
 * as the OpenTelemetry SDK's OTLP JSON exporter does (with racetrace's own encoder, or that exporter
 * itself: {@code racetrace.file.encoder}), to a file under {@code racetrace.out}. When an OTLP
 * endpoint or {@code otel.traces.exporter} is configured (or {@code racetrace.exporter} says so),
 * OTel autoconfigure builds the exporter from the standard {@code otel.*} settings. With
 * {@code racetrace.exporter=auto} (the default) spans then go live within racetrace.export.cpu and
 * the journal is written too, every event of it, so that what the live export could not afford is
 * still recorded; {@code racetrace.exporter=otel} is the live export alone.
 */
public final class ExporterFactory {
  /** The exporters chosen, and a one-line description for the start-up message. */
  public static final class Exporters {
    public final List<SpanExporter> exporters;
    public final String description;
    /** Spans go live to an OTel exporter (OTLP, Zipkin, ...): racetrace.export.cpu applies. */
    public final boolean live;
    /**
     * The journal the export loop writes (alone, or next to live export when {@link #live}), or null
     * when there is none.
     */
    public final Path journal;
    /**
     * Flight mode on the journal with OTel exporters (an endpoint configured): how to name them, as
     * each dump is also sent to them ({@link #exporters}); null otherwise.
     */
    public final String dumpsSentTo;

    Exporters(List<SpanExporter> exporters, String description, boolean live, Path journal) {
      this(exporters, description, live, journal, null);
    }

    Exporters(List<SpanExporter> exporters, String description, boolean live, Path journal, String dumpsSentTo) {
      this.exporters = exporters;
      this.description = description;
      this.live = live;
      this.journal = journal;
      this.dumpsSentTo = dumpsSentTo;
    }
  }

  /** The Zipkin exporter's default endpoint (OTel's {@code otel.exporter.zipkin.endpoint}). */
  static final String ZIPKIN_DEFAULT_ENDPOINT = "http://localhost:9411/api/v2/spans";

  private ExporterFactory() {}

  public static Exporters create(AgentConfig config, NodeIdentity node, Properties system,
      Map<String, String> env, Counters counters) throws ConfigException {
    ExporterChoice mode = config.exporter();
    boolean otelConfigured = otelConfigured(system, env, config.otelFromFile());
    if (mode == ExporterChoice.AUTO && !otelConfigured) {
      mode = ExporterChoice.JOURNAL; // in flight mode too: a ring of journal chunks in memory, dumped on triggers
    }
    if (mode == ExporterChoice.JOURNAL) {
      // the export loop writes the journal; no span exporter
      Path journal = journalPath(config, node);
      if (config.flight()) {
        return new Exporters(new ArrayList<>(), flightDumps(journal), false, journal);
      }
      return new Exporters(new ArrayList<>(), "journal " + journal + " (at most " + config.get(ConfigKey.OUT_MAX)
          + ", racetrace.out.max, oldest parts deleted; " + JournalExport.exportHint(journal.getParent()) + ")", false,
          journal);
    }
    // span exporters: the bundled SDK builds them (and may log) from here on; the journal alone
    // leaves the SDK unloaded until a span is built (NodeResource)
    LibraryLogCapture.install(Log.get());
    boolean file = mode.writesSpanFiles();
    boolean otel = mode == ExporterChoice.OTEL || mode == ExporterChoice.BOTH || mode == ExporterChoice.AUTO;
    List<SpanExporter> exporters = new ArrayList<>();
    List<String> where = new ArrayList<>();
    boolean live = false;
    if (otel) {
      List<String> names = BundledExporters.names(
          BundledExporters.configured(system, env, config.otelFromFile()));
      List<SpanExporter> fromOtel = autoconfigured(config);
      if (config.flight() && mode == ExporterChoice.AUTO && !fromOtel.isEmpty()) {
        // flight mode on the journal as without an endpoint; each dump also goes to the exporters
        Path journal = journalPath(config, node);
        String otelWhere = describeOtel(names, system, env, config);
        return new Exporters(fromOtel, flightDumps(journal) + ", each dump also sent to " + otelWhere, false,
            journal, otelWhere);
      }
      exporters.addAll(fromOtel);
      live = !fromOtel.isEmpty() && !file && !config.flight(); // the span file keeps everything
      where.add(fromOtel.isEmpty() ? "nowhere (otel.traces.exporter=none)"
          : describeOtel(names, system, env, config) + (!live ? ""
              : " within racetrace.export.cpu=" + config.get(ConfigKey.EXPORT_CPU) + " of a core"));
    }
    // auto: what the live export cannot afford is still recorded; racetrace.exporter=otel: live only
    Path journal = live && mode == ExporterChoice.AUTO ? journalPath(config, node) : null;
    if (file) {
      Path path = config.out().resolve(node.fileName());
      OutBudget budget = new OutBudget(config.outMaxBytes(), config.get(ConfigKey.OUT_MAX), counters, path);
      exporters.add(fileExporter(path, config.fileEncoder(), budget));
      where.add(path + " (at most " + config.get(ConfigKey.OUT_MAX) + ", racetrace.out.max, oldest parts deleted)");
    }
    String description = String.join(" and ", where);
    if (journal != null) {
      description += "; every event also to the journal " + journal + " (at most " + config.get(ConfigKey.OUT_MAX)
          + ", racetrace.out.max; " + JournalExport.exportHint(journal.getParent()) + ")";
    }
    return new Exporters(exporters, description, live, journal);
  }

  /** Where flight mode's journal dumps go, and how to export them, for the start line. */
  private static String flightDumps(Path journal) {
    return "journal flight dumps " + journal.resolveSibling(FlightJournal.dumpName(journal, 1)).toString()
        .replace("-flight-1.rtj", "-flight-<n>.rtj") + " (" + JournalExport.exportHint(journal.getParent()) + ")";
  }

  /** The journal file of this process: the span file's name with {@code .rtj}. */
  public static Path journalPath(AgentConfig config, NodeIdentity node) {
    return config.out().resolve(JournalFile.nameFor(node.fileName()));
  }

  /**
   * The file exporter, built on the exporter thread at the first export (nothing of it on the
   * start-up path): racetrace's encoder, or the OTel SDK's OTLP JSON exporter; same bytes.
   */
  public static SpanExporter fileExporter(Path path, FileEncoder encoder) {
    return fileExporter(path, encoder, OutBudget.unlimited());
  }

  /**
   * @param budget racetrace.out.max: the file rolls over into parts, the oldest deleted; with the
   *     otel-sdk encoder (which writes as it encodes) a part may pass its size by one batch
   */
  public static SpanExporter fileExporter(Path path, FileEncoder encoder, OutBudget budget) {
    if (encoder == FileEncoder.OTEL_SDK) {
      return new LazySpanExporter(() -> new BudgetedSpanExporter(
          new SdkOtlpJsonFileExporter(new LazyFileOutputStream(path, budget)), budget),
          "OTLP JSON file " + path + " (otel-sdk encoder)");
    }
    return new LazySpanExporter(() -> new OtlpJsonFileExporter(path, budget), "OTLP JSON file " + path);
  }

  static boolean otelConfigured(Properties system, Map<String, String> env, Map<String, String> file) {
    String[][] keys = {
      {"otel.traces.exporter", "OTEL_TRACES_EXPORTER"},
      {"otel.exporter.otlp.endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT"},
      {"otel.exporter.otlp.traces.endpoint", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"},
    };
    for (String[] k : keys) {
      if (system.getProperty(k[0]) != null || env.get(k[1]) != null || file.get(k[0]) != null) {
        return true;
      }
    }
    return false;
  }

  private static String describeOtel(List<String> names, Properties system, Map<String, String> env,
      AgentConfig config) {
    List<String> parts = new ArrayList<>();
    for (String name : names) {
      if (name.equals("otlp")) {
        parts.add(describeOtlp(system, env, config));
      } else if (name.equals("zipkin")) {
        parts.add("Zipkin " + first(system.getProperty("otel.exporter.zipkin.endpoint"),
            env.get("OTEL_EXPORTER_ZIPKIN_ENDPOINT"),
            config.otelFromFile().get("otel.exporter.zipkin.endpoint"),
            ZIPKIN_DEFAULT_ENDPOINT));
      } else if (name.equals("logging-otlp")) {
        parts.add("standard error (logging-otlp, one OTLP JSON request per line)");
      } else if (!name.equals("none")) {
        parts.add(name);
      }
    }
    return String.join(" and ", parts);
  }

  private static String describeOtlp(Properties system, Map<String, String> env, AgentConfig config) {
    String endpoint = first(system.getProperty("otel.exporter.otlp.traces.endpoint"),
        env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), system.getProperty("otel.exporter.otlp.endpoint"),
        env.get("OTEL_EXPORTER_OTLP_ENDPOINT"), config.otelFromFile().get("otel.exporter.otlp.endpoint"),
        "the OTLP default endpoint");
    String protocol = first(system.getProperty("otel.exporter.otlp.protocol"),
        env.get("OTEL_EXPORTER_OTLP_PROTOCOL"), config.otelFromFile().get("otel.exporter.otlp.protocol"),
        "http/protobuf");
    return "OTLP " + endpoint + " (" + protocol + ")";
  }

  /** The span exporters OTel autoconfigure builds from otel.* settings (none if "none"). */
  private static List<SpanExporter> autoconfigured(AgentConfig config) throws ConfigException {
    List<SpanExporter> captured = new ArrayList<>();
    Map<String, String> defaults = new HashMap<>(config.otelFromFile());
    defaults.putIfAbsent("otel.exporter.otlp.protocol", "http/protobuf");
    AutoConfiguredOpenTelemetrySdk sdk;
    try {
      sdk = AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesSupplier(() -> defaults)
          .addPropertiesCustomizer(c -> Map.of(
              "otel.metrics.exporter", "none",
              "otel.logs.exporter", "none",
              "otel.sdk.disabled", "false"))
          .addSpanExporterCustomizer((exporter, c) -> {
            // Zipkin's span model drops the resource: keep the node on each span.
            if (exporter instanceof ZipkinSpanExporter) {
              captured.add(new NodeTaggingSpanExporter(exporter, "Zipkin " + c.getString(
                  "otel.exporter.zipkin.endpoint", ZIPKIN_DEFAULT_ENDPOINT)));
            } else if (LoggingOtlpToStderr.replaces(exporter)) {
              // it logs through a JUL logger racetrace keeps quiet: the same JSON, on stderr
              exporter.shutdown();
              captured.add(LoggingOtlpToStderr.create());
            } else {
              captured.add(exporter);
            }
            return NoopSpanExporter.INSTANCE;
          })
          .disableShutdownHook()
          .setServiceClassLoader(ExporterFactory.class.getClassLoader())
          .build();
    } catch (RuntimeException e) {
      throw new ConfigException(ConfigKey.EXPORTER.key(), config.get(ConfigKey.EXPORTER),
          BundledExporters.reason(e));
    }
    sdk.getOpenTelemetrySdk().getSdkTracerProvider().shutdown();
    return captured;
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
