package dev.racetrace.agent.cli;

import dev.racetrace.agent.config.ConfigKey;
import dev.racetrace.agent.internal.Version;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar racetrace-agent.jar [--version | --help | analyze | export | dump | attach | detach | list ...]}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      printHelp(out);
      return args.length == 0 ? 1 : 0;
    }
    if ((args[0].equals("export") || args[0].equals("analyze")) && !CoreClassPath.visible()) {
      return CoreClassPath.run(args, out, err); // journals are replayed with agent-core's classes
    }
    switch (args[0]) {
      case "--version":
      case "version":
        out.println("racetrace " + Version.get());
        return 0;
      case "export":
        return Export.run(Arrays.copyOfRange(args, 1, args.length), out, err);
      case "analyze":
        return Analyze.run(Arrays.copyOfRange(args, 1, args.length), out, err);
      case "dump":
      case "detach":
        return AgentCommand.withToken(args[0], Arrays.copyOfRange(args, 1, args.length), out, err);
      case "attach":
        return AgentCommand.attach(Arrays.copyOfRange(args, 1, args.length), out, err);
      case "list":
        return AgentCommand.list(out, err);
      default:
        err.println("racetrace: unknown command '" + args[0] + "' (try --help)");
        return 1;
    }
  }

  static void printHelp(PrintStream out) {
    out.println("racetrace " + Version.get() + " - makes ordering races in Java services visible");
    out.println();
    out.println("Attach:   java -javaagent:racetrace-agent.jar -Dracetrace.include=com.acme ... -jar app.jar");
    out.println("Analyze:  java -jar racetrace-agent.jar analyze <span files or dirs> [options]"
        + "  (analyze --help for options)");
    out.println("Export:   java -jar racetrace-agent.jar export <journal files or dirs> --otlp-json DIR | --otlp [endpoint]"
        + "  (spans from journals, the default recording)");
    out.println("Dump:     java -jar racetrace-agent.jar dump <pid> --token <token>"
        + "  (flight-recorder mode: write the flight recording now)");
    out.println("Running:  java -jar racetrace-agent.jar attach <pid> include=com.acme [key=value...]"
        + "  (start recording in a running JVM)");
    out.println("          java -jar racetrace-agent.jar detach <pid> --token <token>"
        + "  (restore the original classes, stop recording)");
    out.println("          java -jar racetrace-agent.jar list  (JVMs you can attach to, and where racetrace runs)");
    out.println("Version:  java -jar racetrace-agent.jar --version");
    out.println();
    out.println("Configuration (-Dkey=value, env RACETRACE_KEY, or a file named by racetrace.config):");
    for (ConfigKey k : ConfigKey.values()) {
      out.printf("  %-28s %s%n", k.key(), k.description());
      String limits = k.bound().describe();
      out.printf("  %-28s default: %s; %s%s%n", "", k.defaultValue().isEmpty() ? "(none)" : k.defaultValue(),
          k.type().expected(), limits.isEmpty() ? "" : "; limits: " + limits);
    }
    out.println();
    out.println("OTLP export uses the standard OpenTelemetry settings (OTEL_EXPORTER_OTLP_ENDPOINT, "
        + "otel.exporter.otlp.*, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES).");
  }
}
