package dev.racetrace.sample;

import dev.racetrace.sample.cli.SeedRange;
import dev.racetrace.sample.node.Workload;
import dev.racetrace.sample.wire.Json;
import dev.racetrace.sample.wire.RawRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs many seeds quickly with real processes: N node JVMs, each running every seed in a row
 * ({@code node --seeds ... --congested auto}) and printing its raw state after each; the results
 * are compared per seed. Used by the tests (20 broken seeds, 100 fixed seeds) and by the
 * {@code sweep} command.
 */
public final class SweepRunner {
  private SweepRunner() {}

  /** Runs the sweep; every node process has exited when this returns or throws. */
  public static SweepResult run(SweepOptions o)
      throws NodeFailedException, IOException, InterruptedException {
    List<Long> seeds = SeedRange.parse(o.seeds());
    PrintStream console = o.console();
    AgentJar agent = AgentJar.locate(o.agent(), Path.of("").toAbsolutePath());
    agent.warning().ifPresent(console::println);
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= o.nodes(); i++) {
      ids.add(Workload.nodeId(i));
    }
    NodeLauncher launcher = new NodeLauncher(agent.jar(), o.spansDir().toAbsolutePath());
    console.println("sweep: seeds " + o.seeds() + " (" + seeds.size() + "), " + o.keys()
        + " keys, mode " + o.mode().cliName() + ", " + o.nodes() + " node JVMs");
    Map<String, Long> pids = new LinkedHashMap<>();
    Map<String, List<String>> rawByNode = new LinkedHashMap<>();
    try (Cluster cluster = Cluster.launch(launcher, ids, id -> List.of(
        "--id", id, "--nodes", Integer.toString(o.nodes()), "--seeds", o.seeds(),
        "--keys", Integer.toString(o.keys()), "--mode", o.mode().cliName(),
        "--workers", Integer.toString(o.workers()), "--congested", o.congestion() ? "auto" : "false",
        "--exit-when-done", "--print-raw", "--stop-on-stdin-eof"), console)) {
      for (NodeProcess p : cluster.nodes()) {
        pids.put(p.nodeId(), p.pid());
        int code = p.awaitExit(o.timeout());
        if (code != 0) {
          throw new NodeFailedException(p.nodeId() + " exited with code " + code + "; last output:\n  "
              + String.join("\n  ", p.tail()));
        }
        rawByNode.put(p.nodeId(), p.rawLines());
      }
    }
    Map<Long, Map<String, Map<String, RawRecord>>> bySeed = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : rawByNode.entrySet()) {
      for (String json : e.getValue()) {
        Map<String, Object> doc = Json.parseObject(json);
        long seed = ((Number) doc.get("seed")).longValue();
        Map<String, RawRecord> records = new LinkedHashMap<>();
        for (Object r : (List<?>) doc.get("records")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = (Map<String, Object>) r;
          RawRecord rec = RawRecord.fromJson(m);
          records.put(rec.key(), rec);
        }
        bySeed.computeIfAbsent(seed, s -> new LinkedHashMap<>()).put(e.getKey(), records);
      }
    }
    List<SweepResult.SeedOutcome> outcomes = new ArrayList<>();
    for (long seed : seeds) {
      Map<String, Map<String, RawRecord>> state = bySeed.get(seed);
      if (state == null || state.size() != ids.size()) {
        throw new NodeFailedException("seed " + seed + ": raw state missing from "
            + (state == null ? ids : ids.stream().filter(id -> !state.containsKey(id)).toList()));
      }
      List<String> keys = Workload.generate(seed, o.keys()).keys();
      SweepResult.SeedOutcome so = new SweepResult.SeedOutcome(seed,
          o.congestion() ? Workload.congestedNode(seed, o.nodes()) : "none", DivergenceReport.of(ids, keys, state));
      outcomes.add(so);
    }
    return new SweepResult(List.copyOf(outcomes), pids);
  }

  /** One line per seed plus totals, as the {@code sweep} command prints them. */
  public static String describe(SweepResult r) {
    StringBuilder b = new StringBuilder();
    for (SweepResult.SeedOutcome s : r.seeds()) {
      DivergenceReport d = s.divergence();
      b.append("  seed ").append(s.seed()).append(": congested ").append(s.congestedNode()).append(" -> ");
      if (d.divergentKeys().isEmpty()) {
        b.append("all ").append(d.rows().size()).append(" keys agree");
      } else if (d.oddNode().isPresent()) {
        b.append(d.oddNode().get()).append(" alone diverges on ").append(d.divergentKeys().size())
            .append(" key(s): ").append(String.join(" ", d.divergentKeys()));
      } else {
        b.append("divergence on ").append(d.divergentKeys().size()).append(" key(s), odd nodes ")
            .append(d.oddCounts());
      }
      b.append('\n');
    }
    b.append("  ").append(r.withOneOddNode().size()).append(" of ").append(r.seeds().size())
        .append(" seeds: exactly one node diverged; ").append(r.withDivergence().size())
        .append(" with any divergence\n");
    return b.toString();
  }
}
