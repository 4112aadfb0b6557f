package dev.racetrace.agent.export.sink;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Who this JVM is in the exported data: {@code service.name} and {@code service.instance.id} (the
 * node), read with OpenTelemetry's conventions (system properties over environment over the
 * racetrace config file), with racetrace's defaults: the main class, and host:pid.
 */
public final class NodeIdentity {
  private final String serviceName;
  private final String instanceId;
  private final String hostName;
  private final long pid;
  private final Map<String, String> resourceAttributes;

  private NodeIdentity(String serviceName, String instanceId, String hostName, long pid,
      Map<String, String> resourceAttributes) {
    this.serviceName = serviceName;
    this.instanceId = instanceId;
    this.hostName = hostName;
    this.pid = pid;
    this.resourceAttributes = resourceAttributes;
  }

  /** Resolves the identity of this JVM. */
  public static NodeIdentity resolve(Properties system, Map<String, String> env,
      Map<String, String> otelFromFile) {
    Map<String, String> attrs = new LinkedHashMap<>();
    parseInto(otelFromFile.get("otel.resource.attributes"), attrs);
    parseInto(env.get("OTEL_RESOURCE_ATTRIBUTES"), attrs);
    parseInto(system.getProperty("otel.resource.attributes"), attrs);

    String service = firstNonBlank(system.getProperty("otel.service.name"), env.get("OTEL_SERVICE_NAME"),
        otelFromFile.get("otel.service.name"), attrs.get("service.name"),
        mainName(system.getProperty("sun.java.command")));
    long pid = processId();
    String host = hostName(env);
    String instance = firstNonBlank(attrs.get("service.instance.id"), host + ":" + pid);
    attrs.remove("service.name");
    attrs.remove("service.instance.id");
    return new NodeIdentity(service, instance, host, pid, attrs);
  }

  /**
   * This JVM's process id, from {@code /proc/self} where there is one: {@code ProcessHandle.current()}
   * initializes the JDK's process reaper, whose thread pool class racetrace would then have to
   * retransform at start (about 20 ms) in a JVM that may never use a pool.
   */
  static long processId() {
    try {
      return Long.parseLong(Files.readSymbolicLink(Paths.get("/proc/self")).toString());
    } catch (Exception e) { // not Linux, or /proc not mounted
      return ProcessHandle.current().pid();
    }
  }

  public String serviceName() {
    return serviceName;
  }

  /** The node id ({@code service.instance.id}). */
  public String instanceId() {
    return instanceId;
  }

  public String hostName() {
    return hostName;
  }

  public long pid() {
    return pid;
  }

  /** Further attributes from {@code OTEL_RESOURCE_ATTRIBUTES}. */
  public Map<String, String> resourceAttributes() {
    return resourceAttributes;
  }

  /** File name for this process's span file: {@code <service>-<instance>-<pid>.jsonl}. */
  public String fileName() {
    return sanitize(serviceName) + "-" + sanitize(instanceId) + "-" + pid + ".jsonl";
  }

  static String sanitize(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  static String mainName(String command) {
    if (command == null || command.isBlank()) {
      return "java";
    }
    String first = command.trim().split("\\s+")[0];
    if (first.endsWith(".jar")) {
      String file = Paths.get(first).getFileName().toString();
      return file.substring(0, file.length() - 4);
    }
    int dot = first.lastIndexOf('.');
    return dot >= 0 ? first.substring(dot + 1) : first;
  }

  private static String hostName(Map<String, String> env) {
    String h = env.get("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h.trim();
    }
    try {
      String fromFile = Files.readString(Paths.get("/etc/hostname"), StandardCharsets.UTF_8).trim();
      if (!fromFile.isEmpty()) {
        return fromFile;
      }
    } catch (IOException | RuntimeException e) {
      // no /etc/hostname (not Linux): fall through; no DNS lookup at start-up
    }
    return "localhost";
  }

  private static void parseInto(String spec, Map<String, String> into) {
    if (spec == null || spec.isBlank()) {
      return;
    }
    for (String pair : spec.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String k = pair.substring(0, eq).trim();
      String v = pair.substring(eq + 1).trim();
      try {
        v = URLDecoder.decode(v, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        // keep it as written
      }
      if (!k.isEmpty()) {
        into.put(k, v);
      }
    }
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return "java";
  }
}
