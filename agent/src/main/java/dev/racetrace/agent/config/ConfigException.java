package dev.racetrace.agent.config;

/** A configuration value racetrace cannot use. Its message names the key and the value. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String value;

  public ConfigException(String key, String value, String reason) {
    super(key + "=" + value + ": " + reason);
    this.key = key;
    this.value = value;
  }

  public String key() {
    return key;
  }

  public String value() {
    return value;
  }
}
