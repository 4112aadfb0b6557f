package dev.racetrace.agent.config;

import java.util.Locale;

/**
 * Every racetrace configuration key, declared once: name, type, default and description. The
 * parser, {@code --help} and {@code docs/configuration.md} all come from this enum (a test fails
 * when the doc is stale).
 *
 * <p>Sources, highest precedence first: system property {@code -Dracetrace.x.y}, environment
 * variable {@code RACETRACE_X_Y}, the properties file named by {@code racetrace.config}.
 */
public enum ConfigKey {
  ENABLED("racetrace.enabled", ValueType.BOOLEAN, "true",
      "Master switch. false: the agent does nothing at all.", "false"),
  CONFIG("racetrace.config", ValueType.PATH, "",
      "Properties file with further racetrace.* (and otel.*) settings. Lowest precedence.",
      "/etc/racetrace/orders.properties"),
  /**
   * Packages or classes whose code is instrumented. An entry takes in the package of that name and
   * its subpackages, and the class of that name with its nested classes; the start line says which
   * one each entry found on the class path.
   */
  INCLUDE("racetrace.include", ValueType.PACKAGES, "",
      "Packages or classes whose code is instrumented (comma-separated; a package takes in its "
          + "subpackages, a class its nested classes). Empty: nothing is instrumented and the agent "
          + "says so. The start line says whether each entry matched a package or a class.",
      "com.acme.orders,com.acme.common.queue"),
  /**
   * Packages or classes left out of racetrace.include, with the same matching: excluding a class
   * excludes its nested classes too (e.g. a library's lock wrapper such as Jetty's AutoLock).
   */
  EXCLUDE("racetrace.exclude", ValueType.PACKAGES, "",
      "Packages or classes left out of racetrace.include (a class with its nested classes), e.g. a "
          + "library's lock wrapper.", "com.acme.orders.generated,org.eclipse.jetty.util.thread.AutoLock"),
  /**
   * The event families instrumented. A family left out is not instrumented at all (its calls keep
   * their original bytecode: no hook call, no cost); the start line says what is recorded.
   */
  RECORD("racetrace.record", ValueType.RECORD_FAMILIES, "all",
      "Event families recorded: all, or some of queues, executors (submits, task runs), latches "
          + "(CountDownLatch, CyclicBarrier, Phaser), semaphores, locks, conditions, monitors "
          + "(wait/notify), futures (Future.get), sleeps, flags (racetrace.guards.flags reads). A "
          + "family left out is not instrumented at all.", "queues,executors"),
  OUT("racetrace.out", ValueType.PATH, "./racetrace-out",
      "Directory of the recording: the binary journal (the default, <service>-<instance>-<pid>.rtj) "
          + "or the OTLP JSON lines files of racetrace.exporter=otlp-json, one per process; the "
          + "analyzer reads either.", "/var/log/racetrace"),
  EXPORTER("racetrace.exporter", ValueType.EXPORTER, "auto",
      "Where the recording goes. auto: when an endpoint or otel.traces.exporter is configured, "
          + "spans go live through OTel autoconfigure within racetrace.export.cpu and every event "
          + "also goes to the journal (what is not exported live is there; in racetrace.mode=flight "
          + "nothing goes live: the journal's flight dumps are written and each is also sent to the OTel "
          + "exporters); else the journal alone (in racetrace.mode=flight too: its dumps). journal: a "
          + "binary event journal "
          + "(<service>-<instance>-<pid>.rtj under racetrace.out; docs/journal-format.md), read by "
          + "analyze and turned into spans by java -jar racetrace-agent.jar export <dir> --otlp "
          + "[endpoint] | --otlp-json DIR; in flight mode a ring of journal chunks in memory, dumped "
          + "as <service>-<instance>-<pid>-flight-<n>.rtj. otlp-json (formerly file): "
          + "OTLP JSON lines span files under racetrace.out. otel: OTel autoconfigure only, no "
          + "journal. both: "
          + "otel and otlp-json.", "otlp-json"),
  FILE_ENCODER("racetrace.file.encoder", ValueType.FILE_ENCODER, "racetrace",
      "Encoder of the file export. racetrace: racetrace's own OTLP JSON encoder, byte for byte "
          + "what the OpenTelemetry SDK's OTLP JSON exporter writes (a test compares them) at about "
          + "1.7 times its rate. otel-sdk: that SDK exporter itself.", "otel-sdk"),
  OTEL_LINK("racetrace.otel.link", ValueType.BOOLEAN, "false",
      "Link racetrace's spans to the application's own current OpenTelemetry span (a span link "
          + "with race.link=app), read with the application's Span.current() at every recorded "
          + "event. Off by default: it calls the application's OTel API from the hooks.", "true"),
  BUFFER_SIZE("racetrace.buffer.size", ValueType.POWER_OF_TWO, "4096",
      "Events per thread ring (72 bytes each). When a ring is full, new events are dropped and "
          + "counted; the application never waits.", "16384"),
  BUFFER_THREADS("racetrace.buffer.threads", ValueType.POSITIVE_INT, "512",
      "Threads that get a ring of their own; further threads and all virtual threads share "
          + "striped rings. Bounds memory.", "1024"),
  /**
   * Heap for the exporter's matching and assembly state (producers awaiting their consumer, open
   * work per thread, rule state, names, the events and spans of one cycle). Split into fixed entry
   * caps at start ({@code StateLimits}); what does not fit is dropped and counted, never grown.
   */
  MEMORY_MAX("racetrace.memory.max", ValueType.SIZE, "8m",
      "Heap for racetrace's matching and assembly state, on top of the rings. Every table has a cap "
          + "derived from it; entries past a cap are dropped oldest first and counted at exit, so "
          + "racetrace's heap does not grow with load.", "16m"),
  /**
   * Bytes racetrace keeps in racetrace.out for one run. The span file and the journal rotate
   * within it (the oldest parts deleted, what they held counted); the rest of racetrace goes on.
   */
  OUT_MAX("racetrace.out.max", ValueType.SIZE, "1g",
      "Most bytes racetrace keeps on disk per run. The journal (node.rtj, node.1.rtj, ..., "
          + "whole chunks) and the span file (node.jsonl, node.1.jsonl, ...) roll over into parts of "
          + "a tenth of this and the oldest parts are deleted, so a service left recording cannot "
          + "fill its disk; the events or spans deleted are counted at exit and reach the analyzer "
          + "(race.rotated_events, race.rotated_spans on the racetrace.stats span).", "200m"),
  EXPORT_INTERVAL("racetrace.export.interval", ValueType.DURATION, "100ms",
      "How often the exporter thread drains the rings. With the journal: every 1 ms while"
          + " records come and, when none do, at this interval (every 10 ms with live export beside"
          + " the journal); a ring passing half full wakes it at once.", "50ms"),
  /**
   * CPU the exporter thread may spend assembling and exporting spans live to an OTel exporter
   * (an OTLP endpoint, otel.traces.exporter), as a share of one core, measured per cycle with the
   * thread's CPU time. Over it, only what matters is exported live (rule violations, expired timed
   * waits, guard checks and the spans of their key's trace window), the rest is counted; far over
   * it, the assembler rests: with the journal (racetrace.exporter=auto) the rings are still drained
   * into it and what was not assembled is counted, with racetrace.exporter=otel the exporter pauses
   * and the rings drop. Not applied when the span file is written too (racetrace.exporter=both),
   * in flight mode, or to the journal, which is never sampled.
   */
  EXPORT_CPU("racetrace.export.cpu", ValueType.PERCENT, "5%",
      "Most CPU the live span export (OTLP or another OTel exporter) may use, as a share of one "
          + "core, measured on the exporter thread (and, with the journal, on the thread that "
          + "sends the batches). Over it only rule violations, expired timed "
          + "waits, guard checks and the spans of their trace window are exported live, the rest is "
          + "counted at exit; far over it the span assembly rests: the journal written next to live "
          + "export (racetrace.exporter=auto) still gets every event, while with "
          + "racetrace.exporter=otel the exporter pauses and full rings drop events. Not applied with "
          + "the span file (file, both), in flight mode or to the journal, which is never sampled.",
      "20%"),
  SHUTDOWN_TIMEOUT("racetrace.shutdown.timeout", ValueType.DURATION, "5s",
      "At JVM exit, how long racetrace may spend flushing recorded events.", "10s"),
  TRACE_WINDOW("racetrace.trace.window", ValueType.DURATION, "60s",
      "Spans of one key in one window of this length share a trace id on every node.", "5m"),
  KEYS("racetrace.keys", ValueType.TEXT, "",
      "Key extractors: Class#member (a field or no-argument method) giving the entity key of a "
          + "queue element or task of that class or a subclass. Every queue, task and guard event "
          + "gets race.key.", "com.acme.Op#key,com.acme.Task#entityId"),
  OPS("racetrace.ops", ValueType.TEXT, "",
      "Operation names by element or task class (or a supertype), so timelines read "
          + "load-metadata / derive / publish. Default: the class's simple name.",
      "com.acme.LoadMetadata=load-metadata,com.acme.Derive=derive"),
  STATE("racetrace.state", ValueType.TEXT, "",
      "State probes name=Class#staticMember returning a number or boolean, recorded as "
          + "race.state.<name> when work starts and at every guard check. Append /interval to "
          + "sample a probe that is not O(1) at most once per interval.",
      "metadata.entities=com.acme.MetadataStore#size,snapshot.records=com.acme.Snapshot#count/50ms"),
  GUARDS_FLAGS("racetrace.guards.flags", ValueType.TEXT, "",
      "Readiness fields Class#field (boolean, int or long): every read inside enabled packages "
          + "records the value seen, the key of the work in progress and the state probes.",
      "com.acme.Service#ready"),
  GUARDS_METHODS("racetrace.guards.methods", ValueType.TEXT, "",
      "Guard methods Class#method: every call records its arguments' key, the decision "
          + "returned, the time spent and the state probes.", "com.acme.Gate#canProcess"),
  RULES("racetrace.rules", ValueType.TEXT, "",
      "Ordering rules, ';'-separated: 'a < b [< c] [per key]', the grammar of analyze --rule. "
          + "Checked online with the analyzer's semantics (every earlier step initiated before an "
          + "operation must end before it proceeds); a violation adds a race.rule.violation event "
          + "to the late operation's span.",
      "load-metadata < derive < publish per key"),
  MODE("racetrace.mode", ValueType.MODE, "stream",
      "stream: export everything continuously. flight: keep the recent journal in memory (a ring of "
          + "chunks within racetrace.flight.maxsize and racetrace.flight.maxage; with "
          + "racetrace.exporter=otlp-json the last racetrace.flight.size spans) and write it only on a "
          + "trigger (racetrace.flight.triggers) or a dump request (java -jar racetrace-agent.jar dump "
          + "<pid>).", "flight"),
  FLIGHT_SIZE("racetrace.flight.size", ValueType.POSITIVE_INT, "20000",
      "Flight mode with racetrace.exporter=otlp-json (the span ring): spans kept in memory (about 1 KB "
          + "each). The journal's flight ring is bounded by racetrace.flight.maxsize and "
          + "racetrace.flight.maxage instead.", "50000"),
  /**
   * Flight mode on the journal (the default): the most bytes of journal chunks kept in memory, in one
   * buffer allocated at the first chunk and reused; the oldest chunks are dropped to make room. Like
   * JFR's {@code maxsize}.
   */
  FLIGHT_MAXSIZE("racetrace.flight.maxsize", ValueType.SIZE, "16m",
      "Flight mode on the journal: most bytes of journal chunks kept in memory (about 77 bytes per "
          + "event; one buffer, allocated at the first chunk and reused); the oldest chunks are dropped "
          + "to make room. Like JFR's maxsize.", "64m"),
  /**
   * Flight mode on the journal: chunks whose last record is older than this are dropped from the
   * ring (to within the second a chunk stays open). Like JFR's {@code maxage}.
   */
  FLIGHT_MAXAGE("racetrace.flight.maxage", ValueType.DURATION, "10m",
      "Flight mode on the journal: journal chunks older than this are dropped from memory (to within "
          + "the 1 s a chunk stays open), so a dump holds at most this much history. Like JFR's maxage.",
      "2m"),
  FLIGHT_TRIGGERS("racetrace.flight.triggers", ValueType.TRIGGERS, "violation,timeout,shutdown",
      "Flight mode: what writes the flight recording (journal dump or retained spans): violation (an "
          + "ordering rule broke), timeout (a "
          + "timed wait expired and the code went on), shutdown (JVM exit). A dump request always does.",
      "violation"),
  /**
   * Flight mode: the least time between two dumps triggered by an expired timed wait. A pool thread
   * that idles out on a timed poll expires a wait every keep-alive period, each of which would dump
   * the whole flight buffer; later timeouts within the interval are counted, not dumped.
   */
  FLIGHT_TIMEOUT_INTERVAL("racetrace.flight.timeout.interval", ValueType.DURATION, "60s",
      "Flight mode: least time between two dumps triggered by an expired timed wait (the timeout "
          + "trigger); timeouts within it are counted in the next dump span (race.flight.suppressed) "
          + "instead of dumping again. 0: every expired wait dumps. Violations and dump requests are "
          + "not limited.", "5m"),
  DELAY("racetrace.delay", ValueType.TEXT, "",
      "Delay injection, ';'-separated rules: site:Class#method[:line]=duration (delay the "
          + "instrumented call there) or op:name[/key]=duration (delay that operation's processing), "
          + "each with optional ~jitter and @probability. Nothing is ever delayed without this key.",
      "op:load-metadata=150ms~100ms;site:com.acme.Node#apply:57=20ms@0.5"),
  DELAY_SEED("racetrace.delay.seed", ValueType.LONG, "",
      "Seed of the delay jitter and probability draws (default: random, printed at start so a run "
          + "can be repeated).", "42"),
  VERIFY_CLASSES("racetrace.verify.classes", ValueType.BOOLEAN, "true",
      "At start, check that the classes and members named in racetrace.keys/ops/state/guards.* "
          + "exist on the class path. Set false when they load from a nested or custom class "
          + "loader (e.g. a Spring Boot fat jar).", "false"),
  /**
   * Stack traces on racetrace's stderr lines. Off: every problem is one line, at most once a minute,
   * counted in the exit summary (the output of the libraries inside racetrace included).
   */
  DEBUG("racetrace.debug", ValueType.BOOLEAN, "false",
      "Print stack traces with racetrace's warnings. Off: each problem is one stderr line at most "
          + "once a minute (the bundled OpenTelemetry SDK's logging included), counted at exit.", "true");

  private final String key;
  private final ValueType type;
  private final String defaultValue;
  private final String description;
  private final String example;

  ConfigKey(String key, ValueType type, String defaultValue, String description, String example) {
    this.key = key;
    this.type = type;
    this.defaultValue = defaultValue;
    this.description = description;
    this.example = example;
  }

  /** The property name, e.g. {@code racetrace.buffer.size}. */
  public String key() {
    return key;
  }

  /** The environment variable name, e.g. {@code RACETRACE_BUFFER_SIZE}. */
  public String envName() {
    return key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  public ValueType type() {
    return type;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public String example() {
    return example;
  }

  /** The range the value must lie in (documented in the "limits" column). */
  public Bound bound() {
    return Bound.of(this);
  }

  /** The key with this property name, or null. */
  public static ConfigKey byKey(String key) {
    for (ConfigKey k : values()) {
      if (k.key.equals(key)) {
        return k;
      }
    }
    return null;
  }

  /** The key with this environment variable name, or null. */
  public static ConfigKey byEnvName(String env) {
    for (ConfigKey k : values()) {
      if (k.envName().equals(env)) {
        return k;
      }
    }
    return null;
  }
}
