package dev.racetrace.sample;

import dev.racetrace.sample.node.Mode;
import dev.racetrace.sample.node.NodeConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of one demo run. Build with {@link #builder()}; every setter has a default, quoted in
 * its Javadoc.
 */
public final class DemoOptions {
  /**
   * The demo's default seed. Every seed reproduces the race; this one also shows all three guards
   * failing on the congested node (the timed wait expires for one key), on a handful of keys.
   */
  public static final long DEFAULT_SEED = 16;

  private final long seed;
  private final int keys;
  private final Mode mode;
  private final Path out;
  private final int nodes;
  private final boolean reconcile;
  private final Optional<String> agent;
  private final Optional<String> zipkin;
  private final boolean journal;
  private final int workers;
  private final boolean logOps;
  private final boolean runAnalyzer;
  private final PrintStream console;
  private final Path workingDir;
  private final Duration startupTimeout;
  private final Duration runTimeout;
  private final Duration analyzerTimeout;

  private DemoOptions(Builder b) {
    this.seed = b.seed;
    this.keys = b.keys;
    this.mode = b.mode;
    this.out = b.out;
    this.nodes = b.nodes;
    this.reconcile = b.reconcile;
    this.agent = b.agent;
    this.zipkin = b.zipkin;
    this.journal = b.journal;
    this.workers = b.workers;
    this.logOps = b.logOps;
    this.runAnalyzer = b.runAnalyzer;
    this.console = b.console;
    this.workingDir = b.workingDir;
    this.startupTimeout = b.startupTimeout;
    this.runTimeout = b.runTimeout;
    this.analyzerTimeout = b.analyzerTimeout;
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  public long seed() {
    return seed;
  }

  public int keys() {
    return keys;
  }

  public Mode mode() {
    return mode;
  }

  public Path out() {
    return out;
  }

  public int nodes() {
    return nodes;
  }

  public boolean reconcile() {
    return reconcile;
  }

  /** {@code --agent}: a path, {@code none}, or empty to look for the built agent jar. */
  public Optional<String> agent() {
    return agent;
  }

  /**
   * The nodes record a binary journal, the agent's default; {@code --otlp-json}: OTLP JSON span
   * files instead ({@code racetrace.exporter=otlp-json}).
   */
  public boolean journal() {
    return journal;
  }

  /** {@code --zipkin}: Zipkin's base URL the nodes also send their spans to, or empty. */
  public Optional<String> zipkin() {
    return zipkin;
  }

  public int workers() {
    return workers;
  }

  public boolean logOps() {
    return logOps;
  }

  public boolean runAnalyzer() {
    return runAnalyzer;
  }

  public PrintStream console() {
    return console;
  }

  public Path workingDir() {
    return workingDir;
  }

  public Duration startupTimeout() {
    return startupTimeout;
  }

  public Duration runTimeout() {
    return runTimeout;
  }

  public Duration analyzerTimeout() {
    return analyzerTimeout;
  }

  /** Builder of {@link DemoOptions}. */
  public static final class Builder {
    private long seed = DEFAULT_SEED;
    private int keys = 20;
    private Mode mode = Mode.BROKEN;
    private Path out = Path.of("racetrace-demo");
    private int nodes = 3;
    private boolean reconcile;
    private Optional<String> agent = Optional.empty();
    private Optional<String> zipkin = Optional.empty();
    private boolean journal = true;
    private int workers = NodeConfig.DEFAULT_WORKERS;
    private boolean logOps;
    private boolean runAnalyzer = true;
    private PrintStream console = System.out;
    private Path workingDir = Path.of("").toAbsolutePath();
    private Duration startupTimeout = Duration.ofSeconds(60);
    private Duration runTimeout = Duration.ofSeconds(60);
    private Duration analyzerTimeout = Duration.ofSeconds(120);

    private Builder() {}

    /** Seed of the input log and of the congestion. Default {@value DemoOptions#DEFAULT_SEED}. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Number of keys (entities). Default {@code 20}. */
    public Builder keys(int keys) {
      if (keys < 1 || keys > 10_000) {
        throw new IllegalArgumentException("keys must be 1..10000, got " + keys);
      }
      this.keys = keys;
      return this;
    }

    /** Broken or fixed. Default {@link Mode#BROKEN}. */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Output directory. Default {@code ./racetrace-demo}. */
    public Builder out(Path out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    /** Number of node processes. Default {@code 3}. */
    public Builder nodes(int nodes) {
      if (nodes < 1 || nodes > 9) {
        throw new IllegalArgumentException("nodes must be 1..9, got " + nodes);
      }
      this.nodes = nodes;
      return this;
    }

    /** Run last-writer-wins anti-entropy after the log. Default {@code false}. */
    public Builder reconcile(boolean reconcile) {
      this.reconcile = reconcile;
      return this;
    }

    /**
     * The agent jar: a path, {@code "none"} to run without it, or null/empty (the default) to
     * look for {@code agent/target/racetrace-agent.jar}.
     */
    public Builder agent(String agent) {
      this.agent = agent == null || agent.isBlank() ? Optional.empty() : Optional.of(agent);
      return this;
    }

    /** Worker threads per node. Default {@value NodeConfig#DEFAULT_WORKERS}. */
    /** Record a binary journal (the default) rather than OTLP JSON span files ({@code racetrace.exporter=otlp-json}). */
    public Builder journal(boolean journal) {
      this.journal = journal;
      return this;
    }

    /** Also send the spans to Zipkin at this base URL ({@code http://host:9411}). Default: no. */
    public Builder zipkin(String baseUrl) {
      this.zipkin = baseUrl == null || baseUrl.isBlank() ? Optional.empty()
          : Optional.of(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
      return this;
    }

    public Builder workers(int workers) {
      if (workers < 1 || workers > 64) {
        throw new IllegalArgumentException("workers must be 1..64, got " + workers);
      }
      this.workers = workers;
      return this;
    }

    /** Nodes log every operation. Default {@code false}. */
    public Builder logOps(boolean logOps) {
      this.logOps = logOps;
      return this;
    }

    /** Run the analyzer after the nodes stop (needs the agent). Default {@code true}. */
    public Builder runAnalyzer(boolean runAnalyzer) {
      this.runAnalyzer = runAnalyzer;
      return this;
    }

    /** Where progress and the nodes' output go. Default {@code System.out}. */
    public Builder console(PrintStream console) {
      this.console = Objects.requireNonNull(console, "console");
      return this;
    }

    /** Directory relative paths ({@code --agent}, {@code --out}) start from. Default: the current one. */
    public Builder workingDir(Path workingDir) {
      this.workingDir = Objects.requireNonNull(workingDir, "workingDir").toAbsolutePath();
      return this;
    }

    /** How long a node may take to come up. Default 60 s. */
    public Builder startupTimeout(Duration d) {
      this.startupTimeout = Objects.requireNonNull(d, "startupTimeout");
      return this;
    }

    /** How long a node may take to process the log. Default 60 s. */
    public Builder runTimeout(Duration d) {
      this.runTimeout = Objects.requireNonNull(d, "runTimeout");
      return this;
    }

    /** How long the analyzer may take. Default 120 s. */
    public Builder analyzerTimeout(Duration d) {
      this.analyzerTimeout = Objects.requireNonNull(d, "analyzerTimeout");
      return this;
    }

    /** The options. */
    public DemoOptions build() {
      return new DemoOptions(this);
    }
  }
}
