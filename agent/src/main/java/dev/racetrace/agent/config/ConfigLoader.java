package dev.racetrace.agent.config;

import dev.racetrace.agent.instrument.PackageFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
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

  /** Largest {@code racetrace.config} file racetrace reads. */
  static final int MAX_FILE_BYTES = 1 << 20;

  /** Loads the configuration of this JVM, sized against its heap. */
  public static AgentConfig load() throws ConfigException {
    return load(System.getProperties(), System.getenv(), Runtime.getRuntime().maxMemory(),
        Runtime.getRuntime().availableProcessors());
  }

  /** Loads from the given sources with this JVM's heap (visible for testing). */
  public static AgentConfig load(Properties system, Map<String, String> env) throws ConfigException {
    return load(system, env, Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors());
  }

  /** Loads from the given sources, sizing buffers for a heap of {@code maxHeapBytes} (visible for testing). */
  public static AgentConfig load(Properties system, Map<String, String> env, long maxHeapBytes, int cpus)
      throws ConfigException {
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
          throw ConfigKey.byEnvName(e.getKey().toUpperCase(Locale.ROOT)) != null
              ? misspelledEnv(e.getKey(), e.getValue()) : unknown(e.getKey(), e.getValue(), true);
        }
        fromEnv.put(k.key(), e.getValue());
      } else if (e.getKey().toUpperCase(Locale.ROOT).replace('.', '_').startsWith(ENV_PREFIX)) {
        throw misspelledEnv(e.getKey(), e.getValue());
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
        if (v.length() > Bound.MAX_VALUE_CHARS) {
          throw new ConfigException(k.key(), v, "longer than " + Bound.MAX_VALUE_CHARS + " characters");
        }
        k.type().check(k.key(), v);
        k.bound().check(k.key(), v);
      }
      values.put(k.key(), v);
    }
    checkIncludeNamesNoParentOfForbidden(values.get(ConfigKey.INCLUDE.key()));
    MemoryBudget.Plan plan = MemoryBudget.plan(values, merged.keySet(), maxHeapBytes, cpus);
    return new AgentConfig(values, otel, GuardConfig.parse(values), plan);
  }

  /**
   * {@code racetrace.include=dev.racetrace} or {@code com} would take in racetrace's own or the
   * JDK's packages, which are never transformed: the user meant a narrower package.
   */
  private static void checkIncludeNamesNoParentOfForbidden(String value) throws ConfigException {
    for (String p : ValueType.splitList(value)) {
      String name = ValueType.stripWildcard(p);
      for (String forbidden : PackageFilter.NEVER_TRANSFORMED) {
        if (forbidden.startsWith(name + ".")) {
          throw new ConfigException(ConfigKey.INCLUDE.key(), value, "'" + p + "' contains " + forbidden
              + ", which is never instrumented (JDK and racetrace packages); name your own packages");
        }
      }
    }
  }

  private static void readFile(String file, Map<String, String> into, Map<String, String> otel)
      throws ConfigException {
    Properties p = new Properties();
    try {
      p.load(new StringReader(readSmallRegularFile(file)));
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

  /**
   * The file's text, read only if it is a regular file of at most {@link #MAX_FILE_BYTES}: its type
   * is checked before it is opened, so a FIFO (whose open blocks until a writer comes), a device
   * such as /dev/zero (endless) or a directory is refused at once, and the read stops after the cap
   * in case the file grows or misreports its size (as /proc files do).
   */
  private static String readSmallRegularFile(String file) throws ConfigException, IOException {
    Path path;
    BasicFileAttributes attrs;
    try {
      path = Paths.get(file);
      attrs = Files.readAttributes(path, BasicFileAttributes.class); // follows symbolic links
    } catch (InvalidPathException e) {
      throw new ConfigException(ConfigKey.CONFIG.key(), file, "not a valid path");
    }
    if (attrs.isDirectory()) {
      throw new ConfigException(ConfigKey.CONFIG.key(), file, "a directory, not a properties file");
    }
    if (!attrs.isRegularFile()) {
      throw new ConfigException(ConfigKey.CONFIG.key(), file,
          "not a regular file (a FIFO, device or socket is never read)");
    }
    if (attrs.size() > MAX_FILE_BYTES) {
      throw tooLarge(file);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw tooLarge(file);
    }
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes)).toString();
  }

  private static ConfigException tooLarge(String file) {
    return new ConfigException(ConfigKey.CONFIG.key(), file,
        "larger than " + (MAX_FILE_BYTES >> 20) + " MiB, not a racetrace properties file");
  }

  /** {@code racetrace_include}, {@code RACETRACE_include}: environment names are case-sensitive. */
  private static ConfigException misspelledEnv(String name, String value) {
    ConfigKey k = ConfigKey.byEnvName(name.toUpperCase(Locale.ROOT).replace('.', '_'));
    return new ConfigException(name, value, "not read: racetrace's environment variables are upper case"
        + (k != null ? " (did you mean " + k.envName() + "?)" : suggestion(name.toUpperCase(Locale.ROOT), true)));
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
