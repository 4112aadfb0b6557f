package dev.racetrace.analyzer;

import dev.racetrace.analyzer.input.SpanProducer;
import dev.racetrace.analyzer.input.remote.BackendQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What to analyse and how to narrow it. Build with {@link #builder()}. */
public final class AnalyzerOptions {
  private final List<Path> inputs;
  private final List<Path> rawStates;
  private final List<String> rules;
  private final String node;
  private final String key;
  private final long fromNanos;
  private final long toNanos;
  private final BackendQuery backend;
  private final List<SpanProducer> producers;

  private AnalyzerOptions(Builder b) {
    this.producers = Collections.unmodifiableList(new ArrayList<>(b.producers));
    this.inputs = Collections.unmodifiableList(new ArrayList<>(b.inputs));
    this.rawStates = Collections.unmodifiableList(new ArrayList<>(b.rawStates));
    this.rules = Collections.unmodifiableList(new ArrayList<>(b.rules));
    this.node = b.node;
    this.key = b.key;
    this.fromNanos = b.fromNanos;
    this.toNanos = b.toNanos;
    this.backend = b.backend;
  }

  /** A builder with no inputs, no rules and no filters. */
  public static Builder builder() {
    return new Builder();
  }

  /** Span files and directories. */
  public List<Path> inputs() {
    return inputs;
  }

  /** Spans handed over in process (read after {@link #inputs()}); empty when none. */
  public List<SpanProducer> producers() {
    return producers;
  }

  /** Raw state files and directories of them, in the order given; empty when none. */
  public List<Path> rawStates() {
    return rawStates;
  }

  /** Rules given on the command line, as text. */
  public List<String> rules() {
    return rules;
  }

  /** Node to focus on, or null. */
  public String node() {
    return node;
  }

  /** Key to focus on, or null. */
  public String key() {
    return key;
  }

  /** Window start (epoch ns), {@link Long#MIN_VALUE} when unset. */
  public long fromNanos() {
    return fromNanos;
  }

  /** Window end (epoch ns), {@link Long#MAX_VALUE} when unset. */
  public long toNanos() {
    return toNanos;
  }

  /** Where to fetch the spans instead of {@link #inputs()} (a backend's query API), or null. */
  public BackendQuery backend() {
    return backend;
  }

  /** Builds {@link AnalyzerOptions}. */
  public static final class Builder {
    private final List<Path> inputs = new ArrayList<>();
    private final List<Path> rawStates = new ArrayList<>();
    private final List<String> rules = new ArrayList<>();
    private String node;
    private String key;
    private long fromNanos = Long.MIN_VALUE;
    private long toNanos = Long.MAX_VALUE;
    private BackendQuery backend;
    private final List<SpanProducer> producers = new ArrayList<>();

    private Builder() {}

    /**
     * Adds spans built in this process (e.g. replayed from a journal), read as if they came from
     * one more span file.
     */
    public Builder addProducer(SpanProducer producer) {
      producers.add(producer);
      return this;
    }

    /** Reads the spans from a backend's query API instead of files. */
    public Builder backend(BackendQuery query) {
      this.backend = query;
      return this;
    }

    /** Adds a span file or a directory of {@code *.jsonl} files. */
    public Builder addInput(Path input) {
      inputs.add(input);
      return this;
    }

    /**
     * Adds a raw node state file ({@code [{node, key, value, version}]}) or a directory of
     * {@code *.json} files; repeated calls add (one file per node is fine), null is ignored.
     */
    public Builder rawState(Path file) {
      if (file != null) {
        rawStates.add(file);
      }
      return this;
    }

    /** Adds a rule such as {@code load-metadata < derive < publish per key}. */
    public Builder addRule(String rule) {
      rules.add(rule);
      return this;
    }

    /** Focuses on this node. */
    public Builder node(String node) {
      this.node = node;
      return this;
    }

    /** Focuses on this key: spans of other keys are not even kept. */
    public Builder key(String key) {
      this.key = key;
      return this;
    }

    /** Keeps operations that end at or after this time (epoch ns, each node's clock). */
    public Builder fromNanos(long fromNanos) {
      this.fromNanos = fromNanos;
      return this;
    }

    /** Keeps operations initiated at or before this time (epoch ns, each node's clock). */
    public Builder toNanos(long toNanos) {
      this.toNanos = toNanos;
      return this;
    }

    /** The options. */
    public AnalyzerOptions build() {
      return new AnalyzerOptions(this);
    }
  }
}
