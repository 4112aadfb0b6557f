package dev.racetrace.agent.export.sink;

import dev.racetrace.agent.config.AgentConfig;
import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.agent.internal.Version;
import dev.racetrace.schema.SchemaNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Map;

/** The OTel resource of this node (docs/span-schema.md, "Resource"). */
public final class ResourceFactory {
  private ResourceFactory() {}

  public static Resource create(NodeIdentity node, AgentConfig config) {
    AttributesBuilder a = Attributes.builder();
    for (Map.Entry<String, String> e : node.resourceAttributes().entrySet()) {
      a.put(AttributeKey.stringKey(e.getKey()), e.getValue());
    }
    a.put(AttributeKey.stringKey(SchemaNames.SERVICE), node.serviceName());
    a.put(AttributeKey.stringKey(SchemaNames.NODE), node.instanceId());
    a.put(AttributeKey.stringKey(SchemaNames.HOST), node.hostName());
    a.put(AttributeKey.longKey(SchemaNames.PID), node.pid());
    a.put(AttributeKey.stringKey(SchemaNames.RUNTIME_NAME), System.getProperty("java.runtime.name", "java"));
    a.put(AttributeKey.stringKey(SchemaNames.RUNTIME_VERSION), System.getProperty("java.runtime.version", ""));
    a.put(SpanSchema.RACETRACE_VERSION, Version.get());
    a.put(SpanSchema.SCHEMA_VERSION, SpanSchema.VERSION);
    a.put(SpanSchema.INCLUDE, String.join(",", config.include()));
    if (!config.guards().rules.isEmpty()) {
      StringBuilder rules = new StringBuilder();
      for (Object r : config.guards().rules) {
        rules.append(rules.length() == 0 ? "" : ";").append(r);
      }
      a.put(SpanSchema.RULES, rules.toString());
    }
    return Resource.getDefault().merge(Resource.create(a.build()));
  }
}
