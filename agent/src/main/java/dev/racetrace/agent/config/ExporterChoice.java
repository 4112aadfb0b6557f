package dev.racetrace.agent.config;

/** {@code racetrace.exporter}: where the recording goes. Parsed once, from the checked value. */
public enum ExporterChoice {
  /** Live OTLP (within racetrace.export.cpu) plus the journal when OTel is configured, else the journal. */
  AUTO("auto"),
  /** The binary journal alone. */
  JOURNAL("journal"),
  /** OTLP JSON lines span files; {@code file} is the name it had before the journal became the default. */
  OTLP_JSON("otlp-json", "file"),
  /** OTel autoconfigure only, no journal. */
  OTEL("otel"),
  /** {@link #OTEL} and {@link #OTLP_JSON}. */
  BOTH("both");

  private final String id;
  private final String alias;

  ExporterChoice(String id) {
    this(id, null);
  }

  ExporterChoice(String id, String alias) {
    this.id = id;
    this.alias = alias;
  }

  /** The value as documented (an alias parses to the same choice). */
  public String id() {
    return id;
  }

  /** Whether span files are written (otlp-json, both). */
  public boolean writesSpanFiles() {
    return this == OTLP_JSON || this == BOTH;
  }

  /** The choice named {@code value} (its id or alias), or null. */
  static ExporterChoice parse(String value) {
    for (ExporterChoice c : values()) {
      if (c.id.equals(value) || value.equals(c.alias)) {
        return c;
      }
    }
    return null;
  }
}
