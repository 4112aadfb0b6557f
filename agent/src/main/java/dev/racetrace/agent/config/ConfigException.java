package dev.racetrace.agent.config;

import dev.racetrace.agent.internal.Redact;

/**
 * A configuration value racetrace cannot use. Its message names the key and the value, printable
 * as one line: control characters in them are escaped and URL user-info is hidden ({@link Redact}).
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private static final int MAX_SHOWN = 200;

  private final String key;
  private final String value;

  public ConfigException(String key, String value, String reason) {
    super(Redact.line(key + "=" + shorten(value) + ": " + reason));
    this.key = key;
    this.value = value;
  }

  /** A value too long for one readable line is cut, saying how long it was. */
  private static String shorten(String value) {
    if (value == null || value.length() <= MAX_SHOWN) {
      return value;
    }
    return value.substring(0, MAX_SHOWN) + "...(" + value.length() + " characters)";
  }

  public String key() {
    return key;
  }

  public String value() {
    return value;
  }
}
