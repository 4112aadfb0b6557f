package dev.racetrace.sample;

import dev.racetrace.sample.node.Compaction;
import dev.racetrace.sample.node.Derive;
import dev.racetrace.sample.node.LoadMetadata;
import dev.racetrace.sample.node.MetadataStore;
import dev.racetrace.sample.node.Node;
import dev.racetrace.sample.node.Operation;
import dev.racetrace.sample.node.Publish;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The racetrace configuration the demo gives every node: the one place that names the classes
 * and members the agent is pointed at. The sample app needs no code change for any of it.
 *
 * <p>Class names come from class literals, so a rename breaks the build rather than the demo;
 * member names are checked by {@code AgentConfigTest}.
 */
public final class AgentConfig {
  /** Service name of every node ({@code OTEL_SERVICE_NAME}). */
  public static final String SERVICE_NAME = "sample-store";
  /** Only the node's own code is instrumented. */
  public static final String INCLUDE = Node.class.getPackageName();
  /** Entity key of every queue element and task: {@link Operation#key()}. */
  public static final String KEYS = Operation.class.getName() + "#key";
  /** Operation names by element class; the rule below uses the first three. */
  public static final Map<String, String> OPS = ops();
  /** Visible-state probes: static, O(1), numeric. */
  public static final Map<String, String> STATE = state();
  /** The global readiness flag: every read of it is a guard check. */
  public static final String FLAGS = Node.class.getName() + "#ready";
  /** The ordering the service silently depends on. */
  public static final String RULES = "load-metadata < derive < publish per key";

  private AgentConfig() {}

  private static Map<String, String> ops() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(LoadMetadata.class.getName(), "load-metadata");
    m.put(Derive.class.getName(), "derive");
    m.put(Publish.class.getName(), "publish");
    m.put(Compaction.class.getName(), "compaction");
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, String> state() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("metadata.entities", MetadataStore.class.getName() + "#entities");
    m.put("metadata.updates", MetadataStore.class.getName() + "#updates");
    return Collections.unmodifiableMap(m);
  }

  /**
   * The {@code -D} options for a node JVM started with the agent.
   *
   * @param spansDir where the agent writes its OTLP JSON lines
   */
  public static List<String> systemProperties(Path spansDir) {
    return List.of(
        "-Dracetrace.include=" + INCLUDE,
        "-Dracetrace.out=" + spansDir,
        "-Dracetrace.keys=" + KEYS,
        "-Dracetrace.ops=" + join(OPS),
        "-Dracetrace.state=" + join(STATE),
        "-Dracetrace.guards.flags=" + FLAGS,
        "-Dracetrace.rules=" + RULES);
  }

  /**
   * Environment that names the node for the agent's resource ({@code service.name},
   * {@code service.instance.id}).
   */
  public static Map<String, String> environment(String nodeId) {
    return Map.of(
        "OTEL_SERVICE_NAME", SERVICE_NAME,
        "OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=" + nodeId);
  }

  private static String join(Map<String, String> m) {
    return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
