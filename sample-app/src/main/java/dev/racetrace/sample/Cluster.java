package dev.racetrace.sample;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * The node processes of one run. Whatever happens (success, exception, Ctrl-C), every process it
 * started is stopped: by {@link #close()} normally, by a JVM shutdown hook otherwise.
 */
public final class Cluster implements AutoCloseable {
  /** How long a node gets to stop at each step (HTTP, SIGTERM, SIGKILL). */
  public static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final List<NodeProcess> nodes = Collections.synchronizedList(new ArrayList<>());
  private final PrintStream console;
  private final Thread hook;

  private Cluster(PrintStream console) {
    this.console = console;
    this.hook = new Thread(this::destroyAll, "racetrace-cluster-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts one process per id.
   *
   * @param argsFor the {@code node} arguments of each id
   * @throws IOException when a process cannot be started (those already started are stopped)
   */
  public static Cluster launch(NodeLauncher launcher, List<String> ids,
      Function<String, List<String>> argsFor, PrintStream console) throws IOException {
    Cluster c = new Cluster(console);
    try {
      for (String id : ids) {
        c.nodes.add(launcher.launch(id, argsFor.apply(id), console));
      }
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The processes, in launch order. */
  public List<NodeProcess> nodes() {
    synchronized (nodes) {
      return new ArrayList<>(nodes);
    }
  }

  /** Stops every node (in parallel) and waits for each to exit. */
  @Override
  public void close() {
    List<Thread> stoppers = new ArrayList<>();
    for (NodeProcess p : nodes()) {
      Thread t = new Thread(() -> {
        try {
          int code = p.stop(STOP_GRACE);
          if (code != 0) {
            console.println("[" + p.nodeId() + "] stopped with exit code " + code);
          }
        } catch (InterruptedException e) {
          p.destroyNow();
          Thread.currentThread().interrupt();
        }
      }, "stop-" + p.nodeId());
      t.start();
      stoppers.add(t);
    }
    boolean interrupted = false;
    for (Thread t : stoppers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running or has run
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void destroyAll() {
    for (NodeProcess p : nodes()) {
      p.destroyNow();
    }
  }
}
