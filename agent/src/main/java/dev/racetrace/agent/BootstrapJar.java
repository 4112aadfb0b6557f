package dev.racetrace.agent;

import dev.racetrace.agent.internal.AgentCoreJar;
import dev.racetrace.agent.internal.Log;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

/**
 * Puts agent-core (the hooks, the recorder and the public API) in the bootstrap class loader, so
 * instrumented application classes in any class loader, and the application's own calls to
 * {@code RaceTrace}, all reach the one recorder. Its classes are defined there one by one
 * ({@link CoreClassDefinition}), which leaves the boot class path, and so the JVM's class-data
 * sharing and its stderr, as they were. Where that cannot be done, agent-core's jar, which travels
 * inside the agent jar, is appended to the boot class path instead (and the JVM prints its
 * "Sharing is only supported for boot loader classes" warning): it is extracted to a temporary
 * file, deleted as soon as the JVM has it open (HotSpot opens a jar appended while it runs at once
 * and keeps it open, so on Linux and macOS the file can go right away, and a JVM killed with SIGKILL
 * leaves nothing behind in the temporary directory). Where an open file cannot be deleted (Windows),
 * or on another VM, it goes when the JVM exits normally.
 */
final class BootstrapJar {
  private BootstrapJar() {}

  /**
   * Makes agent-core's classes the bootstrap loader's: defined there, or else from the appended jar.
   *
   * @throws IOException if neither could be done (the fallback's temporary file cannot be written)
   */
  static void install(Instrumentation inst) throws IOException {
    if (onBootLoader()) {
      return; // an earlier attach to this JVM put it there
    }
    try {
      CoreClassDefinition.defineAll(inst);
      if (onBootLoader()) {
        return;
      }
    } catch (Exception | LinkageError e) {
      if (Log.get().debug()) {
        Log.get().info("racetrace: defining agent-core's classes in the bootstrap class loader failed (" + e
            + "); appending its jar to the boot class path instead");
      }
    }
    append(inst);
  }

  private static boolean onBootLoader() {
    try {
      Class.forName(AgentCoreJar.PROBE, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** The fallback: agent-core's jar, extracted to a temporary file, appended to the boot class path. */
  static void append(Instrumentation inst) throws IOException {
    Path tmp = AgentCoreJar.extract("racetrace-bootstrap-");
    try {
      try (JarFile jar = new JarFile(tmp.toFile())) { // the JVM opens the path itself; this handle only names it
        inst.appendToBootstrapClassLoaderSearch(jar);
      }
      Class.forName(AgentCoreJar.PROBE, false, null); // to be sure the JVM reads the jar
    } catch (ClassNotFoundException e) {
      throw new IOException("agent-core not found on the bootstrap class path after appending " + tmp, e);
    } finally {
      deleteNowOrAtExit(tmp, System.getProperty("java.vm.name", ""));
    }
  }

  /**
   * Deletes the extracted jar now on HotSpot, whose boot class path keeps the jar it opened open for
   * good; another VM might open it again by name for a later class, so there it goes at exit.
   */
  static void deleteNowOrAtExit(Path tmp, String vmName) {
    if (vmName.contains("HotSpot") || vmName.contains("OpenJDK")) {
      try {
        Files.deleteIfExists(tmp);
        return;
      } catch (IOException inUse) {
        // Windows: an open file cannot be deleted
      }
    }
    tmp.toFile().deleteOnExit();
  }
}
