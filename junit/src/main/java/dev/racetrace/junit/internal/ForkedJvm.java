package dev.racetrace.junit.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the fork: this JVM's {@code java}, the test class path, {@code -javaagent} with the
 * racetrace configuration as system properties, and {@link ForkMain}. Its output is copied, line
 * by line, to this JVM's {@code System.out} (so Surefire files it with the test) and to
 * {@code fork.log} in the work directory.
 */
public final class ForkedJvm {
  /** System property: seconds a fork may run before it is killed (default {@value #DEFAULT_TIMEOUT_SECONDS}). */
  public static final String TIMEOUT_PROPERTY = "racetrace.junit.timeout";
  static final long DEFAULT_TIMEOUT_SECONDS = 900;
  private static final int TAIL_LINES = 30;

  /**
   * How the fork ended.
   *
   * @param exitCode its exit code (-1 when killed on timeout)
   * @param timedOut whether it was killed on timeout
   * @param tail its last lines of output
   * @param agentLines the agent's own lines ({@code racetrace: ...}: errors, "agent disabled")
   */
  public record Exit(int exitCode, boolean timedOut, List<String> tail, List<String> agentLines) {}

  private ForkedJvm() {}

  /** The command line of a fork (visible for testing). */
  public static List<String> command(Path agentJar, List<String> classPath, ForkConfig config,
      String uniqueId, Path resultFile) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-javaagent:" + agentJar);
    cmd.addAll(config.jvmArgs());
    for (Map.Entry<String, String> e : config.properties().entrySet()) {
      cmd.add("-D" + e.getKey() + "=" + e.getValue());
    }
    cmd.add("-D" + ForkProtocol.FORK + "=" + uniqueId);
    cmd.add("-cp");
    cmd.add(String.join(java.io.File.pathSeparator, classPath));
    cmd.add(ForkMain.class.getName());
    cmd.add(uniqueId);
    cmd.add(resultFile.toString());
    return cmd;
  }

  /** Runs {@code command} to its end (or the timeout) in {@code workDir}. */
  public static Exit run(List<String> command, Path workDir, PrintStream console)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    // The annotation is the whole racetrace configuration of the fork.
    pb.environment().keySet().removeIf(k -> k.startsWith("RACETRACE_"));
    Process p = pb.start();
    p.getOutputStream().close();
    Deque<String> tail = new ArrayDeque<>();
    List<String> agentLines = new ArrayList<>();
    Thread pump = new Thread(() -> copy(p, workDir.resolve("fork.log"), console, tail, agentLines),
        "racetrace-fork-output");
    pump.setDaemon(true);
    pump.start();
    long timeout = Long.getLong(TIMEOUT_PROPERTY, DEFAULT_TIMEOUT_SECONDS);
    boolean done;
    try {
      done = p.waitFor(timeout, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      kill(p);
      throw e;
    }
    if (!done) {
      kill(p);
    }
    pump.join(TimeUnit.SECONDS.toMillis(10));
    synchronized (tail) {
      return new Exit(done ? p.exitValue() : -1, !done, new ArrayList<>(tail), new ArrayList<>(agentLines));
    }
  }

  private static void kill(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  private static void copy(Process p, Path log, PrintStream console, Deque<String> tail, List<String> agentLines) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        console.println("[racetrace fork] " + line);
        w.write(line);
        w.write('\n');
        synchronized (tail) {
          if (line.startsWith("racetrace:") && agentLines.size() < 10) {
            agentLines.add(line);
          }
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      console.println("[racetrace fork] output copy stopped: " + e);
    }
  }
}
