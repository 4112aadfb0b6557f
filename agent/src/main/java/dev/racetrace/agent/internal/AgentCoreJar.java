package dev.racetrace.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * agent-core (the hooks, the recorder, the public API) travels inside the agent jar as a nested
 * jar. Both the agent's start (for the bootstrap class path) and the {@code export}/{@code analyze}
 * commands run from {@code java -jar} (for a class loader) extract it to a temporary file; this is
 * the one place that knows where it is and how it is copied out.
 */
public final class AgentCoreJar {
  /** The nested jar's path inside the agent jar. */
  public static final String RESOURCE = "/dev/racetrace/agent/racetrace-bootstrap.jar";
  /** A class of agent-core, to ask whether it is visible to a loader. */
  public static final String PROBE = "dev.racetrace.core.site.CallSite";

  private AgentCoreJar() {}

  /**
   * Copies the nested jar to a new owner-only file in java.io.tmpdir named {@code prefix...jar}; the
   * caller deletes it. A failure to create the file names java.io.tmpdir and how to fix it.
   *
   * @throws IOException if the file cannot be created or written, or the jar lacks the resource
   */
  public static Path extract(String prefix) throws IOException {
    Path tmp;
    try {
      tmp = RandomBytes.tempFile(prefix, ".jar"); // as createTempFile, without the security providers' start
    } catch (IOException e) {
      throw new IOException("cannot write agent-core's jar to java.io.tmpdir="
          + System.getProperty("java.io.tmpdir") + " (" + e + "); set -Djava.io.tmpdir to a writable directory", e);
    }
    try (InputStream in = AgentCoreJar.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("resource " + RESOURCE + " missing from the agent jar");
      }
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }
}
