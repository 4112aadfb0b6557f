package dev.racetrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A full heap when a thread's first event needs its ring: the allocation fails once, is counted,
 * and that thread and every later one write to the shared rings; no event retries the allocation.
 * Runs in a fresh JVM with a small heap, since the recorder is process-wide.
 */
class RingExhaustionTest {
  /** The forked program: fills the heap to just under a ring's size, then records from 20 threads. */
  public static void main(String[] args) throws Exception {
    Recorder.start(new Recorder.Settings(1 << 16, 10_000, 2)); // 4.5 MiB per ring
    List<byte[]> ballast = new ArrayList<>();
    try {
      while (true) {
        ballast.add(new byte[1 << 20]);
      }
    } catch (OutOfMemoryError e) {
      ballast.remove(ballast.size() - 1); // 1-2 MiB free: small objects fit, a ring does not
      ballast.remove(ballast.size() - 1);
    }
    long recorded = 0;
    for (int t = 0; t < 20; t++) {
      long[] n = new long[1];
      Thread th = new Thread(() -> {
        for (int i = 0; i < 1000; i++) {
          if (Recorder.shouldRecord()) {
            Recorder.record(EventKind.QUEUE_ENQUEUE, 0, 0, 0, null, null, 0, 0, 0, Recorder.nextSeq(), 1L, null, null);
            n[0]++;
          }
        }
      });
      th.start();
      th.join();
      recorded += n[0];
    }
    System.out.println("ballast=" + ballast.size() + " recorded>0=" + (recorded > 0)
        + " failures=" + Recorder.ringAllocationFailures() + " internalErrors=" + Recorder.internalErrors());
  }

  @Test
  void aRingThatCannotBeAllocatedFailsOnceAndThreadsUseTheSharedRings() throws IOException, InterruptedException {
    // finishing within the fixture's time limit means no thread retries the allocation per event
    String out = FreshJvm.run(RingExhaustionTest.class, "-Xmx48m");
    assertThat(out).contains("recorded>0=true failures=1 internalErrors=1");
  }
}
