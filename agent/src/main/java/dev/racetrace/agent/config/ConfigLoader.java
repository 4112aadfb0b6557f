package dev.racetrace.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Reads racetrace settings from system properties, environment and an optional properties file
 * (in that precedence), rejects unknown {@code racetrace.*} keys and malformed values, and returns a
 * checked {@link AgentConfig}. Settings named {@code otel.*} in the file are kept for the OTel
 * exporter configuration.
 */
public final class ConfigLoader {
  private static final String PREFIX = "racetrace.";
  private static final String ENV_PREFIX = "RACETRACE_";

  private ConfigLoader() {}

  /** Loads the configuration of this JVM. */
  public static AgentConfig load() throws ConfigException {
    return load(System.getProperties(), System.getenv());
  }

  /** Loads from the given sources (visible for testing). */
  public static AgentConfig load(Properties system, Map<String, String> env) throws ConfigException {
    Map<String, String> fromSystem = new HashMap<>();
    for (String name : system.stringPropertyNames()) {
      if (name.startsWith(PREFIX)) {
        fromSystem.put(name, system.getProperty(name));
      }
    }
    Map<String, String> fromEnv = new HashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith(ENV_PREFIX)) {
        ConfigKey k = ConfigKey.byEnvName(e.getKey());
        if (k == null) {
          throw unknown(e.getKey(), e.getValue(), true);
        }
        fromEnv.put(k.key(), e.getValue());
      }
    }
    for (Map.Entry<String, String> e : fromSystem.entrySet()) {
      if (ConfigKey.byKey(e.getKey()) == null) {
        throw unknown(e.getKey(), e.getValue(), false);
      }
    }

    Map<String, String> merged = new LinkedHashMap<>();
    Map<String, String> otel = new LinkedHashMap<>();
    String file = firstNonNull(fromSystem.get(ConfigKey.CONFIG.key()), fromEnv.get(ConfigKey.CONFIG.key()));
    if (file != null) {
      ConfigKey.CONFIG.type().check(ConfigKey.CONFIG.key(), file);
      readFile(file, merged, otel);
    }
    merged.putAll(fromEnv);
    merged.putAll(fromSystem);

    Map<String, String> values = new LinkedHashMap<>();
    for (ConfigKey k : ConfigKey.values()) {
      String v = merged.get(k.key());
      if (v == null) {
        v = k.defaultValue();
      } else {
        v = v.trim();
        k.type().check(k.key(), v);
      }
      values.put(k.key(), v);
    }
    return new AgentConfig(values, otel, GuardConfig.parse(values));
  }

  private static void readFile(String file, Map<String, String> into, Map<String, String> otel)
      throws ConfigException {
    Path path = Paths.get(file);
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(ConfigKey.CONFIG.key(), file,
          "cannot read file (" + e.getClass().getSimpleName() + ")");
    }
    for (String name : p.stringPropertyNames()) {
      String value = p.getProperty(name);
      if (name.startsWith("otel.")) {
        otel.put(name, value);
      } else if (ConfigKey.byKey(name) == null || name.equals(ConfigKey.CONFIG.key())) {
        throw new ConfigException(name, value, "unknown key in " + file + suggestion(name, false)
            + " (the file may hold racetrace.* keys other than racetrace.config, and otel.* keys)");
      } else {
        into.put(name, value);
      }
    }
  }

  private static ConfigException unknown(String name, String value, boolean env) {
    return new ConfigException(name, value, "unknown key" + suggestion(name, env));
  }

  private static String suggestion(String name, boolean env) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (ConfigKey k : ConfigKey.values()) {
      String candidate = env ? k.envName() : k.key();
      int d = distance(name, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= 3 ? " (did you mean " + best + "?)" : "";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }
}
