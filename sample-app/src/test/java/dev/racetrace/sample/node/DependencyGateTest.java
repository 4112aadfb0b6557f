package dev.racetrace.sample.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fixed mode's per-key gate, driven by hand (no workers running). */
class DependencyGateTest {
  private final Node node = new Node(
      new NodeConfig("node-1", 1, 4, Mode.FIXED, false, 1, 10, false),
      new NodeLog(new PrintStream(OutputStream.nullOutputStream()), false));
  private final DependencyGate gate = new DependencyGate(node);

  @AfterEach
  void close() {
    node.close();
  }

  @Test
  void oneOperationPerKeyAtATimeInLogOrder() {
    LoadMetadata a = new LoadMetadata(0, new MetadataEntry("k", 1, 90));
    Derive b = new Derive(1, "k", 100);
    Publish c = new Publish(2, "k");
    gate.admit(a);
    gate.admit(b);
    gate.admit(c);
    assertThat(drain()).containsExactly(a);
    assertThat(gate.waiting("k")).isEqualTo(2);
    assertThat(gate.next(a)).isSameAs(b);
    assertThat(gate.next(b)).isSameAs(c);
    assertThat(gate.next(c)).isNull();
    assertThat(drain()).isEmpty();
    assertThat(gate.waiting("k")).isZero();
  }

  @Test
  void anIdleKeyGoesStraightToTheQueue() {
    LoadMetadata a = new LoadMetadata(0, new MetadataEntry("k", 1, 90));
    Derive b = new Derive(1, "k", 100);
    gate.admit(a);
    assertThat(drain()).containsExactly(a);
    assertThat(gate.next(a)).isNull();
    gate.admit(b);
    assertThat(drain()).containsExactly(b);
  }

  @Test
  void otherKeysAreNotHeldUp() {
    LoadMetadata a1 = new LoadMetadata(0, new MetadataEntry("k1", 1, 90));
    Derive b1 = new Derive(1, "k1", 100);
    LoadMetadata a2 = new LoadMetadata(2, new MetadataEntry("k2", 1, 90));
    gate.admit(a1);
    gate.admit(b1);
    gate.admit(a2);
    assertThat(drain()).containsExactly(a1, a2);
  }

  @Test
  void backgroundWorkWithoutAKeyIsNotGated() {
    Compaction c1 = new Compaction(0, 0, 1);
    Compaction c2 = new Compaction(1, 1, 1);
    gate.admit(c1);
    gate.admit(c2);
    assertThat(drain()).containsExactly(c1, c2);
    assertThat(gate.next(c1)).isNull();
  }

  @Test
  void successNoOpAndFailurePathsAllHandOn() {
    node.ready = true;
    node.startupLatch.countDown();
    LoadMetadata valid = new LoadMetadata(0, new MetadataEntry("k", 1, 90));
    LoadMetadata duplicate = new LoadMetadata(1, new MetadataEntry("k", 1, 90));
    LoadMetadata invalid = new LoadMetadata(2, new MetadataEntry("k", 2, 0));
    Derive derive = new Derive(3, "k", 100);
    Publish publish = new Publish(4, "k");
    for (Operation op : List.of(valid, duplicate, invalid, derive, publish)) {
      node.admit(op);
    }
    // What a worker does: take one, then keep running what the gate hands on.
    List<Operation> ran = new ArrayList<>();
    Operation op = node.workQueue.poll();
    while (op != null) {
      ran.add(op);
      node.process(op);
      op = node.handOn(op);
    }
    assertThat(ran).containsExactly(valid, duplicate, invalid, derive, publish);
    assertThat(node.status().failed()).as("the invalid metadata failed").isEqualTo(1);
    assertThat(node.records().get("k")).hasValueSatisfying(r -> {
      assertThat(r.metadataVersion()).isEqualTo(1);
      assertThat(r.value()).isEqualTo("90");
    });
  }

  private List<Operation> drain() {
    List<Operation> l = new ArrayList<>();
    node.workQueue.drainTo(l);
    return l;
  }
}
