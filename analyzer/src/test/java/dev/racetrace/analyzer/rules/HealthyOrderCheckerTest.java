package dev.racetrace.analyzer.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.analyzer.testing.FakeNode;
import dev.racetrace.analyzer.testing.Timelines;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthyOrderCheckerTest {
  @TempDir
  Path dir;

  private FakeNode inOrder(String id, List<String> runOrder) {
    FakeNode n = FakeNode.named(id);
    java.util.Map<String, FakeNode.Task> tasks = new java.util.HashMap<>();
    for (String op : List.of("A", "B")) {
      tasks.put(op, n.dispatch(n.enqueue(op, "k")));
    }
    for (String op : runOrder) {
      n.run(tasks.get(op), "worker-1").end();
    }
    return n;
  }

  @Test
  void theSuspectDepartsFromTheHealthyOrder() throws Exception {
    OrderBreak b = HealthyOrderChecker.firstBreak(
        Timelines.of(dir, inOrder("bad", List.of("B", "A"))),
        Timelines.of(dir, inOrder("good", List.of("A", "B"))), "k");

    assertThat(b.reason()).isEqualTo(OrderBreak.Reason.HEALTHY_ORDER);
    assertThat(b.early().op()).isEqualTo("B");
    assertThat(b.lateOp()).isEqualTo("A");
    assertThat(b.node()).isEqualTo("bad");
  }

  @Test
  void theSameOrderIsNoBreak() throws Exception {
    assertThat(HealthyOrderChecker.firstBreak(
        Timelines.of(dir, inOrder("n1", List.of("A", "B"))),
        Timelines.of(dir, inOrder("n2", List.of("A", "B"))), "k")).isNull();
  }
}
