package dev.racetrace.analyzer.input;

import dev.racetrace.schema.SchemaNames;

/** The resource attributes that identify a node, gathered while a reader streams. */
final class ResourceInfo {
  private String instanceId;
  private String host;
  private String pid;
  private String service;
  private String rules;

  void put(String key, String value) {
    switch (key) {
      case SchemaNames.NODE: instanceId = value; break;
      case SchemaNames.HOST: host = value; break;
      case SchemaNames.PID: pid = value; break;
      case SchemaNames.SERVICE: service = value; break;
      case SchemaNames.RULES: rules = value; break;
      default: break;
    }
  }

  void service(String value) {
    if (service == null) {
      service = value;
    }
  }

  String service() {
    return service;
  }

  String rules() {
    return rules;
  }

  /**
   * The node id: {@code service.instance.id}; else {@code host.name:process.pid} (the agent's
   * own default); else {@code service.name}; else {@code fallback}.
   */
  String node(String fallback) {
    if (instanceId != null && !instanceId.isEmpty()) {
      return instanceId;
    }
    if (host != null && pid != null) {
      return host + ":" + pid;
    }
    if (service != null && !service.isEmpty()) {
      return service;
    }
    return fallback;
  }
}
