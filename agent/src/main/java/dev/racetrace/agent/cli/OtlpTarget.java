package dev.racetrace.agent.cli;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where {@code export --otlp} sends spans, and with which headers, read as the OpenTelemetry SDK
 * reads them for a live exporter, so that one set of settings serves both: the endpoint named on
 * the command line, else {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (the full URL) or
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (a base URL, {@code /v1/traces} appended), else
 * {@code http://localhost:4318}; headers from {@code OTEL_EXPORTER_OTLP_TRACES_HEADERS} or
 * {@code OTEL_EXPORTER_OTLP_HEADERS} ({@code key=value,...}, values percent-encoded), e.g. the
 * {@code authorization} a hosted backend asks for. Each setting may also be given as the system
 * property of the same name ({@code -Dotel.exporter.otlp.headers=...}), which wins, as in the SDK.
 */
final class OtlpTarget {
  static final String DEFAULT_ENDPOINT = "http://localhost:4318";
  private static final String TRACES_PATH = "/v1/traces";

  /** The URL spans are posted to (ends with /v1/traces unless a full traces endpoint was given). */
  final String url;
  /** Headers of every request (names and values as configured). */
  final Map<String, String> headers;

  private OtlpTarget(String url, Map<String, String> headers) {
    this.url = url;
    this.headers = Collections.unmodifiableMap(headers);
  }

  /**
   * @param endpoint the endpoint named on the command line, or null
   * @throws IllegalArgumentException for a header entry without '=', naming the setting
   */
  static OtlpTarget of(String endpoint, Map<String, String> env, Properties system) {
    String url;
    if (endpoint != null) {
      url = withTracesPath(endpoint);
    } else if (setting("otel.exporter.otlp.traces.endpoint", env, system) != null) {
      url = setting("otel.exporter.otlp.traces.endpoint", env, system); // a signal's endpoint is used as it is
    } else if (setting("otel.exporter.otlp.endpoint", env, system) != null) {
      url = withTracesPath(setting("otel.exporter.otlp.endpoint", env, system));
    } else {
      url = withTracesPath(DEFAULT_ENDPOINT);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    parseHeaders("otel.exporter.otlp.headers", env, system, headers);
    parseHeaders("otel.exporter.otlp.traces.headers", env, system, headers); // the signal's own win
    return new OtlpTarget(url, headers);
  }

  /** A base URL's traces path ({@code http://host:4318} -> {@code http://host:4318/v1/traces}). */
  static String withTracesPath(String endpoint) {
    String path = URI.create(endpoint).getPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return endpoint.replaceAll("/$", "") + TRACES_PATH;
    }
    return endpoint;
  }

  /** What to print: the URL and the header names, never their values (they are credentials). */
  String describe() {
    return headers.isEmpty() ? url : url + " (headers: " + String.join(", ", headers.keySet()) + ")";
  }

  private static void parseHeaders(String key, Map<String, String> env, Properties system,
      Map<String, String> into) {
    String value = setting(key, env, system);
    if (value == null || value.isBlank()) {
      return;
    }
    String[] entries = value.split(",");
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i];
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) { // not shown: a header value is often a credential
        throw new IllegalArgumentException(envName(key) + " (or -D" + key + "): entry " + (i + 1)
            + " is not key=value");
      }
      into.put(entry.substring(0, eq).trim(),
          URLDecoder.decode(entry.substring(eq + 1).trim(), StandardCharsets.UTF_8));
    }
  }

  /** The system property, else the environment variable of the same name ({@code OTEL_...}). */
  private static String setting(String key, Map<String, String> env, Properties system) {
    String value = system.getProperty(key);
    if (value == null || value.isBlank()) {
      value = env.get(envName(key));
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_');
  }
}
