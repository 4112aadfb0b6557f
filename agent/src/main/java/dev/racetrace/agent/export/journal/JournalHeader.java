package dev.racetrace.agent.export.journal;

import dev.racetrace.agent.config.AgentConfig;
import dev.racetrace.agent.config.ConfigKey;
import dev.racetrace.agent.export.rules.RuleChecker;
import dev.racetrace.agent.export.sink.NodeIdentity;
import dev.racetrace.agent.internal.Version;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The entries every journal chunk header carries: what a replay in another process needs to build
 * the same spans (node id, trace window, rules, rule settle time, resource) and the configuration
 * that shaped the recording, for the reader's information.
 */
public final class JournalHeader {
  public static final String NODE = "node.id";
  public static final String TRACE_WINDOW_MS = "trace.window.ms";
  public static final String RULE_SETTLE_NS = "rule.settle.ns";
  public static final String RULES = "rules";
  /**
   * Events in journal parts deleted under racetrace.out.max so far (absent while none): the
   * replay puts it on its stats span ({@code race.rotated_events}).
   */
  static final String ROTATED_EVENTS = "rotated.events";
  /**
   * A flight-mode dump (racetrace.mode=flight on the journal): its first chunk holds no records and
   * carries why it was written; the replay turns it into a {@code racetrace.flight.dump} span.
   */
  public static final String FLIGHT_REASON = "flight.reason";
  /** The dump's number in its process (1, 2, ...). */
  public static final String FLIGHT_DUMP = "flight.dump";
  /** Events in the dump's chunks. */
  public static final String FLIGHT_EVENTS = "flight.events";
  /** Events in chunks the ring dropped (racetrace.flight.maxsize/maxage) since the previous dump. */
  public static final String FLIGHT_DROPPED_EVENTS = "flight.dropped.events";
  /** Expired timed waits that did not dump (racetrace.flight.timeout.interval) since the previous one. */
  public static final String FLIGHT_SUPPRESSED = "flight.suppressed";
  public static final String SCOPE_VERSION = "scope.version";
  static final String RESOURCE_PREFIX = "resource.";
  static final String CONFIG_PREFIX = "config.";
  /** Configuration recorded in the header: what shaped the events, nothing that could be a secret. */
  private static final ConfigKey[] RECORDED = {
    ConfigKey.INCLUDE, ConfigKey.EXCLUDE, ConfigKey.RECORD, ConfigKey.KEYS, ConfigKey.OPS, ConfigKey.STATE,
    ConfigKey.GUARDS_FLAGS, ConfigKey.GUARDS_METHODS, ConfigKey.RULES, ConfigKey.OTEL_LINK, ConfigKey.BUFFER_SIZE,
    ConfigKey.EXPORT_INTERVAL, ConfigKey.TRACE_WINDOW,
  };

  private JournalHeader() {}

  /** @param resource the resource's attributes by key ({@code NodeResource.attributes()}) */
  public static Map<String, String> create(NodeIdentity node, Map<String, Object> resource, AgentConfig config) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(NODE, node.instanceId());
    h.put(TRACE_WINDOW_MS, Long.toString(config.traceWindowMillis()));
    h.put(RULE_SETTLE_NS, Long.toString(RuleChecker.ruleSettleNanos(config.exportIntervalMillis())));
    h.put(RULES, config.get(ConfigKey.RULES));
    h.put(SCOPE_VERSION, Version.get());
    for (ConfigKey k : RECORDED) {
      h.put(CONFIG_PREFIX + k.key(), config.get(k));
    }
    putResource(h, resource);
    return h;
  }

  /** Resource attributes as {@code resource.<key>} = {@code <type>:<value>}, type s, l, b or d. */
  public static void putResource(Map<String, String> h, Resource resource) {
    Map<String, Object> attributes = new TreeMap<>();
    resource.getAttributes().forEach((k, v) -> attributes.put(k.getKey(), v));
    putResource(h, attributes);
  }

  /**
   * @param attributes by key: Long, Boolean and Double values keep their type, anything else is
   *     written as its string
   */
  public static void putResource(Map<String, String> h, Map<String, Object> attributes) {
    attributes.forEach((k, v) -> {
      String type = v instanceof Long ? "l" : v instanceof Boolean ? "b" : v instanceof Double ? "d" : "s";
      h.put(RESOURCE_PREFIX + k, type + ":" + v);
    });
  }

  /** The resource written by {@link #putResource}. */
  static Resource resource(Map<String, String> h) {
    AttributesBuilder a = Attributes.builder();
    for (Map.Entry<String, String> e : h.entrySet()) {
      if (!e.getKey().startsWith(RESOURCE_PREFIX) || e.getValue().length() < 2) {
        continue;
      }
      String key = e.getKey().substring(RESOURCE_PREFIX.length());
      String v = e.getValue().substring(2);
      try {
        switch (e.getValue().charAt(0)) {
          case 'l':
            a.put(AttributeKey.longKey(key), Long.parseLong(v));
            break;
          case 'b':
            a.put(AttributeKey.booleanKey(key), Boolean.parseBoolean(v));
            break;
          case 'd':
            a.put(AttributeKey.doubleKey(key), Double.parseDouble(v));
            break;
          default:
            a.put(AttributeKey.stringKey(key), v);
        }
      } catch (NumberFormatException ex) {
        a.put(AttributeKey.stringKey(key), v);
      }
    }
    return Resource.create(a.build());
  }
}
