package dev.racetrace.analyzer.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.analyzer.testing.FakeNode;
import dev.racetrace.analyzer.testing.Timelines;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How spans become operation instances with start, proceed and end points. */
class TimelineBuilderTest {
  @TempDir
  Path dir;

  @Test
  void dequeueAndTheTaskItWasHandedToAreOneOperation() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Element e = n.enqueue("derive", "k");            // seq 1
    FakeNode.Task t = n.dispatch(e);                          // 2 dequeue, 3 submit, 4 end
    n.run(t, "worker-1")                                       // 5 start
        .latchAwait("Node.startupLatch", true)                 // 6
        .flagRead("Node.ready", true)                          // 7
        .end();                                                // 8

    NodeTimeline tl = Timelines.of(dir, n);

    assertThat(tl.operations("k")).hasSize(1);
    OperationInstance d = tl.operations("k").get(0);
    assertThat(d.op()).isEqualTo("derive");
    assertThat(d.parts()).hasSize(2);
    assertThat(d.initSeq()).isEqualTo(1);
    assertThat(d.startSeq()).isEqualTo(2);
    assertThat(d.lastStartSeq()).isEqualTo(5);
    assertThat(d.proceedSeq()).isEqualTo(7);
    assertThat(d.endSeq()).isEqualTo(8);
    assertThat(d.guards()).hasSize(2);
    assertThat(d.threads()).containsExactly(FakeNode.DISPATCHER, "worker-1");
    assertThat(d.ended()).isTrue();
  }

  @Test
  void withoutGuardsAnOperationProceedsWhenItsLastWorkStarts() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Task t = n.dispatch(n.enqueue("publish", "k"));
    n.run(t, "worker-1").end();

    OperationInstance p = Timelines.op(Timelines.of(dir, n), "k", "publish");

    assertThat(p.proceedSeq()).isEqualTo(p.lastStartSeq()).isEqualTo(5);
    assertThat(p.guards()).isEmpty();
  }

  @Test
  void anElementNeverDequeuedIsAPendingOperation() throws Exception {
    FakeNode n = FakeNode.named("n");
    n.enqueue("load-metadata", "k");

    OperationInstance a = Timelines.op(Timelines.of(dir, n), "k", "load-metadata");

    assertThat(a.pending()).isTrue();
    assertThat(a.ended()).isFalse();
    assertThat(a.initSeq()).isEqualTo(1);
  }

  @Test
  void aHandOffThatNeverRanLeavesTheOperationUnfinished() throws Exception {
    FakeNode n = FakeNode.named("n");
    n.dispatch(n.enqueue("load-metadata", "k"));

    OperationInstance a = Timelines.op(Timelines.of(dir, n), "k", "load-metadata");

    assertThat(a.pending()).isFalse();
    assertThat(a.pendingContinuation()).isTrue();
    assertThat(a.ended()).isFalse();
  }

  @Test
  void inlineProcessingEndsAtTheConsumersNextDequeue() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Element e = n.enqueue("derive", "k");
    n.process(e, "consumer").seeing("metadata.entities", 3).flagRead("Node.ready", true).end();

    OperationInstance d = Timelines.op(Timelines.of(dir, n), "k", "derive");

    assertThat(d.parts()).hasSize(1);
    assertThat(d.proceedSeq()).isEqualTo(3);
    assertThat(d.endSeq()).isEqualTo(4);
    assertThat(d.stateAtStart()).containsEntry("metadata.entities", 3L);
    assertThat(d.queueWaitNs()).isEqualTo(1_000_000L);
  }

  @Test
  void anUnobservedEndIsInferredFromTheLastThingSeen() throws Exception {
    FakeNode n = FakeNode.named("n");
    n.process(n.enqueue("derive", "k"), "consumer").flagRead("Node.ready", true)
        .endUnobserved();

    OperationInstance d = Timelines.op(Timelines.of(dir, n), "k", "derive");

    assertThat(d.endInferred()).isTrue();
    assertThat(d.endSeq()).isEqualTo(3);
  }

  @Test
  void aMarkOfTheSameOpBelongsToItsWorkAndAnotherOpsMarkIsItsOwnOperation() throws Exception {
    FakeNode n = FakeNode.named("n");
    n.run(n.dispatch(n.enqueue("publish", "k")), "worker-1").mark("publish").end();
    n.run(n.dispatch(n.enqueue("derive", "k")), "worker-1").mark("audit").end();

    NodeTimeline tl = Timelines.of(dir, n);

    assertThat(tl.operations("k")).extracting(OperationInstance::op)
        .containsExactlyInAnyOrder("publish", "derive", "audit");
    assertThat(Timelines.op(tl, "k", "publish").notes()).hasSize(1);
  }

  @Test
  void aMarkInsideAnotherOperationsWorkHasPassedTheGuardsBeforeIt() throws Exception {
    FakeNode n = FakeNode.named("n");
    n.run(n.dispatch(n.enqueue("Task", "k")), "worker-1").flagRead("Node.ready", true)
        .mark("derive").latchAwait("later", true).end();

    OperationInstance derive = Timelines.op(Timelines.of(dir, n), "k", "derive");

    assertThat(derive.guards()).extracting(g -> g.resource()).containsExactly("Node.ready");
    assertThat(derive.proceedSeq()).isEqualTo(derive.startSeq());
  }

  @Test
  void repeatedOperationsOnAKeyAreNumberedInEnqueueOrder() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Element first = n.enqueue("derive", "k");
    FakeNode.Element second = n.enqueue("derive", "k");
    n.run(n.dispatch(second), "worker-1").end();
    n.run(n.dispatch(first), "worker-2").end();

    NodeTimeline tl = Timelines.of(dir, n);

    assertThat(tl.operations("k")).extracting(OperationInstance::index).containsExactly(1, 2);
    assertThat(tl.operations("k").get(0).initSeq()).isEqualTo(first.seq());
  }

  @Test
  void keysAreKeptApart() throws Exception {
    FakeNode n = FakeNode.named("n");
    FakeNode.Element a = n.enqueue("derive", "k1");
    FakeNode.Element b = n.enqueue("derive", "k2");
    n.run(n.dispatch(b), "worker-1").end();
    n.advance(Duration.ofSeconds(1));
    n.run(n.dispatch(a), "worker-1").end();

    NodeTimeline tl = Timelines.of(dir, n);

    assertThat(tl.keys()).containsExactlyInAnyOrder("k1", "k2");
    assertThat(tl.operations("k1")).hasSize(1);
    assertThat(tl.operations("k2")).hasSize(1);
  }
}
