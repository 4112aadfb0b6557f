package dev.racetrace.sample;

import dev.racetrace.sample.node.Mode;
import dev.racetrace.sample.node.NodeConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of a sweep: many seeds, each run on every node, with N node processes that each run all
 * the seeds in a row (state reset per seed). Start from {@link #defaults()} and change what differs
 * with the {@code with...} methods.
 *
 * @param seeds the seed list, e.g. {@code 1..100}
 * @param keys keys per seed
 * @param mode broken or fixed
 * @param nodes node processes
 * @param workers worker threads per node
 * @param agent agent jar path, {@code none} (the default) or empty to look for it
 * @param spansDir where spans go when the agent is used
 * @param console progress and node output
 * @param timeout how long the whole sweep may take
 * @param congestion whether one node gets the burst that makes it lag (false: every node is healthy)
 */
public record SweepOptions(String seeds, int keys, Mode mode, int nodes, int workers,
    Optional<String> agent, Path spansDir, PrintStream console, Duration timeout, boolean congestion) {

  public SweepOptions {
    Objects.requireNonNull(seeds, "seeds");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(spansDir, "spansDir");
    Objects.requireNonNull(console, "console");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** Defaults: seeds {@code 1..20}, 12 keys, broken, 3 nodes, no agent, 5 minutes. */
  public static SweepOptions defaults() {
    return new SweepOptions("1..20", 12, Mode.BROKEN, 3, NodeConfig.DEFAULT_WORKERS,
        Optional.of(AgentJar.NONE), Path.of("racetrace-sweep", "spans"), System.out,
        Duration.ofMinutes(5), true);
  }

  /** Without congestion, no node gets the burst: every node is healthy. */
  public SweepOptions withCongestion(boolean c) {
    return new SweepOptions(seeds, keys, mode, nodes, workers, agent, spansDir, console, timeout, c);
  }

  public SweepOptions withSeeds(String s) {
    return new SweepOptions(s, keys, mode, nodes, workers, agent, spansDir, console, timeout, congestion);
  }

  public SweepOptions withKeys(int k) {
    return new SweepOptions(seeds, k, mode, nodes, workers, agent, spansDir, console, timeout, congestion);
  }

  public SweepOptions withMode(Mode m) {
    return new SweepOptions(seeds, keys, m, nodes, workers, agent, spansDir, console, timeout, congestion);
  }

  public SweepOptions withNodes(int n) {
    return new SweepOptions(seeds, keys, mode, n, workers, agent, spansDir, console, timeout, congestion);
  }

  public SweepOptions withWorkers(int w) {
    return new SweepOptions(seeds, keys, mode, nodes, w, agent, spansDir, console, timeout, congestion);
  }

  public SweepOptions withAgent(String a) {
    return new SweepOptions(seeds, keys, mode, nodes, workers,
        a == null || a.isBlank() ? Optional.empty() : Optional.of(a), spansDir, console, timeout, congestion);
  }

  public SweepOptions withSpansDir(Path p) {
    return new SweepOptions(seeds, keys, mode, nodes, workers, agent, p, console, timeout, congestion);
  }

  public SweepOptions withConsole(PrintStream c) {
    return new SweepOptions(seeds, keys, mode, nodes, workers, agent, spansDir, c, timeout, congestion);
  }

  public SweepOptions withTimeout(Duration t) {
    return new SweepOptions(seeds, keys, mode, nodes, workers, agent, spansDir, console, t, congestion);
  }
}
