package dev.racetrace.sample;

import dev.racetrace.sample.wire.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node JVM started by the demo or a sweep. A pump thread copies its output to the console with
 * a {@code [node-N]} prefix and follows its {@link Protocol} lines, so callers wait on events
 * (listening, done, exit) instead of sleeping.
 */
public final class NodeProcess {
  private static final int TAIL_LINES = 30;

  private final String nodeId;
  private final Process process;
  private final PrintStream console;
  private final CompletableFuture<Endpoint> listening = new CompletableFuture<>();
  private final Map<Long, CompletableFuture<Protocol.Line>> done = new ConcurrentHashMap<>();
  private final List<String> rawLines = Collections.synchronizedList(new ArrayList<>());
  private final Deque<String> tail = new ArrayDeque<>();
  private final CompletableFuture<Integer> exited = new CompletableFuture<>();
  private volatile boolean ended;
  private volatile String lastError;

  /**
   * Where a node listens.
   *
   * @param host always 127.0.0.1
   * @param port the ephemeral port it bound
   * @param token its bearer token
   * @param pid its process id
   * @param agent whether the racetrace agent is active in it
   */
  public record Endpoint(String host, int port, String token, long pid, boolean agent) {}

  private NodeProcess(String nodeId, Process process, PrintStream console) {
    this.nodeId = nodeId;
    this.process = process;
    this.console = console;
  }

  /** Starts following {@code process}'s output (stdout and stderr merged). */
  static NodeProcess follow(String nodeId, Process process, PrintStream console) {
    NodeProcess p = new NodeProcess(nodeId, process, console);
    Thread pump = new Thread(p::pump, "pump-" + nodeId);
    pump.setDaemon(true);
    pump.start();
    return p;
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        onLine(line);
      }
    } catch (IOException e) {
      lastError = "reading output failed: " + e;
    }
    int code;
    try {
      code = process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      code = -1;
    }
    ended = true;
    String why = nodeId + " exited with code " + code + (lastError == null ? "" : " (" + lastError + ")")
        + "; last output:\n  " + String.join("\n  ", tail());
    listening.completeExceptionally(new NodeFailedException(why + " (before it was listening)"));
    done.values().forEach(f -> f.completeExceptionally(new NodeFailedException(why)));
    exited.complete(code);
  }

  private void onLine(String line) {
    synchronized (tail) {
      tail.addLast(line);
      if (tail.size() > TAIL_LINES) {
        tail.removeFirst();
      }
    }
    var parsed = Protocol.parse(line);
    if (parsed.isPresent() && parsed.get().event().equals(Protocol.RAW)) {
      rawLines.add(parsed.get().json());
      return;
    }
    console.println("[" + nodeId + "] " + line);
    if (parsed.isEmpty()) {
      return;
    }
    Protocol.Line l = parsed.get();
    switch (l.event()) {
      case Protocol.LISTENING -> {
        try {
          listening.complete(new Endpoint(l.field("host").orElse("127.0.0.1"),
              Integer.parseInt(l.field("port").orElseThrow()), l.field("token").orElseThrow(),
              Long.parseLong(l.field("pid").orElse("-1")),
              Boolean.parseBoolean(l.field("agent").orElse("false"))));
        } catch (RuntimeException e) {
          listening.completeExceptionally(new NodeFailedException(nodeId + ": bad listening line: " + line));
        }
      }
      case Protocol.DONE -> l.field("seed").map(Long::parseLong)
          .ifPresent(seed -> doneFuture(seed).complete(l));
      case Protocol.ERROR -> lastError = l.field("message").orElse(line);
      default -> { }
    }
  }

  private CompletableFuture<Protocol.Line> doneFuture(long seed) {
    CompletableFuture<Protocol.Line> f = done.computeIfAbsent(seed, s -> new CompletableFuture<>());
    if (ended && !f.isDone()) {
      f.completeExceptionally(new NodeFailedException(nodeId + " exited before finishing seed " + seed));
    }
    return f;
  }

  /** The node id. */
  public String nodeId() {
    return nodeId;
  }

  /** The node's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the {@code listening} line. */
  public Endpoint awaitListening(Duration timeout) throws NodeFailedException, InterruptedException {
    return await(listening, timeout, "start listening");
  }

  /** The endpoint, if the node is listening. */
  public Optional<Endpoint> endpoint() {
    return listening.isDone() && !listening.isCompletedExceptionally()
        ? Optional.of(listening.join()) : Optional.empty();
  }

  /** A client for the node's endpoint (requires the {@code listening} line). */
  public NodeClient client() {
    Endpoint e = endpoint().orElseThrow(() -> new IllegalStateException(nodeId + " is not listening"));
    return new NodeClient(nodeId, e.host(), e.port(), e.token());
  }

  /** Waits for the {@code done} line of {@code seed}. */
  public Protocol.Line awaitDone(long seed, Duration timeout)
      throws NodeFailedException, InterruptedException {
    return await(doneFuture(seed), timeout, "finish seed " + seed);
  }

  /** Waits for the process to exit; returns its exit code. */
  public int awaitExit(Duration timeout) throws NodeFailedException, InterruptedException {
    return await(exited, timeout, "exit");
  }

  /** The JSON of every {@code raw} line so far, in order. */
  public List<String> rawLines() {
    synchronized (rawLines) {
      return new ArrayList<>(rawLines);
    }
  }

  /** The last lines of output (for error messages). */
  public List<String> tail() {
    synchronized (tail) {
      return new ArrayList<>(tail);
    }
  }

  /**
   * Stops the node: asks it over HTTP (so the agent can flush its spans), then SIGTERM, then
   * SIGKILL, each given {@code grace} to work.
   *
   * @return the exit code, or -1 if it had to be killed
   */
  public int stop(Duration grace) throws InterruptedException {
    if (!process.isAlive()) {
      return process.exitValue();
    }
    if (endpoint().isPresent()) {
      try {
        client().shutdown();
      } catch (IOException e) {
        console.println("[" + nodeId + "] shutdown request failed (" + e.getMessage() + "); terminating");
      }
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return process.exitValue();
      }
    }
    process.destroy();
    if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return process.exitValue();
    }
    process.destroyForcibly();
    process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    return -1;
  }

  /** Kills the process without asking (shutdown hooks of this JVM). */
  void destroyNow() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private <T> T await(CompletableFuture<T> f, Duration timeout, String what)
      throws NodeFailedException, InterruptedException {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof NodeFailedException nfe ? nfe
          : new NodeFailedException(nodeId + ": " + e.getCause());
    } catch (TimeoutException e) {
      throw new NodeFailedException(nodeId + " did not " + what + " within " + timeout.toSeconds()
          + " s; last output:\n  " + String.join("\n  ", tail()));
    }
  }
}
