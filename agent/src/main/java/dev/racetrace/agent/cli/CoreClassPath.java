package dev.racetrace.agent.cli;

import dev.racetrace.agent.internal.AgentCoreJar;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Commands that build spans from journals ({@code export}, {@code analyze} of {@code *.rtj}) need
 * agent-core, which travels inside the agent jar as a nested jar for the bootstrap class path. From
 * {@code java -jar}, they run in a class loader over the agent jar and that nested jar, extracted to
 * a temporary file.
 */
final class CoreClassPath {
  private CoreClassPath() {}

  /** Whether agent-core is visible here already (tests, an IDE, the agent in a JVM). */
  static boolean visible() {
    try {
      Class.forName(AgentCoreJar.PROBE, false, CoreClassPath.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Runs {@link Main#run} with {@code args} in a loader that sees agent-core. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Path core = null;
    try {
      core = AgentCoreJar.extract("racetrace-core-");
      URL self = CoreClassPath.class.getProtectionDomain().getCodeSource().getLocation();
      try (URLClassLoader loader = new URLClassLoader(new URL[] {self, core.toUri().toURL()},
          ClassLoader.getPlatformClassLoader())) {
        Method run = loader.loadClass(Main.class.getName())
            .getDeclaredMethod("run", String[].class, PrintStream.class, PrintStream.class);
        run.setAccessible(true);
        return (Integer) run.invoke(null, args, out, err);
      }
    } catch (InvocationTargetException e) {
      err.println("racetrace: " + args[0] + " failed: " + e.getCause());
      return 1;
    } catch (IOException | ReflectiveOperationException e) {
      err.println("racetrace: " + args[0] + " failed: " + e);
      return 1;
    } finally {
      if (core != null) {
        core.toFile().delete();
      }
    }
  }
}
