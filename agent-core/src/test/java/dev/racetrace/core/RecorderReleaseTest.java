package dev.racetrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.buffer.RingRegistry;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After racetrace stopped itself ({@link Recorder#release()}, on an Error in its exporter): no
 * thread records any more, no ring is created for threads seen later, and the rings the registry
 * held can be collected. Runs in a fresh JVM, since the recorder is process-wide and release is final.
 */
class RecorderReleaseTest {
  /** The forked program: records, releases, then checks what is left. */
  public static void main(String[] args) throws Exception {
    Recorder.start(new Recorder.Settings(1 << 12, 100, 2));
    Thread before = new Thread(() -> record(10));
    before.start();
    before.join();
    long beforeRelease = record(10);
    List<WeakReference<Object>> rings = new ArrayList<>(); // two shared, the ended thread's, main's
    for (RingRegistry.Entry e : Recorder.registry().entries()) {
      rings.add(new WeakReference<>(e.ring()));
    }

    Recorder.release();

    long afterOnSameThread = record(10);
    long[] later = new long[1];
    Thread after = new Thread(() -> later[0] = record(10));
    after.start();
    after.join();
    int collected = 0;
    for (int i = 0; i < 20 && collected < rings.size() - 1; i++) {
      System.gc();
      collected = 0;
      for (WeakReference<Object> r : rings) {
        collected += r.get() == null ? 1 : 0;
      }
    }
    // the main thread's own ring lives as long as the main thread: every other ring is let go
    System.out.println("recorded=" + beforeRelease + " afterRelease=" + afterOnSameThread + " laterThread="
        + later[0] + " registered=" + Recorder.registry().entries().length + " collected="
        + collected + "/" + (rings.size() - 1) + " recording=" + Recorder.isRecording());
  }

  private static long record(int n) {
    long recorded = 0;
    for (int i = 0; i < n; i++) {
      if (Recorder.shouldRecord()) {
        Recorder.record(EventKind.QUEUE_ENQUEUE, 0, 0, 0, null, null, 0, 0, 0, Recorder.nextSeq(), 1L, null, null);
        recorded++;
      }
    }
    return recorded;
  }

  @Test
  void afterReleaseNothingIsRecordedNoRingIsCreatedAndTheRingsCanBeCollected()
      throws IOException, InterruptedException {
    String out = FreshJvm.run(RecorderReleaseTest.class, "-Xmx64m");
    assertThat(out).contains("recorded=10 afterRelease=0 laterThread=0 registered=0 collected=3/3 recording=false");
  }
}
