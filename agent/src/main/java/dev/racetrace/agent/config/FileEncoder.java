package dev.racetrace.agent.config;

/** {@code racetrace.file.encoder}: the encoder of the OTLP JSON span files. */
public enum FileEncoder {
  /** racetrace's own encoder, byte for byte what the SDK's exporter writes. */
  RACETRACE("racetrace"),
  /** The OpenTelemetry SDK's OTLP JSON exporter itself. */
  OTEL_SDK("otel-sdk");

  private final String id;

  FileEncoder(String id) {
    this.id = id;
  }

  /** The value as written in the configuration. */
  public String id() {
    return id;
  }

  /** The encoder named {@code value}, or null. */
  static FileEncoder parse(String value) {
    for (FileEncoder e : values()) {
      if (e.id.equals(value)) {
        return e;
      }
    }
    return null;
  }
}
