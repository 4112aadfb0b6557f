package dev.racetrace.agent;

import dev.racetrace.agent.config.AgentConfig;
import dev.racetrace.agent.config.ClassChecker;
import dev.racetrace.agent.config.ConfigException;
import dev.racetrace.agent.config.ConfigLoader;
import dev.racetrace.agent.internal.Log;
import java.lang.instrument.Instrumentation;

/**
 * Entry point of {@code -javaagent:racetrace-agent.jar}. It never throws: a bad configuration or
 * any start-up failure prints one line on stderr and leaves the application running untouched.
 *
 * <p>This class must not touch agent-core types before {@link BootstrapJar#append} has run; the
 * wiring that uses them lives in {@link AgentInstaller}.
 */
public final class RacetraceAgent {
  private RacetraceAgent() {}

  public static void premain(String args, Instrumentation inst) {
    start(inst);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(inst);
  }

  private static void start(Instrumentation inst) {
    try {
      AgentConfig config;
      try {
        config = ConfigLoader.load();
      } catch (ConfigException e) {
        Log.get().info("racetrace: " + e.getMessage() + "; agent disabled");
        return;
      }
      Log.get().setDebug(config.debug());
      if (!config.enabled()) {
        Log.get().info("racetrace: racetrace.enabled=false; agent disabled");
        return;
      }
      if (config.verifyClasses()) {
        try {
          new ClassChecker(ClassLoader.getSystemClassLoader()).check(config);
        } catch (ConfigException e) {
          Log.get().info("racetrace: " + e.getMessage() + "; agent disabled");
          return;
        }
      }
      BootstrapJar.append(inst);
      AgentInstaller.install(config, inst);
    } catch (Throwable t) {
      Log.get().info("racetrace: failed to start (" + t + "); agent disabled");
    }
  }
}
