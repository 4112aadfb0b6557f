package dev.racetrace.analyzer;

import dev.racetrace.analyzer.input.InputException;
import dev.racetrace.analyzer.input.InputFiles;
import dev.racetrace.analyzer.input.NodeCounters;
import dev.racetrace.analyzer.input.RawStateEntry;
import dev.racetrace.analyzer.input.RawStateFiles;
import dev.racetrace.analyzer.input.SpanLoader;
import dev.racetrace.analyzer.input.SpanStore;
import dev.racetrace.analyzer.input.remote.BackendReader;
import dev.racetrace.analyzer.rules.OrderGuarantee;
import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.TimelineBuilder;
import dev.racetrace.schema.OrderingRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the five steps over span files: divergence per key across nodes, narrowing to one node
 * and key, the per-node timelines, the first ordering break with its guard, and the affected
 * keys and windows. Order within a node comes from {@code race.seq} only, never from comparing
 * clocks across nodes.
 */
public final class Analyzer {
  /** Rule violations on agreeing nodes named one by one in the warnings; the rest counted. */
  private static final int MAX_AGREEING_BREAK_WARNINGS = 5;

  /**
   * Reads the inputs and analyses them.
   *
   * @throws InputException when a file cannot be read or is not valid (names file and line)
   * @throws IllegalArgumentException when a rule given in the options is malformed
   */
  public Analysis analyze(AnalyzerOptions options) throws InputException {
    List<OrderingRule> rules = new ArrayList<>();
    for (String r : options.rules()) {
      addRule(rules, OrderingRule.parse(r));
    }
    List<Path> files = options.backend() != null ? List.of()
        : InputFiles.expand(options.inputs());
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads,
        r -> {
          Thread t = new Thread(r, "racetrace-analyzer");
          t.setDaemon(true);
          return t;
        });
    try {
      return analyze(options, rules, files, pool, threads);
    } finally {
      pool.shutdownNow();
    }
  }

  private Analysis analyze(AnalyzerOptions options, List<OrderingRule> rules, List<Path> files,
      ExecutorService pool, int threads) throws InputException {
    SpanStore store;
    int inputs;
    if (options.backend() != null) {
      BackendReader.Result fetched = new BackendReader().read(options.backend(), options.key());
      store = fetched.store;
      inputs = 1; // one backend
      if (store.nodes().isEmpty()) {
        throw new InputException(options.backend().toString(), "no racetrace spans found there"
            + " (check the service name, the key and the time window: --from/--to; the default"
            + " window is the last 24 hours)", null);
      }
    } else {
      store = SpanLoader.load(files, options.key(), pool, threads);
      store.addAll(SpanLoader.produce(options.producers(), options.key(), pool));
      inputs = files.size() + options.producers().size();
      if (store.nodes().isEmpty()) {
        String what = "no racetrace spans in the input (" + inputs
            + (inputs == 1 ? " file" : " files") + " read)";
        throw files.isEmpty() ? new InputException(options.producers().get(0).source(), what, null)
            : new InputException(files.get(0), 0, what);
      }
    }
    List<String> warnings = new ArrayList<>();
    for (String recorded : store.recordedRules()) {
      try {
        addRule(rules, OrderingRule.parse(recorded));
      } catch (IllegalArgumentException e) {
        warnings.add("ignored recorded racetrace.rules: " + e.getMessage());
      }
    }
    List<RawStateEntry> raw = null;
    List<String> rawNodes = new ArrayList<>();
    if (!options.rawStates().isEmpty()) {
      raw = RawStateFiles.readAll(options.rawStates(), warnings);
      Set<String> names = new TreeSet<>();
      raw.forEach(e -> names.add(e.node()));
      rawNodes.addAll(names);
    }

    Map<String, NodeTimeline> timelines = buildTimelines(store, options, pool);
    FilterCheck.check(options, timelines, raw, store);
    Map<String, String> services = new TreeMap<>();
    for (String node : store.nodes()) {
      if (store.service(node) != null) {
        services.put(node, store.service(node));
      }
    }
    warnings.addAll(warnings(store, timelines, rules, raw, options));

    DivergenceSource source;
    List<KeyDivergence> divergence;
    if (raw != null) {
      source = DivergenceSource.RAW_STATE;
      divergence = DivergenceFinder.fromRawState(raw, options.key());
    } else {
      source = DivergenceFinder.fallbackSource(timelines, rules);
      divergence = DivergenceFinder.fromTimelines(timelines, rules, source);
    }

    BreakFinder finder = new BreakFinder(timelines, rules, divergence);
    List<BreakFinding> breaks = new ArrayList<>();
    List<BreakFinding> agreeingBreaks = new ArrayList<>();
    for (BreakFinding b : finder.find(options.node(), options.node(), options.key())) {
      (source == DivergenceSource.RAW_STATE && agrees(divergence, b.node(), b.key())
          ? agreeingBreaks : breaks).add(b);
    }
    for (int i = 0; i < agreeingBreaks.size() && i < MAX_AGREEING_BREAK_WARNINGS; i++) {
      BreakFinding b = agreeingBreaks.get(i);
      warnings.add(b.node() + ", " + b.key() + ": " + b.orderBreak().summary() + " at seq "
          + b.seq() + " (" + b.guard().kind().id() + "), but " + b.node() + "'s raw state agrees"
          + " with the other nodes: a rule violation without divergence, not the break of a"
          + " diverged node (check the rule, or the race did no harm this time)");
    }
    if (agreeingBreaks.size() > MAX_AGREEING_BREAK_WARNINGS) {
      warnings.add((agreeingBreaks.size() - MAX_AGREEING_BREAK_WARNINGS) + " more rule"
          + " violations on nodes whose raw state agrees (rule_violations_without_divergence"
          + " in --json)");
    }
    List<UnexplainedDivergence> unexplained = DivergenceExplainer.find(divergence, source,
        breaks, timelines, rules, finder, options.node());
    if (options.node() != null) {
      List<String> elsewhere = new ArrayList<>();
      for (KeyDivergence d : divergence) {
        if (d.oddNode() != null && !d.oddNode().equals(options.node())) {
          elsewhere.add(d.oddNode() + " on " + d.key());
        }
      }
      if (!elsewhere.isEmpty()) {
        warnings.add("--node " + options.node() + ": other nodes diverged and are not analysed: "
            + String.join(", ", elsewhere.subList(0, Math.min(5, elsewhere.size())))
            + (elsewhere.size() > 5 ? ", ..." : ""));
      }
    }
    Outcome outcome = !breaks.isEmpty() ? Outcome.ORDERING_BREAK
        : !unexplained.isEmpty() ? Outcome.DIVERGENCE_UNEXPLAINED : Outcome.NO_BREAK;
    Focus focus = Narrower.narrow(divergence, breaks, timelines, finder, options.node(),
        options.key());
    BreakFinding focusBreak = null;
    List<OrderGuarantee> guarantees = Collections.emptyList();
    if (focus != null) {
      for (BreakFinding b : breaks) {
        if (b.node().equals(focus.node()) && b.key().equals(focus.key())) {
          focusBreak = b;
        }
      }
      String on = focus.healthyNode() != null ? focus.healthyNode() : focus.node();
      guarantees = GuaranteeFinder.find(timelines.get(on), focus.key(), rules);
    } else {
      guarantees = sampleGuarantees(timelines, rules, options.key());
    }
    List<AffectedWindow> affected = ContainmentFinder.find(breaks, divergence, timelines,
        options.node());
    return new Analysis(new ArrayList<>(timelines.keySet()), timelines, services, inputs,
        store.spansRead(), warnings, rules, source, divergence, focus, breaks, focusBreak,
        guarantees, affected, rawNodes, unexplained, agreeingBreaks, outcome);
  }

  /**
   * Whether the raw state shows {@code node} holding the value the other nodes agree on for
   * {@code key}: then a rule violation there is not what made any node diverge.
   */
  static boolean agrees(List<KeyDivergence> divergence, String node, String key) {
    for (KeyDivergence d : divergence) {
      if (d.key().equals(key)) {
        String v = d.values().get(node);
        if (v == null || node.equals(d.oddNode())) {
          return false;
        }
        return d.verdict() == Verdict.AGREE
            || (d.oddNode() != null && v.equals(d.majorityValue()));
      }
    }
    return false;
  }

  /** Builds each node's timeline, in parallel, freeing the node's span list once built. */
  private static Map<String, NodeTimeline> buildTimelines(SpanStore store, AnalyzerOptions options,
      ExecutorService pool) {
    TimelineBuilder builder = new TimelineBuilder(options.fromNanos(), options.toNanos());
    Map<String, Future<NodeTimeline>> futures = new TreeMap<>();
    for (String node : store.nodes()) {
      futures.put(node, pool.submit(() -> {
        NodeTimeline t = builder.build(node, store.spans(node), store.counters(node));
        store.release(node);
        return t;
      }));
    }
    Map<String, NodeTimeline> timelines = new TreeMap<>();
    for (Map.Entry<String, Future<NodeTimeline>> e : futures.entrySet()) {
      try {
        timelines.put(e.getKey(), e.getValue().get());
      } catch (ExecutionException ex) {
        Throwable c = ex.getCause();
        throw c instanceof RuntimeException ? (RuntimeException) c : new IllegalStateException(c);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", ex);
      }
    }
    return timelines;
  }

  private static void addRule(List<OrderingRule> rules, OrderingRule rule) {
    if (!rules.contains(rule)) {
      rules.add(rule);
    }
  }

  /** Without a focus: the enforcement of the order on the first key that has one. */
  private static List<OrderGuarantee> sampleGuarantees(Map<String, NodeTimeline> timelines,
      List<OrderingRule> rules, String keyFilter) {
    for (NodeTimeline t : timelines.values()) {
      List<String> keys = new ArrayList<>(t.keys());
      Collections.sort(keys);
      for (String key : keys) {
        if (keyFilter != null && !keyFilter.equals(key)) {
          continue;
        }
        List<OrderGuarantee> g = GuaranteeFinder.find(t, key, rules);
        if (!g.isEmpty()) {
          return g;
        }
      }
    }
    return Collections.emptyList();
  }

  private static List<String> warnings(SpanStore store, Map<String, NodeTimeline> timelines,
      List<OrderingRule> rules, List<RawStateEntry> raw, AnalyzerOptions options) {
    List<String> w = new ArrayList<>(store.notes());
    for (String node : store.nodes()) {
      NodeCounters c = store.counters(node);
      if (c.dropped()) {
        w.add(node + ": the agent dropped " + c.droppedEvents()
            + " events (race.dropped_events); its timeline may be incomplete");
      }
      if (c.unmatchedDequeues() > 0) {
        w.add(node + ": " + c.unmatchedDequeues()
            + " dequeues whose enqueue was not recorded (race.unmatched_dequeues)");
      }
      if (c.internalErrors() > 0) {
        w.add(node + ": " + c.internalErrors() + " internal errors in the agent"
            + " (race.internal_errors); some events may be missing");
      }
      if (c.exportFailures() > 0) {
        w.add(node + ": " + c.exportFailures() + " export batches failed"
            + " (race.export_failures); some spans may be missing");
      }
      if (c.rotatedSpans() > 0) {
        w.add(node + ": the oldest " + c.rotatedSpans() + " spans were deleted to stay within"
            + " racetrace.out.max (race.rotated_spans); its timeline starts late");
      }
      if (c.rotatedEvents() > 0) {
        w.add(node + ": the oldest " + c.rotatedEvents() + " recorded events were deleted with the oldest journal"
            + " parts to stay within racetrace.out.max (race.rotated_events); its timeline starts late");
      }
      if (c.unwrittenSpans() > 0) {
        w.add(node + ": " + c.unwrittenSpans() + " spans were too large to write under"
            + " racetrace.out.max (race.unwritten_spans); they are missing");
      }
      if (c.droppedState() > 0) {
        w.add(node + ": the agent dropped " + c.droppedState() + " matching entries at its"
            + " racetrace.memory.max caps (race.dropped_state); some links may be missing");
      }
    }
    if (store.spansSkipped() > 0) {
      w.add(store.spansSkipped() + " spans skipped: not racetrace spans, or without race.seq");
    }
    if (timelines.size() == 1) {
      w.add("only one node in the input: no healthy node to compare with");
    }
    Set<String> keyedOps = new LinkedHashSet<>();
    for (NodeTimeline t : timelines.values()) {
      for (String key : t.keys()) {
        t.operations(key).forEach(o -> keyedOps.add(o.op()));
      }
    }
    for (OrderingRule r : rules) {
      for (String op : r.ops()) {
        if (keyedOps.contains(op)) {
          continue;
        }
        List<String> keyless = new ArrayList<>();
        for (NodeTimeline t : timelines.values()) {
          if (t.keylessOps().containsKey(op)) {
            keyless.add(t.node());
          }
        }
        if (keyless.isEmpty()) {
          w.add("rule \"" + r.chain() + "\": operation " + op + " never seen (race.op)");
        } else {
          w.add("rule \"" + r.chain() + "\": operation " + op + " seen only without a key (on "
              + String.join(", ", keyless) + "): set racetrace.keys for its element or task"
              + " class, or capture the keyed object in the lambda handed to the executor");
        }
      }
    }
    if (raw != null) {
      Set<String> rawNodes = new TreeSet<>();
      raw.forEach(e -> rawNodes.add(e.node()));
      List<String> rawOnly = new ArrayList<>();
      for (String n : rawNodes) {
        if (!timelines.containsKey(n)) {
          rawOnly.add(n);
        }
      }
      List<String> spansOnly = new ArrayList<>();
      for (String n : timelines.keySet()) {
        if (!rawNodes.contains(n)) {
          spansOnly.add(n);
        }
      }
      for (String n : rawOnly) {
        w.add("raw state names node " + n + ", which has no spans" + (spansOnly.isEmpty() ? ""
            : " (the spans have " + String.join(", ", spansOnly) + " instead: give each node the"
            + " same id in both, e.g. OTEL_RESOURCE_ATTRIBUTES=service.instance.id=" + n + ")"));
      }
      for (String n : spansOnly) {
        w.add(n + " has spans but no raw state: its values were not compared"
            + " (pass its raw reads with another --raw)");
      }
    }
    return w;
  }
}
