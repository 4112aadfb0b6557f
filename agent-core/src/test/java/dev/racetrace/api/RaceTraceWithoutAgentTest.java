package dev.racetrace.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.Recorder;
import dev.racetrace.core.buffer.RingRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Without the agent (the recorder never started) the API does nothing and costs nothing. */
class RaceTraceWithoutAgentTest {
  @Test
  void apiCallsAreNoOpsWhenTheAgentIsAbsent() {
    assertThat(Recorder.isRecording()).isFalse();
    assertThat(RaceTrace.isActive()).isFalse();
    AtomicInteger reads = new AtomicInteger();
    RaceTrace.state("metadata.entities", () -> reads.incrementAndGet());
    RaceTrace.mark("publish", "order-1");
    RaceTrace.mark(null, null);
    RaceTrace.state(null, null);
    assertThat(reads).hasValue(0); // the probe is never read
    long rings = 0;
    for (RingRegistry.Entry e : Recorder.registry().entries()) {
      rings++;
    }
    assertThat(rings).as("nothing was recorded, so no ring exists").isZero();
    assertThat(Recorder.currentSeq()).isZero();
  }
}
