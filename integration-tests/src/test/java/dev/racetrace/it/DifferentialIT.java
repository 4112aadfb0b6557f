package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.racetrace.it.programs.DifferentialProgram;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential conformance harness: {@link DifferentialProgram} runs seeded scenarios over the
 * {@code java.util.concurrent} surface the hooks touch (thread pools with every queue kind and
 * rejection policy, scheduled and fork/join pools, CompletableFuture, virtual threads, every JDK
 * queue and deque, latches, barriers, phasers, exchangers, semaphores, locks, conditions,
 * wait/notify, interrupts, timeouts, cancel(true), exceptions and their stacks) in a JVM without
 * the agent and in one with it, {@code racetrace.include} naming the program's package so every
 * call site is rewritten. The two transcripts must be identical, line for line.
 *
 * <p>The seed is new on every run and stated on a mismatch; {@code -Dracetrace.differential.seed=N}
 * reruns one, {@code -Dracetrace.differential.iterations=N} (default 16) sets the iterations of each
 * scenario.
 */
class DifferentialIT {
  private static final long SEED = Long.getLong("racetrace.differential.seed", ThreadLocalRandom.current().nextLong());
  private static final int ITERATIONS = Integer.getInteger("racetrace.differential.iterations", 16);
  private static final List<String> SCENARIOS = List.of("tpe", "tpe.invoke", "tpe.cancel", "stpe", "fj", "cf",
      "queue", "queue.blocking", "queue.handoff", "latch", "barrier", "phaser", "exchanger", "semaphore", "lock",
      "condition", "monitor", "virtual");
  /** Hook families the program must have gone through, so that the comparison compares something. */
  private static final Set<String> EVENTS = Set.of("queue.enqueue", "queue.dequeue", "queue.peek", "queue.drain",
      "task.submit", "task.start", "future.get", "latch.await", "latch.count_down", "semaphore.acquire",
      "semaphore.release", "barrier.await", "phaser.arrive", "phaser.await", "lock.acquire", "lock.release",
      "condition.await", "condition.signal", "monitor.wait", "monitor.notify", "thread.sleep");

  @TempDir Path dir;

  @Test
  void sameTranscriptWithAndWithoutTheAgentOnThisJdk() throws Exception {
    List<String> plain = compare(System.getProperty("java.home"), "this JDK");
    int feature = Runtime.version().feature();
    if (feature < 21) { // on JDK 21+ (the tests run with JDK 25) the virtual threads' part runs
      assertThat(plain).as("JDK %d has no virtual threads: said so", feature)
          .contains("virtual#0 skipped=virtual threads need JDK 21+, this is " + feature);
    } else {
      assertThat(plain).as("JDK %d: virtual threads ran", feature).anyMatch(l -> l.startsWith("virtual#0 results="));
    }
  }

  @Test
  void sameTranscriptWithAndWithoutTheAgentOnJdk25() throws Exception {
    String jdk25 = ForkedJvm.jdk25OrSkip();
    List<String> plain = compare(jdk25, "JDK 25");
    assertThat(plain).as("virtual threads ran").anyMatch(l -> l.startsWith("virtual#0 results=[v0 virtual=true"));
  }

  /** @return the transcript without the agent */
  private List<String> compare(String javaHome, String jdk) throws Exception {
    String[] args = {String.valueOf(SEED), String.valueOf(ITERATIONS)};
    Path out = dir.resolve("spans");
    ForkedJvm.Result plain = ForkedJvm.plain().javaHome(javaHome).run(DifferentialProgram.class, args);
    ForkedJvm.Result traced = ForkedJvm.withAgent().javaHome(javaHome)
        .jvmArg("-Dracetrace.include=dev.racetrace.it.programs", "-Dracetrace.out=" + out)
        .run(DifferentialProgram.class, args);
    String rerun = "seed " + SEED + " on " + jdk + " (rerun: -Dracetrace.differential.seed=" + SEED + ")";
    assertThat(plain.exitCode).as("without the agent, %s: %s", rerun, plain).isZero();
    assertThat(traced.exitCode).as("with the agent, %s: %s", rerun, traced).isZero();
    List<String> without = plain.stdout.lines().collect(Collectors.toList());
    List<String> with = traced.stdout.lines().collect(Collectors.toList());
    for (int i = 0; i < Math.max(without.size(), with.size()); i++) {
      String a = i < without.size() ? without.get(i) : "<end>";
      String b = i < with.size() ? with.get(i) : "<end>";
      if (!a.equals(b)) {
        fail("the agent changed what the application observes, %s; first difference at line %d:%n"
            + "  without: %s%n  with:    %s", rerun, i + 1, a, b);
      }
    }
    // the transcript is worth comparing: every scenario ran, none broke, every rejection policy
    assertThat(without).as(rerun).hasSizeGreaterThan(200 * ITERATIONS)
        .noneMatch(l -> l.contains("scenario.failed=") || l.contains("RACETRACE-FRAMES"));
    for (String s : SCENARIOS) {
      assertThat(without).as("scenario %s ran, %s", s, rerun).anyMatch(l -> l.startsWith(s + "#0 "));
    }
    for (String policy : List.of("AbortPolicy", "CallerRunsPolicy", "DiscardOldestPolicy", "DiscardPolicy", "custom")) {
      assertThat(without).as("policy %s, %s", policy, rerun)
          .anyMatch(l -> l.startsWith("tpe#") && l.contains(" config=") && l.endsWith("policy=" + policy));
    }
    assertThat(traced.nonEmptyStderr().lines()).as(rerun).hasSize(1).allMatch(l -> l.startsWith("racetrace "));
    Set<String> recorded = SpanFile.readDir(out).spans.stream().map(SpanFile.Span::event).collect(Collectors.toSet());
    assertThat(recorded).as("every hook family was active").containsAll(EVENTS);
    return without;
  }
}
