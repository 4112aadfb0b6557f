package dev.racetrace.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * Puts agent-core (the hooks, the recorder and the public API) on the bootstrap class path, so
 * instrumented application classes in any class loader, and the application's own calls to
 * {@code RaceTrace}, all reach the one recorder. agent-core travels inside the agent jar as a nested
 * jar and is extracted to a temporary file.
 */
final class BootstrapJar {
  static final String RESOURCE = "/dev/racetrace/agent/racetrace-bootstrap.jar";

  private BootstrapJar() {}

  static void append(Instrumentation inst) throws IOException {
    Path tmp = Files.createTempFile("racetrace-bootstrap-", ".jar");
    tmp.toFile().deleteOnExit();
    try (InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("resource " + RESOURCE + " missing from the agent jar");
      }
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(tmp.toFile()));
  }
}
