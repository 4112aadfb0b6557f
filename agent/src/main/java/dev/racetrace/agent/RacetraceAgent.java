package dev.racetrace.agent;

import dev.racetrace.agent.config.AgentConfig;
import dev.racetrace.agent.config.ClassChecker;
import dev.racetrace.agent.config.ConfigException;
import dev.racetrace.agent.config.ConfigLoader;
import dev.racetrace.agent.control.ControlArgs;
import dev.racetrace.agent.control.ControlRequests;
import dev.racetrace.agent.control.RacetraceControl;
import dev.racetrace.agent.internal.Log;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Properties;
import dev.racetrace.agent.internal.Redact;

/**
 * Entry point of {@code -javaagent:racetrace-agent.jar} and of the attach mechanism. It never
 * throws: a bad configuration or any start-up failure prints one line on stderr and leaves the
 * application running untouched.
 *
 * <p>{@code agentmain} with {@code command=...} arguments is a control request from the CLI
 * ({@code dump}, {@code detach}, {@code attach}): only {@code attach} may start recording.
 *
 * <p>This class must not touch agent-core types before {@link BootstrapJar#append} has run; the
 * wiring that uses them lives in {@link AgentInstaller}.
 */
public final class RacetraceAgent {

  private RacetraceAgent() {}

  public static void premain(String args, Instrumentation inst) {
    start(System.getProperties(), inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    if (ControlArgs.isControl(args)) {
      try {
        ControlRequests.handle(args, overrides -> attach(overrides, inst));
      } catch (Throwable t) {
        Log.get().warn("control", "a control command failed", t);
      }
      return;
    }
    start(System.getProperties(), inst, false);
  }

  /** {@code attach <pid> key=value...}: starts with these settings over the JVM's own. */
  private static String attach(Map<String, String> overrides, Instrumentation inst) {
    for (String k : overrides.keySet()) {
      if (k.startsWith("otel.")) { // the OTel SDK reads the JVM's own properties and environment only
        return "refused: " + Log.oneLine(k) + ": attach takes racetrace.* keys; OpenTelemetry settings come from "
            + "the JVM's own system properties and environment; nothing started";
      }
    }
    Properties props = new Properties();
    props.putAll(System.getProperties());
    overrides.forEach((k, v) -> props.setProperty(k.startsWith("racetrace.") ? k : "racetrace." + k, v));
    String line = start(props, inst, true);
    return line != null ? line : "failed: see the application's stderr";
  }

  /** @return the start line printed, or null if racetrace did not start */
  private static String start(Properties system, Instrumentation inst, boolean attached) {
    try {
      if (System.getProperty(RacetraceControl.MARKER) != null) { // e.g. two -javaagent flags
        Log.get().info("racetrace: racetrace is already running in this JVM; this copy does nothing");
        return null;
      }
      AgentConfig config;
      try {
        config = ConfigLoader.load(system, System.getenv());
      } catch (ConfigException e) {
        Log.get().info("racetrace: " + e.getMessage() + "; agent disabled");
        return attached ? "refused: " + Log.oneLine(e.getMessage()) + "; nothing started" : null;
      }
      Log.get().setDebug(config.debug());
      if (!config.enabled()) {
        Log.get().info("racetrace: racetrace.enabled=false; agent disabled");
        return null;
      }
      if (config.verifyClasses()) {
        try {
          new ClassChecker(ClassLoader.getSystemClassLoader()).check(config);
        } catch (ConfigException e) {
          Log.get().info("racetrace: " + e.getMessage() + "; agent disabled");
          return attached ? "refused: " + Log.oneLine(e.getMessage()) + "; nothing started" : null;
        }
      }
      BootstrapJar.append(inst);
      return AgentInstaller.install(config, inst, attached);
    } catch (Throwable t) {
      Log.get().info(Redact.line("racetrace: failed to start (" + t + "); agent disabled"));
      return null;
    }
  }
}
