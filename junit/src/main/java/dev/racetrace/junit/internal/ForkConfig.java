package dev.racetrace.junit.internal;

import dev.racetrace.junit.InjectDelay;
import dev.racetrace.junit.RaceTrace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fork's racetrace configuration, from a {@link RaceTrace} annotation and the
 * {@link InjectDelay} rules that apply: system properties and extra JVM options.
 */
public final class ForkConfig {
  private final Map<String, String> properties;
  private final List<String> jvmArgs;

  private ForkConfig(Map<String, String> properties, List<String> jvmArgs) {
    this.properties = properties;
    this.jvmArgs = jvmArgs;
  }

  /**
   * @param trace the annotation
   * @param delays the {@code racetrace.delay} rules (class first, then method)
   * @throws IllegalArgumentException an entry of {@code properties()} is not {@code key=value}
   */
  public static ForkConfig of(RaceTrace trace, List<String> delays) {
    Map<String, String> p = new LinkedHashMap<>();
    put(p, "racetrace.include", ",", trace.include());
    put(p, "racetrace.exclude", ",", trace.exclude());
    put(p, "racetrace.rules", ";", trace.rules());
    put(p, "racetrace.keys", ",", trace.keys());
    put(p, "racetrace.ops", ",", trace.ops());
    put(p, "racetrace.state", ",", trace.state());
    put(p, "racetrace.guards.flags", ",", trace.flags());
    put(p, "racetrace.delay", ";", delays.toArray(new String[0]));
    for (String kv : trace.properties()) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("@RaceTrace(properties): '" + kv + "' is not key=value");
      }
      p.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }
    return new ForkConfig(p, List.of(trace.jvmArgs()));
  }

  private static void put(Map<String, String> p, String key, String separator, String[] values) {
    List<String> kept = new ArrayList<>();
    for (String v : values) {
      if (!v.isBlank()) {
        kept.add(v.trim());
      }
    }
    if (!kept.isEmpty()) {
      p.put(key, String.join(separator, kept));
    }
  }

  /** The delay rules of {@code @InjectDelay} annotations, in order. */
  public static List<String> delays(InjectDelay[] onClass, InjectDelay[] onMethod) {
    List<String> rules = new ArrayList<>();
    Arrays.stream(onClass).forEach(d -> rules.add(d.value()));
    Arrays.stream(onMethod).forEach(d -> rules.add(d.value()));
    return rules;
  }

  /** {@code racetrace.*} (and any other) system properties for the fork, in order. */
  public Map<String, String> properties() {
    return properties;
  }

  /** Whether delay rules are configured. */
  public boolean hasDelays() {
    return properties.containsKey("racetrace.delay");
  }

  /** Extra JVM options. */
  public List<String> jvmArgs() {
    return jvmArgs;
  }

  /** The same configuration with {@code key} set, unless the annotation set it already. */
  public ForkConfig withDefault(String key, String value) {
    if (properties.containsKey(key)) {
      return this;
    }
    Map<String, String> p = new LinkedHashMap<>(properties);
    p.put(key, value);
    return new ForkConfig(p, jvmArgs);
  }

  /** The same configuration with {@code key} set, replacing any value. */
  public ForkConfig with(String key, String value) {
    Map<String, String> p = new LinkedHashMap<>(properties);
    p.put(key, value);
    return new ForkConfig(p, jvmArgs);
  }
}
