package dev.racetrace.agent;

import dev.racetrace.agent.config.AgentConfig;
import dev.racetrace.agent.config.ClassChecker;
import dev.racetrace.agent.config.ConfigException;
import dev.racetrace.agent.config.ConfigLoader;
import dev.racetrace.agent.internal.Redact;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Entry point of {@code -javaagent:racetrace-agent.jar}. It never throws: a bad configuration or
 * any start-up failure prints one line on stderr and leaves the application running untouched.
 *
 * <p>This class must not touch agent-core types before {@link BootstrapJar#append} has run; the
 * wiring that uses them lives in {@link AgentInstaller}.
 */
public final class RacetraceAgent {
  /** Set by the first start, so a second -javaagent flag of the same jar starts nothing. */
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private RacetraceAgent() {}

  public static void premain(String args, Instrumentation inst) {
    start(inst);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(inst);
  }

  private static void start(Instrumentation inst) {
    if (!STARTED.compareAndSet(false, true)) {
      // a second -javaagent flag (or an attach into a JVM that already runs racetrace): one agent only
      System.err.println("racetrace: racetrace-agent.jar loaded a second time in this JVM (given twice?); "
          + "only the first one runs");
      return;
    }
    try {
      AgentConfig config;
      try {
        config = ConfigLoader.load();
      } catch (ConfigException e) {
        System.err.println("racetrace: " + e.getMessage() + "; agent disabled");
        return;
      }
      if (!config.enabled()) {
        System.err.println("racetrace: racetrace.enabled=false; agent disabled");
        return;
      }
      if (config.verifyClasses()) {
        try {
          new ClassChecker(ClassLoader.getSystemClassLoader()).check(config);
        } catch (ConfigException e) {
          System.err.println("racetrace: " + e.getMessage() + "; agent disabled");
          return;
        }
      }
      BootstrapJar.append(inst);
      AgentInstaller.install(config, inst);
    } catch (Throwable t) {
      System.err.println(Redact.line("racetrace: failed to start (" + t + "); agent disabled"));
    }
  }
}
