package dev.racetrace.analyzer.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.analyzer.testing.FakeNode;
import dev.racetrace.analyzer.testing.Timelines;
import dev.racetrace.analyzer.timeline.NodeTimeline;
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
}
