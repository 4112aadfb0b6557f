package dev.racetrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.buffer.RingRegistry;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An event's state values ("what the thread could see") are written after it; a drain pass that
 * took the event alone would leave them behind, and the span would lack them (GuardsIT once found a
 * dequeue without its queue.backlog). The event is committed only with its values, so a drain
 * takes all of them or none. Runs in a fresh JVM: probes, once registered, stay for the process.
 */
class StateTravelsWithItsEventTest {
  /** The forked program: drains while the recording thread is inside its second probe. */
  public static void main(String[] args) throws Exception {
    Recorder.start(new Recorder.Settings(1024, 64, 2));
    CountDownLatch inProbe = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StateProbes.register("first", () -> 1);
    StateProbes.register("second", () -> {
      inProbe.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 2;
    });
    Thread recording = new Thread(() -> Recorder.recordWithState(EventKind.QUEUE_DEQUEUE, Outcome.OK, 0, 0,
        null, null, 0, 0, 0, Recorder.nextSeq(), 1L, null, null), "recording");
    recording.start();
    inProbe.await(10, TimeUnit.SECONDS);
    EventRing ring = null;
    for (RingRegistry.Entry e : Recorder.registry().entries()) {
      if (e.owner() == recording) {
        ring = e.ring();
      }
    }
    long[] buf = new long[16 * EventRing.RECORD_LONGS];
    Object[] refs = new Object[16 * EventRing.RECORD_REFS];
    int during = ring.drainTo(buf, refs, 16);
    release.countDown();
    recording.join(10_000);
    int after = ring.drainTo(buf, refs, 16);
    StringBuilder kinds = new StringBuilder();
    for (int i = 0; i < after; i++) {
      long meta = buf[i * EventRing.RECORD_LONGS + EventRing.META];
      kinds.append(meta & 0xFF).append('/').append(buf[i * EventRing.RECORD_LONGS + EventRing.HEADER]).append(' ');
    }
    System.out.println("during=" + during + " after=" + after + " kinds=" + kinds.toString().trim()
        + " errors=" + Recorder.internalErrors());
  }

  @Test
  void aDrainPassTakesAnEventWithAllItsStateValuesOrWaits() throws IOException, InterruptedException {
    String out = FreshJvm.run(StateTravelsWithItsEventTest.class);
    int dequeue = EventKind.QUEUE_DEQUEUE;
    int state = EventKind.STATE;
    // the seq is the first one handed out
    assertThat(out).contains("during=0 after=3 kinds=" + dequeue + "/1 " + state + "/1 " + state + "/1 errors=0");
  }
}
