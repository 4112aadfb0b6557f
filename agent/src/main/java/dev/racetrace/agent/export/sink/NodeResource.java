package dev.racetrace.agent.export.sink;

import dev.racetrace.agent.config.AgentConfig;
import dev.racetrace.agent.internal.LibraryLogCapture;
import dev.racetrace.agent.internal.Log;
import dev.racetrace.agent.internal.Version;
import dev.racetrace.schema.SchemaNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The OTel resource of this node (docs/span-schema.md, "Resource"), in two forms: its attributes
 * as plain values, which the journal header carries from the start, and the SDK's {@link Resource},
 * built when the first span is. The journal alone builds no span in the recording process, and the
 * SDK's {@code Resource} class starts a JUL logger (with racetrace's capture of library logging in
 * front of it): 20-35 ms of CPU at every start that a journal-only recording does not need
 * (docs/performance.md).
 */
public final class NodeResource {
  /** The SDK's default resource ({@code Resource.getDefault()}), which racetrace's attributes extend. */
  static final String SDK_NAME = "telemetry.sdk.name";
  static final String SDK_LANGUAGE = "telemetry.sdk.language";
  static final String SDK_VERSION = "telemetry.sdk.version";
  static final String DEFAULT_SERVICE = "unknown_service:java";

  /** racetrace's own attributes, in the order they are put (String or Long values). */
  private final Map<String, Object> own;
  private Resource resource;

  public NodeResource(NodeIdentity node, AgentConfig config) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.putAll(node.resourceAttributes());
    a.put(SchemaNames.SERVICE, node.serviceName());
    a.put(SchemaNames.NODE, node.instanceId());
    a.put(SchemaNames.HOST, node.hostName());
    a.put(SchemaNames.PID, node.pid());
    a.put(SchemaNames.RUNTIME_NAME, System.getProperty("java.runtime.name", "java"));
    a.put(SchemaNames.RUNTIME_VERSION, System.getProperty("java.runtime.version", ""));
    a.put(SchemaNames.RACETRACE_VERSION, Version.get());
    a.put(SchemaNames.SCHEMA_VERSION, SchemaNames.VERSION);
    a.put(SchemaNames.INCLUDE, String.join(",", config.include()));
    if (!config.guards().rules.isEmpty()) {
      StringBuilder rules = new StringBuilder();
      for (Object r : config.guards().rules) {
        rules.append(rules.length() == 0 ? "" : ";").append(r);
      }
      a.put(SchemaNames.RULES, rules.toString());
    }
    this.own = a;
  }

  /**
   * The resource's attributes by key (String or Long values), as {@link #resource()} has them,
   * without loading the SDK's {@code Resource}: its defaults are written out here, with the SDK's
   * version read from the SDK's own {@code version.properties} (NodeResourceTest holds the two
   * forms equal).
   */
  public SortedMap<String, Object> attributes() {
    String sdkVersion = sdkVersion();
    if (sdkVersion == null) { // not where the SDK's jar keeps it: ask the SDK
      SortedMap<String, Object> fromSdk = new TreeMap<>();
      resource().getAttributes().forEach((k, v) -> fromSdk.put(k.getKey(), v));
      return fromSdk;
    }
    SortedMap<String, Object> all = new TreeMap<>();
    all.put(SchemaNames.SERVICE, DEFAULT_SERVICE);
    all.put(SDK_LANGUAGE, "java");
    all.put(SDK_NAME, "opentelemetry");
    all.put(SDK_VERSION, sdkVersion);
    all.putAll(own);
    return all;
  }

  /**
   * The SDK resource, built at the first call. The capture of the bundled libraries' JUL logging
   * is installed first: from here on the SDK is in use.
   */
  public synchronized Resource resource() {
    if (resource == null) {
      LibraryLogCapture.install(Log.get());
      AttributesBuilder a = Attributes.builder();
      own.forEach((k, v) -> {
        if (v instanceof Long) {
          a.put(AttributeKey.longKey(k), (Long) v);
        } else {
          a.put(AttributeKey.stringKey(k), (String) v);
        }
      });
      resource = Resource.getDefault().merge(Resource.create(a.build()));
    }
    return resource;
  }

  /** {@code sdk.version} of the SDK's {@code version.properties} (its common package), or null. */
  static String sdkVersion() {
    // a class literal loads the class without initializing it
    try (InputStream in = InstrumentationScopeInfo.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("sdk.version");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
