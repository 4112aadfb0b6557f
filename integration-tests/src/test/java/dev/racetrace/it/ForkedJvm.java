package dev.racetrace.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program of this module in a fresh JVM, with or without the racetrace agent. */
final class ForkedJvm {
  static final Path AGENT = Paths.get(System.getProperty("racetrace.agent.jar",
      "../agent/target/racetrace-agent.jar")).toAbsolutePath().normalize();
  static final String CLASSES = System.getProperty("racetrace.programs.classes", "target/classes");

  /** What a run printed and how it ended. */
  static final class Result {
    final int exitCode;
    final String stdout;
    final String stderr;
    final long millis;

    Result(int exitCode, String stdout, String stderr, long millis) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
      this.millis = millis;
    }

    /**
     * stderr without its empty lines. Nothing else is left out: the JVM's "Sharing is only supported
     * for boot loader classes" warning, printed when an agent appends to the boot class path, which
     * racetrace does not, counts as a line.
     */
    String nonEmptyStderr() {
      StringBuilder sb = new StringBuilder();
      for (String line : stderr.split("\n")) {
        if (!line.isEmpty()) {
          sb.append(line).append('\n');
        }
      }
      return sb.toString();
    }

    @Override
    public String toString() {
      return "exit=" + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  private String javaHome = System.getProperty("java.home");
  private boolean agent;
  private final List<String> jvmArgs = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private Path workDir;
  private final List<String> extraClasspath = new ArrayList<>();

  static ForkedJvm plain() {
    return new ForkedJvm();
  }

  static ForkedJvm withAgent() {
    ForkedJvm j = new ForkedJvm();
    j.agent = true;
    return j;
  }

  ForkedJvm javaHome(String home) {
    this.javaHome = home;
    return this;
  }

  ForkedJvm jvmArg(String... args) {
    jvmArgs.addAll(Arrays.asList(args));
    return this;
  }

  ForkedJvm env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Adds entries after the programs' classes on the forked class path. */
  ForkedJvm classpath(String... entries) {
    extraClasspath.addAll(Arrays.asList(entries));
    return this;
  }

  /** The jars of the test's own class path whose file name contains {@code fragment}. */
  static List<String> testJars(String fragment) {
    List<String> jars = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (Paths.get(e).getFileName().toString().contains(fragment)) {
        jars.add(e);
      }
    }
    return jars;
  }

  ForkedJvm workDir(Path dir) {
    this.workDir = dir;
    return this;
  }

  Result run(Class<?> main, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(javaHome, "bin", "java").toString());
    if (agent) {
      cmd.add("-javaagent:" + AGENT);
    }
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(extraClasspath.isEmpty() ? CLASSES
        : CLASSES + java.io.File.pathSeparator + String.join(java.io.File.pathSeparator, extraClasspath));
    cmd.add(main.getName());
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    pb.environment().keySet().removeIf(k -> k.startsWith("RACETRACE_") || k.startsWith("OTEL_"));
    pb.environment().putAll(env);
    Path out = Files.createTempFile("forked-out", ".txt");
    Path err = Files.createTempFile("forked-err", ".txt");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("forked JVM did not finish in 120 s: " + cmd);
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8), millis);
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** The JDK 25 home ({@link #jdk25}); when it is not installed, skips the calling test. */
  static String jdk25OrSkip() {
    String home = jdk25();
    assumeTrue(home != null, "JDK 25 not installed at racetrace.jdk25.home; skipping the JDK 25 leg");
    return home;
  }

  /** The JDK 25 home if installed here (property racetrace.jdk25.home), else null. */
  static String jdk25() {
    String home = System.getProperty("racetrace.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64");
    return Files.isExecutable(Paths.get(home, "bin", "java")) ? home : null;
  }
}
