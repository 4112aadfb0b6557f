package dev.racetrace.analyzer.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.analyzer.testing.FakeNode;
import dev.racetrace.analyzer.testing.Timelines;
import dev.racetrace.schema.OrderingRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "A < B per key": A ends before B proceeds, or a recorded happens-before path orders them. */
class RuleCheckerTest {
  @TempDir
  Path dir;

  private static final RuleChecker CHECKER = new RuleChecker(
      List.of(OrderingRule.parse("A < B < C per key")));

  /** {@link #CHECKER}'s first break on key k of {@code n}, or null. */
  private OrderBreak firstBreak(FakeNode n) throws Exception {
    return CHECKER.firstBreak(Timelines.of(dir, n), "k");
  }

  @Test
  void inOrderIsNoBreak() throws Exception {
    FakeNode n = FakeNode.named("n");
    for (String op : List.of("A", "B", "C")) {
      n.runToEnd(op, "k", "worker-1");
    }

    assertThat(firstBreak(n)).isNull();
  }

  @Test
  void bProceedingWhileAIsStillQueuedIsTheFirstBreak() throws Exception {
    FakeNode n = FakeNode.named("n");
    n.enqueue("A", "k");
    n.run(n.dispatch(n.enqueue("B", "k")), "worker-1").flagRead("ready", true).end();
    n.runToEnd("C", "k", "worker-1");

    OrderBreak b = firstBreak(n);

    assertThat(b.early().op()).isEqualTo("B");
    assertThat(b.lateOp()).isEqualTo("A");
    assertThat(b.late().pending()).isTrue();
    assertThat(b.seq()).isEqualTo(b.early().proceedSeq()).isEqualTo(7);
    assertThat(b.summary()).isEqualTo("B proceeded while A was still queued");
  }

  @Test
  void aStillRunningWhenBProceedsIsABreak() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Task a = n.dispatch(n.enqueue("A", "k"));
    FakeNode.Task b = n.dispatch(n.enqueue("B", "k"));
    FakeNode.Work aw = n.run(a, "worker-1");
    n.run(b, "worker-2").latchAwait("startup", true).end();
    aw.end();

    OrderBreak br = firstBreak(n);

    assertThat(br.early().op()).isEqualTo("B");
    assertThat(br.summary()).isEqualTo("B proceeded before A ended");
  }

  @Test
  void bWaitingOnALatchThatACountsDownIsInOrderEvenIfAEndsLater() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Task a = n.dispatch(n.enqueue("A", "k"));
    FakeNode.Task b = n.dispatch(n.enqueue("B", "k"));
    FakeNode.Work bw = n.run(b, "worker-2");
    FakeNode.Work aw = n.run(a, "worker-1").signal("latch.count_down", "latch", "loaded[k]");
    bw.await("latch.await", "latch", "loaded[k]", Duration.ofMillis(3)).end();
    aw.end();

    assertThat(firstBreak(n)).isNull();
  }

  @Test
  void theSameTaskWhoseTimedWaitExpiredFirstIsNot() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Task a = n.dispatch(n.enqueue("A", "k"));
    FakeNode.Task b = n.dispatch(n.enqueue("B", "k"));
    FakeNode.Work bw = n.run(b, "worker-2");
    bw.timedWait("loaded[k]", true, Duration.ofSeconds(30)).end();
    n.run(a, "worker-1").signal("condition.signal", "condition", "loaded[k]").end();

    OrderBreak br = firstBreak(n);

    assertThat(br).isNotNull();
    assertThat(GuardClassifier.classify(br.early()).kind()).isEqualTo(GuardKind.TIMED_WAIT_EXPIRED);
  }

  @Test
  void anAInitiatedAfterBIsNotOvertaken() throws Exception {
    // The key's metadata came from the boot snapshot; an update arrives after derive.
    FakeNode n = FakeNode.named("n");
    n.runToEnd("B", "k", "worker-1");
    n.runToEnd("A", "k", "worker-1");
    n.runToEnd("B", "k", "worker-1");

    assertThat(new RuleChecker(List.of(OrderingRule.parse("A < B"))).firstBreak(
        Timelines.of(dir, n), "k")).isNull();
  }

  @Test
  void theFirstBreakIsTheLowestSeqAcrossRulePairs() throws Exception {
    FakeNode n = FakeNode.named("n");
    n.enqueue("A", "k");
    n.runToEnd("C", "k", "worker-1");
    n.runToEnd("B", "k", "worker-1");

    OrderBreak b = firstBreak(n);

    assertThat(b.early().op()).isEqualTo("C");
    assertThat(b.lateOp()).isEqualTo("A");
  }

  @Test
  void anUpdateOfAQueuedBeforeCMustEndBeforeCProceeds() throws Exception {
    FakeNode n = FakeNode.named("n");
    n.runToEnd("A", "k", "worker-1");
    n.runToEnd("B", "k", "worker-1");
    n.enqueue("A", "k");
    n.runToEnd("C", "k", "worker-1");

    OrderBreak b = firstBreak(n);

    assertThat(b).isNotNull();
    assertThat(b.early().op()).isEqualTo("C");
    assertThat(b.late().index()).isEqualTo(2);
  }
}
