package dev.racetrace.agent.config;

/** {@code racetrace.mode}: how the recording is kept. Parsed once, from the checked value. */
public enum RecordingMode {
  /** Everything recorded goes to the journal or exporters as it is drained. */
  STREAM("stream"),
  /** A bounded in-memory ring, written out on a trigger or a dump request. */
  FLIGHT("flight");

  private final String id;

  RecordingMode(String id) {
    this.id = id;
  }

  /** The value as written in the configuration. */
  public String id() {
    return id;
  }

  /** The mode named {@code value}, or null. */
  static RecordingMode parse(String value) {
    for (RecordingMode m : values()) {
      if (m.id.equals(value)) {
        return m;
      }
    }
    return null;
  }
}
