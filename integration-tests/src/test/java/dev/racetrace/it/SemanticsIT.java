package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.programs.SemanticsProgram;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent never changes what a program computes: every instrumented API, edge cases included
 * (full queues, timeouts, interrupts, exceptions, rejections, illegal monitor states, tasks that
 * the executor or a rejection handler inspects), prints the same with and without it.
 */
class SemanticsIT {
  private static final Set<String> EVENTS = Set.of("queue.enqueue", "queue.dequeue", "queue.peek",
      "queue.drain", "task.submit", "task.start", "latch.await", "latch.count_down", "latch.get_count",
      "semaphore.acquire", "semaphore.release", "barrier.await", "phaser.arrive", "phaser.await",
      "condition.await", "condition.signal", "lock.acquire", "lock.release", "monitor.wait",
      "monitor.notify", "future.get", "thread.sleep");

  @TempDir Path dir;

  @Test
  void sameBehaviourOnThisJdk() throws Exception {
    check(System.getProperty("java.home"));
  }

  @Test
  void sameBehaviourOnJdk25() throws Exception {
    check(ForkedJvm.jdk25OrSkip());
  }

  private void check(String javaHome) throws Exception {
    Path out = dir.resolve("spans");
    SideBySide both = SideBySide.run(javaHome, out, List.of(), SemanticsProgram.class);
    assertThat(both.plain().stdout.lines().count()).isGreaterThan(90);
    assertThat(both.traced().nonEmptyStderr().lines()).hasSize(1).allMatch(l -> l.startsWith("racetrace "));

    SpanFile spans = SpanFile.readDir(out);
    Set<String> recorded = spans.spans.stream().map(SpanFile.Span::event).collect(Collectors.toSet());
    assertThat(recorded).as("every hook family was active").containsAll(EVENTS);
    // (type-level advice of the program's own queue class is installed in the background and may
    // arrive after this short program used it: TypeAdviceIT covers it)
  }
}
