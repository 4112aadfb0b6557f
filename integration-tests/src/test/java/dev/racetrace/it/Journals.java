package dev.racetrace.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Spans built from the journals the agent records by default: the packaged agent's own
 * {@code export <dir> --otlp-json DIR} (the replay the analyzer and {@code export} use), run in
 * this JVM in a class loader over the agent jar and its nested agent-core, as {@code java -jar}
 * runs it.
 */
final class Journals {
  private static final String CORE = "dev/racetrace/agent/racetrace-bootstrap.jar";
  /** Where exported spans go: this module's build directory (the tests run in the module's). */
  private static final Path SPANS = Path.of("target", "journal-spans").toAbsolutePath();
  private static Method run;

  private Journals() {}

  /** Whether {@code dir} holds {@code *.rtj} journal files (directly). */
  static boolean any(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".rtj"));
    }
  }

  /**
   * Exports the journal {@code dir}, or every journal in directory {@code dir}, to OTLP JSON lines files in a new temporary directory,
   * one per journal, and returns that directory. A journal still being written is read up to its
   * last complete chunk. The directory is under {@code target/} ({@link #SPANS}), not the machine's
   * temporary directory: a build leaves nothing behind in /tmp, and the spans of a failed test
   * are there to read.
   */
  static Path toOtlpJson(Path dir) throws IOException {
    Path target = Files.createTempDirectory(Files.createDirectories(SPANS), "spans-");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = (Integer) main().invoke(null, new String[] {"export", dir.toString(), "--otlp-json",
          target.toString()}, o, e);
    } catch (ReflectiveOperationException e) {
      throw new IOException("export of the journals in " + dir + " failed", e);
    }
    if (exit != 0) {
      throw new IOException("export of the journals in " + dir + " exited " + exit + ": "
          + err.toString(StandardCharsets.UTF_8));
    }
    return target;
  }

  /**
   * Runs the packaged agent's command line ({@code analyze ...}, {@code export ...}) in this JVM.
   *
   * @return what it printed, stdout then stderr
   */
  static String run(String... args) throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    try (PrintStream p = new PrintStream(text, true, StandardCharsets.UTF_8)) {
      main().invoke(null, args, p, p);
    } catch (ReflectiveOperationException e) {
      throw new IOException(String.join(" ", args) + " failed", e);
    }
    return text.toString(StandardCharsets.UTF_8);
  }

  /** The agent jar's {@code Main.run}, loaded once with agent-core next to it. */
  private static synchronized Method main() throws IOException, ReflectiveOperationException {
    if (run == null) {
      Path core = Files.createTempFile("racetrace-core-", ".jar");
      core.toFile().deleteOnExit();
      try (URLClassLoader jar = new URLClassLoader(new URL[] {ForkedJvm.AGENT.toUri().toURL()}, null);
          InputStream in = jar.getResourceAsStream(CORE)) {
        if (in == null) {
          throw new IOException(CORE + " is missing from " + ForkedJvm.AGENT);
        }
        Files.copy(in, core, StandardCopyOption.REPLACE_EXISTING);
      }
      URLClassLoader loader = new URLClassLoader(new URL[] {ForkedJvm.AGENT.toUri().toURL(),
          core.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      Method m = loader.loadClass("dev.racetrace.agent.cli.Main")
          .getDeclaredMethod("run", String[].class, PrintStream.class, PrintStream.class);
      m.setAccessible(true);
      run = m;
    }
    return run;
  }
}
