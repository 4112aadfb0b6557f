package dev.racetrace.sample;

import dev.racetrace.api.RaceTrace;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Starts node JVMs: the same {@code java} as this JVM, this app's own class path, a few JVM options
 * suited to several JVMs on two cores, and, when an agent jar is given, {@code -javaagent} plus
 * {@link AgentConfig}. The environment is this process's minus anything that would change what the
 * agent or the JVM does behind the demo's back ({@code OTEL_*}, {@code RACETRACE_*},
 * {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}, {@code _JAVA_OPTIONS}), plus the node's
 * {@link AgentConfig#environment}.
 */
public final class NodeLauncher {
  /** JVM options of every node: small heap, serial GC, C1 only (fast start, little CPU). */
  public static final List<String> JVM_OPTIONS =
      List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  /** The class that runs the {@code node} command. */
  public static final String MAIN_CLASS = Main.class.getName();

  private final Path java;
  private final String classPath;
  private final Optional<Path> agentJar;
  private final Path spansDir;
  private final List<String> extraAgentProperties = new ArrayList<>();

  /**
   * @param agentJar run the nodes with this agent, or without when empty
   * @param spansDir where the agent writes spans ({@code racetrace.out})
   */
  public NodeLauncher(Optional<Path> agentJar, Path spansDir) {
    this(javaExecutable(), ownClassPath(), agentJar, spansDir);
  }

  NodeLauncher(Path java, String classPath, Optional<Path> agentJar, Path spansDir) {
    this.java = java;
    this.classPath = classPath;
    this.agentJar = agentJar;
    this.spansDir = spansDir;
  }

  /**
   * The nodes write OTLP JSON span files instead of the binary journal, the agent's default
   * ({@code racetrace.exporter=otlp-json}).
   */
  public NodeLauncher recordToOtlpJson() {
    extraAgentProperties.add("-Dracetrace.exporter=otlp-json");
    return this;
  }

  /** The nodes record a binary journal ({@code racetrace.exporter=journal}, the agent's default). */
  public NodeLauncher recordToJournal() {
    extraAgentProperties.add("-Dracetrace.exporter=journal");
    return this;
  }

  /**
   * Also sends the nodes' spans to Zipkin at {@code spansUrl} (e.g.
   * {@code http://127.0.0.1:9411/api/v2/spans}), keeping the files for the analyzer.
   */
  public NodeLauncher exportToZipkin(String spansUrl) {
    extraAgentProperties.add("-Dracetrace.exporter=both");
    extraAgentProperties.add("-Dotel.traces.exporter=zipkin");
    extraAgentProperties.add("-Dotel.exporter.zipkin.endpoint=" + spansUrl);
    return this;
  }

  /** The {@code java} executable of this JVM. */
  public static Path javaExecutable() {
    boolean windows = System.getProperty("os.name", "").toLowerCase().contains("win");
    return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
  }

  /**
   * The nodes' class path: only where this app, the racetrace API and the app's libraries (picocli,
   * Jackson) were loaded from (the shaded jar, or {@code target/classes} plus their jars in a
   * build), so a node started from a test JVM does not inherit that JVM's whole class path. Falls
   * back to {@code java.class.path}.
   */
  static String ownClassPath() {
    List<String> entries = new ArrayList<>();
    for (Class<?> c : List.of(Main.class, RaceTrace.class, picocli.CommandLine.class,
        com.fasterxml.jackson.databind.ObjectMapper.class,
        com.fasterxml.jackson.core.JsonParser.class,
        com.fasterxml.jackson.annotation.JsonPropertyOrder.class)) {
      Optional<Path> p = codeSource(c);
      if (p.isEmpty()) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> !e.isEmpty())
            .map(e -> Path.of(e).toAbsolutePath().toString())
            .collect(Collectors.joining(File.pathSeparator));
      }
      String entry = p.get().toAbsolutePath().toString();
      if (!entries.contains(entry)) {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static Optional<Path> codeSource(Class<?> c) {
    try {
      var src = c.getProtectionDomain().getCodeSource();
      return src == null || src.getLocation() == null ? Optional.empty()
          : Optional.of(Path.of(src.getLocation().toURI()));
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether the nodes run with the agent. */
  public boolean withAgent() {
    return agentJar.isPresent();
  }

  /** The full command line of node {@code nodeId}. */
  public List<String> command(List<String> nodeArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(JVM_OPTIONS);
    agentJar.ifPresent(jar -> {
      cmd.add("-javaagent:" + jar);
      cmd.addAll(AgentConfig.systemProperties(spansDir));
      cmd.addAll(extraAgentProperties);
    });
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(MAIN_CLASS);
    cmd.add("node");
    cmd.addAll(nodeArgs);
    return cmd;
  }

  /** Names of inherited environment variables a node does not get. */
  public static List<String> droppedVariables(Map<String, String> env) {
    return new ArrayList<>(new TreeSet<>(env.keySet().stream().filter(NodeLauncher::dropped)
        .collect(Collectors.toList())));
  }

  private static boolean dropped(String name) {
    return name.startsWith("OTEL_") || name.startsWith("RACETRACE_")
        || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS")
        || name.equals("_JAVA_OPTIONS");
  }

  /**
   * Starts node {@code nodeId}.
   *
   * @param nodeArgs the arguments of the {@code node} command
   * @param console where its prefixed output goes
   */
  public NodeProcess launch(String nodeId, List<String> nodeArgs, PrintStream console)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(nodeArgs)).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(NodeLauncher::dropped);
    env.putAll(AgentConfig.environment(nodeId));
    return NodeProcess.follow(nodeId, pb.start(), console);
  }
}
