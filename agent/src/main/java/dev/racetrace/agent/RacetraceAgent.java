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
import java.net.URL;
import java.net.URLClassLoader;
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
 * <p>This class must not touch agent-core types before {@link BootstrapJar#install} has run; the
 * wiring that uses them lives in {@link AgentInstaller}.
 */
public final class RacetraceAgent {

  /** Name of the class loader that runs a racetrace started by {@code attach}. */
  static final String ATTACH_LOADER = "racetrace-attach";

  /** In the copy loaded by the application's loader: the loader of the attached racetrace, once made. */
  private static ClassLoader attachLoader;

  private RacetraceAgent() {}

  public static void premain(String args, Instrumentation inst) {
    start(System.getProperties(), inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    if (ControlArgs.isControl(args)) {
      try {
        ClassLoader own = ownLoaderFor(args);
        if (own != null) {
          Class.forName(RacetraceAgent.class.getName(), true, own)
              .getMethod("agentmain", String.class, Instrumentation.class).invoke(null, args, inst);
          return;
        }
        ControlRequests.handle(args, overrides -> attach(overrides, inst));
      } catch (Throwable t) {
        Log.get().warn("control", "a control command failed", t);
      }
      return;
    }
    start(System.getProperties(), inst, false);
  }

  /**
   * The loader an attach (and every later command to what it started) runs in, or null to run here.
   * The JVM loads this class through the application's class loader, and an application that bundles
   * racetrace's API may have loaded its own copies of agent-core classes there ({@code RaceTrace},
   * {@code Recorder}) before the attach. Code of this loader would bind to those copies, which are
   * not the ones on the bootstrap class path that the hooks record into. A loader over this jar
   * whose parent is the platform loader sees agent-core only on the bootstrap class path.
   */
  private static synchronized ClassLoader ownLoaderFor(String args) throws Exception {
    if (ATTACH_LOADER.equals(RacetraceAgent.class.getClassLoader().getName())) {
      return null; // already in it
    }
    if (attachLoader == null && "attach".equals(ControlArgs.decode(args).get(ControlArgs.COMMAND))
        && System.getProperty(RacetraceControl.MARKER) == null) {
      URL jar = RacetraceAgent.class.getProtectionDomain().getCodeSource().getLocation();
      attachLoader = new URLClassLoader(ATTACH_LOADER, new URL[] {jar}, ClassLoader.getPlatformClassLoader());
    }
    return attachLoader;
  }

  /** {@code attach <pid> key=value...}: starts with these settings over the JVM's own. */
  private static String attach(Map<String, String> overrides, Instrumentation inst) {
    for (String k : overrides.keySet()) {
      if (k.startsWith("otel.")) { // the OTel SDK reads the JVM's own properties and environment only
        return "refused: " + Log.oneLine(k) + ": attach takes racetrace.* keys; OpenTelemetry settings come from "
            + "the JVM's own system properties and environment, or from a properties file given as config=<file>; "
            + "nothing started";
      }
    }
    Properties props = new Properties();
    props.putAll(System.getProperties());
    overrides.forEach((k, v) -> props.setProperty(k.startsWith("racetrace.") ? k : "racetrace." + k, v));
    String line = start(props, inst, true);
    return line != null ? line + ownApiNote(inst) : "failed: see the application's stderr";
  }

  /**
   * An application that loaded its bundled copy of {@code RaceTrace} before the attach keeps calling
   * that copy, which does not record: say so rather than let its marks go missing silently.
   */
  private static String ownApiNote(Instrumentation inst) {
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (c.getName().equals("dev.racetrace.api.RaceTrace") && c.getClassLoader() != null) {
        return "; note: the application loaded racetrace's API (RaceTrace) before this attach, so its own "
            + "RaceTrace calls do not record until it is started with -javaagent";
      }
    }
    return "";
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
      BootstrapJar.install(inst);
      return AgentInstaller.install(config, inst, attached);
    } catch (Throwable t) {
      Log.get().info(Redact.line("racetrace: failed to start (" + t + "); agent disabled"));
      return null;
    }
  }
}
