package dev.racetrace.analyzer.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.analyzer.testing.FakeNode;
import dev.racetrace.analyzer.testing.Timelines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardClassifierTest {
  @TempDir
  Path dir;

  private GuardFinding classify(UnaryOperator<FakeNode.Work> guards) throws Exception {
    FakeNode n = FakeNode.named("n");
    guards.apply(n.run(n.dispatch(n.enqueue("B", "k")), "worker-1").seeing("entities", 0))
        .end();
    return GuardClassifier.classify(Timelines.op(Timelines.of(dir, n), "k", "B"));
  }

  @Test
  void aTimedWaitThatExpiredOutranksTheOtherGuards() throws Exception {
    GuardFinding g = classify(w -> w.latchAwait("L", true).flagRead("F", true)
        .timedWait("C", true, Duration.ofSeconds(30)));

    assertThat(g.kind()).isEqualTo(GuardKind.TIMED_WAIT_EXPIRED);
    assertThat(g.object()).isEqualTo("C");
    assertThat(g.site()).isEqualTo("Node.awaitMetadata:88");
    assertThat(g.allGuards()).hasSize(3);
    assertThat(g.stateSeen()).containsEntry("entities", 0L);
  }

  @Test
  void aFlagReadTrueIsAReadinessFlag() throws Exception {
    assertThat(classify(w -> w.latchAwait("L", true).flagRead("F", true)).kind())
        .isEqualTo(GuardKind.READINESS_FLAG);
  }

  @Test
  void anAlreadyOpenLatchIsTheStartupLatch() throws Exception {
    assertThat(classify(w -> w.latchAwait("L", true)).kind())
        .isEqualTo(GuardKind.STARTUP_LATCH_TRIVIAL);
  }

  @Test
  void aGuardThatReallyWaitedIsOther() throws Exception {
    assertThat(classify(w -> w.await("semaphore.acquire", "semaphore", "S",
        Duration.ofMillis(4))).kind()).isEqualTo(GuardKind.OTHER);
  }

  @Test
  void noGuardAtAll() throws Exception {
    GuardFinding g = classify(w -> w);

    assertThat(g.kind()).isEqualTo(GuardKind.NO_GUARD);
    assertThat(g.guard()).isNull();
  }

  @Test
  void aSleepIsNeverTheGuard() throws Exception {
    GuardFinding alone = classify(w -> w.sleep(Duration.ofMillis(50)));
    GuardFinding withFlag = classify(w -> w.sleep(Duration.ofMillis(50)).flagRead("F", true));

    assertThat(alone.kind()).isEqualTo(GuardKind.NO_GUARD);
    assertThat(alone.guard()).isNull();
    assertThat(withFlag.kind()).isEqualTo(GuardKind.READINESS_FLAG);
    assertThat(withFlag.object()).isEqualTo("F");
  }
}
