package dev.racetrace.analyzer.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.analyzer.testing.FakeNode;
import dev.racetrace.analyzer.testing.Timelines;
import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.OperationInstance;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An order held is "guaranteed" only when no timed wait could have let it go on. */
class OrderGuaranteeTest {
  @TempDir
  Path dir;

  private OrderGuarantee guarantee(boolean timed) throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Task a = n.dispatch(n.enqueue("A", "k"));
    FakeNode.Task b = n.dispatch(n.enqueue("B", "k"));
    FakeNode.Work bw = n.run(b, "worker-2");
    n.run(a, "worker-1").signal("latch.count_down", "latch", "L").end();
    if (timed) {
      bw.timedAwaitSignalled("latch.await", "latch", "L", Duration.ofMillis(5)).end();
    } else {
      bw.await("latch.await", "latch", "L", Duration.ofMillis(5)).end();
    }
    NodeTimeline tl = Timelines.of(dir, n);
    return OrderGuarantee.check(tl, Timelines.op(tl, "k", "A"), Timelines.op(tl, "k", "B"));
  }

  @Test
  void anUntimedWaitSignalledByTheFirstOperationIsAGuarantee() throws Exception {
    OrderGuarantee g = guarantee(false);

    assertThat(g.guaranteed()).isTrue();
    assertThat(g.timedWait()).isNull();
    assertThat(g.describe()).isEqualTo("guaranteed (latch.count_down L seq 11 -> latch.await seq 13)");
  }

  @Test
  void aTimedWaitSignalledInTimeHeldByTimingOnly() throws Exception {
    OrderGuarantee g = guarantee(true);

    assertThat(g.guaranteed()).isFalse();
    assertThat(g.timedWait()).isNotNull();
    assertThat(g.describe()).isEqualTo("held by timing (timed wait, would have proceeded on "
        + "timeout: latch.count_down L seq 11 -> latch.await seq 13)");
  }

  /**
   * A finishes after B read a readiness flag but before B takes the condition's lock and checks
   * the predicate ({@code condition.check}, no wait needed): B proceeded at the check, so the
   * order held, through A's unlock and B's lock.
   */
  private OrderGuarantee checkedUnderTheLock(boolean timedLoop) throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Task a = n.dispatch(n.enqueue("A", "k"));
    FakeNode.Task b = n.dispatch(n.enqueue("B", "k"));
    FakeNode.Work bw = n.run(b, "worker-2").flagRead("ready", true);
    n.run(a, "worker-1").lock("lock").signal("condition.signal", "condition", "warmed")
        .unlock("lock").end();
    bw.lock("lock").conditionCheck("warmed", timedLoop).unlock("lock").end();
    NodeTimeline tl = Timelines.of(dir, n);
    OperationInstance second = Timelines.op(tl, "k", "B");
    assertThat(second.proceedSpan().event()).as("B proceeds at the predicate check")
        .isEqualTo("condition.check");
    return OrderGuarantee.check(tl, Timelines.op(tl, "k", "A"), second);
  }

  @Test
  void aPredicateCheckUnderTheLockOfAnUntimedLoopIsAGuarantee() throws Exception {
    OrderGuarantee g = checkedUnderTheLock(false);

    assertThat(g).as("in order: B decided under the lock, after A").isNotNull();
    assertThat(g.guaranteed()).isTrue();
    assertThat(g.describe()).startsWith("guaranteed (lock.release lock seq ");
  }

  @Test
  void aPredicateCheckOfATimedLoopIsHeldByTimingLikeAnOpenLatchWithATimedAwait()
      throws Exception {
    OrderGuarantee g = checkedUnderTheLock(true);

    assertThat(g).as("in order: B decided under the lock, after A").isNotNull();
    assertThat(g.guaranteed()).isFalse();
    assertThat(g.timedWait().event()).isEqualTo("condition.check");
    assertThat(g.describe()).startsWith("held by timing (timed wait, would have proceeded on "
        + "timeout: lock.release lock seq ");
  }

  @Test
  void aSleepAfterTheCheckDoesNotMoveTheProceedPoint() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Task b = n.dispatch(n.enqueue("B", "k"));
    n.run(b, "worker-2").flagRead("ready", true).sleep(Duration.ofMillis(20)).end();
    NodeTimeline tl = Timelines.of(dir, n);

    assertThat(Timelines.op(tl, "k", "B").proceedSpan().event()).isEqualTo("flag.read");
  }
}
