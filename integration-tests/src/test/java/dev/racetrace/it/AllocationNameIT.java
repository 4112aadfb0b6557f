package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.SpanFile.Span;
import dev.racetrace.it.programs.AllocationNameProgram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A latch reached only through a lookup method's result and a helper's parameter, and a semaphore
 * made as a local and handed to a helper, are named after their allocation sites (the issue's
 * "fall back to the allocation site rather than an identity hash"): the same names on every node.
 */
class AllocationNameIT {
  private static final int ROUNDS = 5;

  @TempDir Path dir;

  @Test
  void guardsReachedThroughParametersAndLookupsAreNamedByTheirAllocationSiteOnEveryNode() throws Exception {
    SourceMarkers src = new SourceMarkers(AllocationNameProgram.class);
    String latch = "CountDownLatch@AllocationNameProgram$Registry.latchFor:" + src.line("latch");
    String permits = "Semaphore@AllocationNameProgram.main:" + src.line("permits");
    ExecutorService nodes = Executors.newFixedThreadPool(2);
    try {
      List<Future<ForkedJvm.Result>> runs = new ArrayList<>();
      for (String node : List.of("node-1", "node-2")) {
        runs.add(nodes.submit(() -> ForkedJvm.withAgent()
            .jvmArg("-Dracetrace.include=dev.racetrace.it.programs", "-Dracetrace.out=" + dir.resolve(node))
            .run(AllocationNameProgram.class, Integer.toString(ROUNDS))));
      }
      for (Future<ForkedJvm.Result> f : runs) {
        ForkedJvm.Result r = f.get();
        assertThat(r.exitCode).as("%s", r).isZero();
        assertThat(r.nonEmptyStderr()).doesNotContain("disabled").doesNotContain("dropped");
      }
    } finally {
      nodes.shutdownNow();
    }
    Set<String> first = null;
    for (String node : List.of("node-1", "node-2")) {
      SpanFile spans = SpanFile.readDir(dir.resolve(node));
      List<Span> latches = spans.where(s -> "latch".equals(s.str("race.guard.kind")));
      List<Span> semaphores = spans.where(s -> "semaphore".equals(s.str("race.guard.kind")));
      assertThat(latches).as("%s: every latch await and count-down", node).hasSize(2 * ROUNDS)
          .allSatisfy(s -> assertThat(s.str("race.guard.object")).isEqualTo(latch));
      assertThat(latches.stream().map(s -> s.str("race.guard.object_id")).distinct())
          .as("one latch per key, told apart by its id").hasSize(ROUNDS);
      assertThat(semaphores).as("%s", node).hasSize(4 * ROUNDS)
          .allSatisfy(s -> assertThat(s.str("race.guard.object")).isEqualTo(permits));
      Set<String> names = new TreeSet<>();
      spans.where(s -> s.str("race.guard.object") != null).forEach(s -> names.add(s.str("race.guard.object")));
      if (first == null) {
        first = names;
      } else {
        assertThat(names).as("the same names on every node").isEqualTo(first);
      }
    }
  }
}
