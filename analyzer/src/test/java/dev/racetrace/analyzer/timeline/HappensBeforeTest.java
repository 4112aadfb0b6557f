package dev.racetrace.analyzer.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.analyzer.testing.FakeNode;
import dev.racetrace.analyzer.testing.Timelines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which recorded edges make "A before B" guaranteed rather than luck. */
class HappensBeforeTest {
  @TempDir
  Path dir;

  /** The recorded path that orders key k's A before its B on {@code n}, or null. */
  private HbPath aToB(FakeNode n) throws Exception {
    return aToB(Timelines.of(dir, n));
  }

  private static HbPath aToB(NodeTimeline tl) {
    return tl.happensBefore().path(Timelines.op(tl, "k", "A"), Timelines.op(tl, "k", "B"));
  }

  @Test
  void aSignalThatReleasedTheWaitOrdersThem() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Task a = n.dispatch(n.enqueue("A", "k"));
    FakeNode.Task b = n.dispatch(n.enqueue("B", "k"));
    FakeNode.Work bw = n.run(b, "worker-2");
    n.run(a, "worker-1").signal("latch.count_down", "latch", "L").end();
    bw.await("latch.await", "latch", "L", Duration.ofMillis(5)).end();

    HbPath path = aToB(n);

    assertThat(path).isNotNull();
    assertThat(path.steps()).extracting(HbPath.Step::edge).containsExactly(HbPath.Edge.SIGNAL);
    assertThat(path.describe()).isEqualTo("latch.count_down L seq 11 -> latch.await seq 13");
  }

  @Test
  void twoObjectsSharingANameAreNoEdge() throws Exception {
    // one latch per key, both named after the same local: A opened its own, B waited on another
    FakeNode n = FakeNode.named("n");
    FakeNode.Task a = n.dispatch(n.enqueue("A", "k"));
    FakeNode.Task b = n.dispatch(n.enqueue("B", "k"));
    FakeNode.Work bw = n.run(b, "worker-2");
    n.run(a, "worker-1").signal("latch.count_down", "latch", "Cache.await:l").objectId("1a2b").end();
    bw.await("latch.await", "latch", "Cache.await:l", Duration.ofMillis(5)).objectId("3c4d").end();

    assertThat(aToB(n)).isNull();
  }

  @Test
  void aNotifyOrdersALaterPredicateCheckUnderTheSameMonitorEvenWithoutAWait() throws Exception {
    // B's loop found the state at once: it entered the monitor after A's notify and released it,
    // while A went on working outside the monitor
    HbPath path = aToB(notifyThenCheck("c0ffee", "c0ffee"));

    assertThat(path).isNotNull();
    assertThat(path.describe()).isEqualTo("monitor.notify M seq 10 -> condition.check seq 12");
  }

  @Test
  void aCheckOnAnotherMonitorOfTheSameNameOrWithoutIdentityIsNoEdge() throws Exception {
    assertThat(aToB(notifyThenCheck("c0ffee", "beef"))).isNull();
    assertThat(aToB(notifyThenCheck("c0ffee", null)))
        .as("a check that names no identity (older agents)").isNull();
  }

  private NodeTimeline notifyThenCheck(String notifiedId, String checkedId) throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Task a = n.dispatch(n.enqueue("A", "k"));
    FakeNode.Task b = n.dispatch(n.enqueue("B", "k"));
    FakeNode.Work aw = n.run(a, "worker-1").signal("monitor.notify", "monitor", "M")
        .objectId(notifiedId);
    FakeNode.Work bw = n.run(b, "worker-2").conditionCheck("M", false);
    if (checkedId != null) {
      bw.objectId(checkedId);
    }
    bw.end();
    aw.end();
    return Timelines.of(Files.createDirectories(dir.resolve(notifiedId + "-" + checkedId)), n);
  }

  @Test
  void aWaitThatTimedOutIsNoEdge() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Task a = n.dispatch(n.enqueue("A", "k"));
    FakeNode.Task b = n.dispatch(n.enqueue("B", "k"));
    n.run(a, "worker-1").signal("condition.signal", "condition", "C").end();
    n.run(b, "worker-2").timedWait("C", true, Duration.ofSeconds(30)).end();

    assertThat(aToB(n)).isNull();
  }

  @Test
  void nextTaskOnTheSamePoolThreadIsLuckWhenThePoolHasOtherThreads() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Task a = n.dispatch(n.enqueue("A", "k"));
    FakeNode.Task b = n.dispatch(n.enqueue("B", "k"));
    FakeNode.Task other = n.dispatch(n.enqueue("X", "other"));
    n.run(a, "worker-1").end();
    n.run(b, "worker-1").end();
    n.run(other, "worker-2").end();

    assertThat(aToB(n)).isNull();
  }

  @Test
  void programOrderOfTheOnlyConsumerIsAGuarantee() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Element a = n.enqueue("A", "k");
    FakeNode.Element b = n.enqueue("B", "k");
    n.process(a, "consumer").end();
    n.process(b, "consumer").end();

    HbPath path = aToB(n);

    assertThat(path).isNotNull();
    assertThat(path.describe())
        .isEqualTo("program order on consumer, the only consumer of Node.workQueue");
  }

  @Test
  void aWorkerTakingTheNextElementFromASharedQueueIsLuck() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Element a = n.enqueue("A", "k");
    FakeNode.Element b = n.enqueue("B", "k");
    FakeNode.Element x = n.enqueue("X", "other");
    n.process(a, "worker-1").end();
    n.process(b, "worker-1").end();
    n.process(x, "worker-2").end();

    assertThat(aToB(n)).isNull();
  }

  @Test
  void aThreadHandingItselfTheKeysNextElementOrdersThem() throws Exception {
    // A per-key lane: the worker that finished A polls the key's next operation itself.
    FakeNode n = FakeNode.named("n");
    FakeNode.Element a = n.enqueue("A", "k");
    FakeNode.Element b = n.enqueueOn("KeyLane.waiting", "B", "k", "intake", Long.MIN_VALUE);
    FakeNode.Element x = n.enqueueOn("KeyLane.waiting", "X", "other", "intake", Long.MIN_VALUE);
    n.process(a, "worker-1").end();
    n.process(b, "worker-1", false).end();
    n.process(x, "worker-2", false).end();

    HbPath path = aToB(n);

    assertThat(path).isNotNull();
    assertThat(path.steps()).extracting(HbPath.Step::edge).containsExactly(HbPath.Edge.HAND_OFF);
  }

  @Test
  void anOperationThatEnqueuesTheNextOneOrdersIt() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Work aw = n.run(n.dispatch(n.enqueue("A", "k")), "worker-1");
    FakeNode.Element b = aw.enqueue("B", "k");
    aw.end();
    n.run(n.dispatch(b), "worker-2").end();
    n.runToEnd("X", "other", "worker-3");

    HbPath path = aToB(n);

    assertThat(path).isNotNull();
    assertThat(path.steps()).extracting(HbPath.Step::edge)
        .containsExactly(HbPath.Edge.QUEUE, HbPath.Edge.TASK);
  }

  @Test
  void precedesWhenEndedBeforeProceedingOrOrderedByASignal() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Task a = n.dispatch(n.enqueue("A", "k"));
    FakeNode.Task b = n.dispatch(n.enqueue("B", "k"));
    FakeNode.Work aw = n.run(a, "worker-1").signal("latch.count_down", "latch", "L");
    n.run(b, "worker-2").await("latch.await", "latch", "L", Duration.ofMillis(1)).end();
    aw.end();

    NodeTimeline tl = Timelines.of(dir, n);
    OperationInstance ai = Timelines.op(tl, "k", "A");
    OperationInstance bi = Timelines.op(tl, "k", "B");

    assertThat(ai.endSeq()).isGreaterThan(bi.proceedSeq());
    assertThat(tl.precedes(ai, bi)).isTrue();
    assertThat(tl.precedes(bi, ai)).isFalse();
  }
}
