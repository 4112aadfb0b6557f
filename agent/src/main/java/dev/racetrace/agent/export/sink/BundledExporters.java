package dev.racetrace.agent.export.sink;

import dev.racetrace.agent.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code otel.traces.exporter} values the racetrace agent jar bundles. Checked before OTel
 * autoconfigure runs, because autoconfigure's own answer to anything else ("not found on
 * classpath. Make sure to add it as a dependency") is advice nobody can follow for a shaded
 * agent jar.
 */
public final class BundledExporters {
  static final String KEY = "otel.traces.exporter";
  private static final String ENV = "OTEL_TRACES_EXPORTER";

  /** What {@code otel.traces.exporter} may name in the racetrace agent. */
  static final List<String> NAMES = List.of("otlp", "zipkin", "logging-otlp", "none");

  private BundledExporters() {}

  /** The raw {@code otel.traces.exporter} value (system property, env, then file), or null. */
  public static String configured(Properties system, Map<String, String> env, Map<String, String> file) {
    String v = system.getProperty(KEY);
    if (v == null) {
      v = env.get(ENV);
    }
    if (v == null) {
      v = file.get(KEY);
    }
    return v;
  }

  /**
   * The exporter names in {@code raw} ({@code otlp} when unset).
   *
   * @throws ConfigException naming the key, the value and the bundled exporters, when a name is
   *     not one of them
   */
  public static List<String> names(String raw) throws ConfigException {
    List<String> names = new ArrayList<>();
    if (raw == null || raw.isBlank()) {
      names.add("otlp");
      return names;
    }
    for (String part : raw.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      if (!NAMES.contains(name)) {
        throw new ConfigException(KEY, raw, "\"" + name + "\" is not an exporter the racetrace "
            + "agent bundles; use one of " + String.join(", ", NAMES)
            + " (or racetrace.exporter=otlp-json and send the files on)");
      }
      names.add(name);
    }
    return names;
  }

  /**
   * racetrace's own reason for an autoconfigure failure: the SDK's message, unless it tells the
   * user to add a dependency or a class path entry, which the agent jar cannot take.
   */
  public static String reason(RuntimeException e) {
    String m = specificMessage(e);
    int advice = m.indexOf(". Make sure");
    if (advice >= 0 || m.contains("classpath")) {
      String what = advice >= 0 ? m.substring(0, advice) : m;
      what = what.replace(" not found on classpath", " is not bundled")
          .replace(" not on classpath", " is not bundled")
          .replace(" on the classpath", "");
      return what + ": the racetrace agent bundles the otlp, zipkin and logging-otlp"
          + " span exporters, the W3C propagators and the SDK's built-in samplers";
    }
    return "OpenTelemetry exporter configuration failed: " + m;
  }

  /**
   * The message that says what was wrong: the SDK wraps unexpected failures (an unsupported
   * {@code OTEL_EXPORTER_OTLP_COMPRESSION}, say) in "Unexpected configuration error", which
   * names nothing; the cause does.
   */
  private static String specificMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t
        && (t.getMessage() == null || t.getMessage().startsWith(SDK_WRAPPER))) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  private static final String SDK_WRAPPER = "Unexpected configuration error";
}
