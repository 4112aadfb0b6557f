package dev.racetrace.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A forked JVM whose stdout is read line by line while it runs: a test can wait for a line, write
 * to its stdin, and measure how long the JVM took to exit after the program printed "main-end"
 * (the time racetrace's shutdown adds).
 */
final class TimedRun implements AutoCloseable {
  final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuilder stdout = new StringBuilder();
  private final Path stderr;
  private volatile long mainEndNanos;

  private TimedRun(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.equals("main-end")) {
            mainEndNanos = System.nanoTime();
          }
          synchronized (stdout) {
            stdout.append(line).append('\n');
          }
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("<stdout failed: " + e + ">");
      }
    }, "timed-run-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} with the agent (if {@code agent}), these JVM arguments and environment. */
  static TimedRun start(boolean agent, List<String> jvmArgs, Map<String, String> env, Class<?> main, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    if (agent) {
      cmd.add("-javaagent:" + ForkedJvm.AGENT);
    }
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(ForkedJvm.CLASSES);
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("RACETRACE_") || k.startsWith("OTEL_"));
    pb.environment().putAll(env);
    Path err = Files.createTempFile("timed-err", ".txt");
    pb.redirectError(err.toFile());
    return new TimedRun(pb.start(), err);
  }

  /** Waits for a stdout line starting with {@code prefix}. */
  String awaitLine(String prefix) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
      if (line == null && !process.isAlive() && lines.isEmpty()) {
        break;
      }
    }
    throw new AssertionError("no line starting with '" + prefix + "'; stdout so far:\n" + stdout() + "\nstderr:\n" + stderr());
  }

  void writeLine() throws IOException {
    OutputStream in = process.getOutputStream();
    in.write('\n');
    in.flush();
  }

  /** Waits for the exit; returns the milliseconds from "main-end" on stdout to the process's end. */
  long awaitExitAfterMainEnd() throws InterruptedException {
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      throw new AssertionError("did not exit in 120 s:\n" + stderr());
    }
    long exited = System.nanoTime();
    awaitLine("main-end"); // the reader may lag behind the exit
    return TimeUnit.NANOSECONDS.toMillis(exited - mainEndNanos);
  }

  String stdout() {
    synchronized (stdout) {
      return stdout.toString();
    }
  }

  String stderr() {
    try {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "<" + e + ">";
    }
  }

  /** stderr's non-empty lines (the JVM's CDS warning included: racetrace must not cause it). */
  List<String> stderrLines() {
    List<String> out = new ArrayList<>();
    for (String line : stderr().split("\n")) {
      if (!line.isEmpty()) {
        out.add(line);
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    Files.deleteIfExists(stderr);
  }
}
