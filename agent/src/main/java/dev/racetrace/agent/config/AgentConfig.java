package dev.racetrace.agent.config;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Checked, typed racetrace settings. Immutable. */
public final class AgentConfig {
  private final Map<String, String> values;
  private final Map<String, String> otelFromFile;
  private final GuardConfig guards;
  private final MemoryBudget.Plan memory;

  AgentConfig(Map<String, String> values, Map<String, String> otelFromFile, GuardConfig guards,
      MemoryBudget.Plan memory) {
    this.values = Collections.unmodifiableMap(values);
    this.otelFromFile = Collections.unmodifiableMap(otelFromFile);
    this.guards = guards;
    this.memory = memory;
  }

  /** Keys, op names, state probes, readiness flags, guard methods and rules. */
  public GuardConfig guards() {
    return guards;
  }

  /** racetrace.mode. */
  public RecordingMode mode() {
    return RecordingMode.parse(get(ConfigKey.MODE)); // checked when loaded
  }

  /** Flight-recorder mode: keep a bounded ring, write it out on a trigger. */
  public boolean flight() {
    return mode() == RecordingMode.FLIGHT;
  }

  /** Spans kept in flight mode: as set, or the default lowered to fit the heap ({@link MemoryBudget}). */
  public int flightSize() {
    return memory.flightSize;
  }

  /**
   * Flight mode on the journal: bytes of journal chunks kept in memory (racetrace.flight.maxsize, or
   * its default lowered to fit the heap, {@link MemoryBudget}).
   */
  public long flightMaxBytes() {
    return memory.flightJournalBytes;
  }

  /** Flight mode on the journal: millis after which a chunk is dropped (racetrace.flight.maxage). */
  public long flightMaxAgeMillis() {
    return millis(ConfigKey.FLIGHT_MAXAGE);
  }

  /** Enabled automatic flight triggers: violation, timeout, shutdown. */
  public List<String> flightTriggers() {
    return ValueType.splitList(get(ConfigKey.FLIGHT_TRIGGERS));
  }

  /** Flight mode: least millis between two dumps triggered by expired timed waits. */
  public long flightTimeoutIntervalMillis() {
    return millis(ConfigKey.FLIGHT_TIMEOUT_INTERVAL);
  }

  /** The delay seed: configured, else random. */
  public long delaySeed() {
    String s = get(ConfigKey.DELAY_SEED);
    return s.isEmpty() ? new java.security.SecureRandom().nextLong() : Long.parseLong(s);
  }

  public boolean verifyClasses() {
    return Boolean.parseBoolean(get(ConfigKey.VERIFY_CLASSES));
  }

  /** The effective value of a key (default when unset). */
  public String get(ConfigKey key) {
    return values.get(key.key());
  }

  /** racetrace.debug: stack traces with warnings. */
  public boolean debug() {
    return Boolean.parseBoolean(get(ConfigKey.DEBUG));
  }

  public boolean enabled() {
    return Boolean.parseBoolean(get(ConfigKey.ENABLED));
  }

  /** Included package prefixes, without wildcards. */
  public List<String> include() {
    return packages(ConfigKey.INCLUDE);
  }

  /** Excluded package prefixes, without wildcards. */
  public List<String> exclude() {
    return packages(ConfigKey.EXCLUDE);
  }

  /** The event families instrumented (racetrace.record). */
  public java.util.Set<RecordFamily> record() {
    return RecordFamily.parse(get(ConfigKey.RECORD));
  }

  public Path out() {
    return Paths.get(get(ConfigKey.OUT));
  }

  /** racetrace.exporter ({@code file} parses as {@link ExporterChoice#OTLP_JSON}). */
  public ExporterChoice exporter() {
    return ExporterChoice.parse(get(ConfigKey.EXPORTER)); // checked when loaded
  }

  /** racetrace.file.encoder: racetrace's own OTLP JSON encoder or the SDK's exporter. */
  public FileEncoder fileEncoder() {
    return FileEncoder.parse(get(ConfigKey.FILE_ENCODER)); // checked when loaded
  }

  /** Whether spans link to the application's own current OpenTelemetry span. */
  public boolean otelLink() {
    return Boolean.parseBoolean(get(ConfigKey.OTEL_LINK));
  }

  public int bufferSize() {
    return memory.ringCapacity;
  }

  /** Threads with a ring of their own: as set, or the default lowered to fit the heap. */
  public int bufferThreads() {
    return memory.ownedRings;
  }

  /** Striped rings shared by virtual threads and threads beyond {@link #bufferThreads()}. */
  public int sharedRings() {
    return memory.sharedRings;
  }

  /** Worst-case bytes of all rings, within 1/8 of the max heap. */
  public long ringBytes() {
    return memory.ringBytes();
  }

  /** Bytes for the exporter's matching and assembly state: racetrace.memory.max, fitted to the heap. */
  public long stateBytes() {
    return memory.stateBytes;
  }

  /** racetrace.out.max in bytes: the most the file export writes per run. */
  public long outMaxBytes() {
    try {
      return ValueType.parseBytes(ConfigKey.OUT_MAX.key(), get(ConfigKey.OUT_MAX));
    } catch (ConfigException e) {
      throw new IllegalStateException(e); // checked when loaded
    }
  }

  public long exportIntervalMillis() {
    return millis(ConfigKey.EXPORT_INTERVAL);
  }

  /** racetrace.export.cpu as a fraction of one core (0.05 for 5%). */
  public double exportCpuShare() {
    try {
      return ValueType.parsePercent(ConfigKey.EXPORT_CPU.key(), get(ConfigKey.EXPORT_CPU)) / 100.0;
    } catch (ConfigException e) {
      throw new IllegalStateException(e); // checked when loaded
    }
  }

  public long shutdownTimeoutMillis() {
    return millis(ConfigKey.SHUTDOWN_TIMEOUT);
  }

  public long traceWindowMillis() {
    return millis(ConfigKey.TRACE_WINDOW);
  }

  /** {@code otel.*} settings found in the racetrace.config file (lowest precedence for OTel). */
  public Map<String, String> otelFromFile() {
    return otelFromFile;
  }

  private long millis(ConfigKey key) {
    try {
      return ValueType.parseMillis(key.key(), get(key));
    } catch (ConfigException e) {
      throw new IllegalStateException(e); // checked when loaded
    }
  }

  private List<String> packages(ConfigKey key) {
    List<String> out = new ArrayList<>();
    for (String p : ValueType.splitList(get(key))) {
      out.add(ValueType.stripWildcard(p));
    }
    return Collections.unmodifiableList(out);
  }
}
