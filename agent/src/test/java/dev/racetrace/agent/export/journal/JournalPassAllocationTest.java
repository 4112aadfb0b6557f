package dev.racetrace.agent.export.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.export.JournalCycle;
import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.hook.QueueHooks;
import dev.racetrace.core.site.CallSites;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * The recording path end to end, on one thread: hooks writing ring records, then the exporter's
 * journal pass draining them into the journal (RingDrainer.drainTo into JournalWriter). Once warm
 * neither allocates per event; what a pass allocates (its list of ended threads, the registry's
 * array) is per pass, spread here over 800 events.
 */
class JournalPassAllocationTest {
  private static final int OFFER = CallSites.register("com.acme.Feed", "send", 10, "Queue.offer", "Node.inbox");
  private static final int POLL = CallSites.register("com.acme.Worker", "loop", 20, "Queue.poll", "Node.inbox");
  private static final int PAIRS = 400;

  @Test
  void recordingAndAJournalPassAllocateNothingPerEventOnceWarm() {
    if (!Recorder.isRecording()) {
      Recorder.start(new Recorder.Settings(1024, 64, 2));
    }
    RingDrainer drainer = new RingDrainer(Recorder.registry(), new ThreadDirectory());
    drainer.drain(Integer.MAX_VALUE, new ArrayList<>()); // what earlier tests left
    CountingOutput written = new CountingOutput();
    JournalWriter journal = new JournalWriter(written, new Naming(OpNames.none()), Map.of(JournalHeader.NODE, "n1"),
        JournalCycle.CHUNK_BYTES);
    ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(PAIRS); // no node per element, unlike a linked one
    Object element = new Object();
    List<Long> ended = new ArrayList<>();
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    double perEvent = Double.NaN;
    for (int round = 0; round < 2; round++) { // the first warms the JIT and fills the journal's pools
      long events = 0;
      long before = mx.getThreadAllocatedBytes(id);
      for (int pass = 0; pass < 300; pass++) {
        for (int i = 0; i < PAIRS; i++) {
          QueueHooks.offer(queue, element, OFFER);
          QueueHooks.poll(queue, POLL);
        }
        events += drainer.drainTo(journal, Integer.MAX_VALUE, ended);
      }
      perEvent = (double) (mx.getThreadAllocatedBytes(id) - before) / events;
      assertThat(events).as("events recorded and journaled").isGreaterThan(300L * PAIRS);
    }
    journal.close();

    assertThat(perEvent).as("bytes allocated per recorded and journaled event, a pass's own included")
        .isLessThan(1.0);
    assertThat(written.bytes).as("the journal was written").isPositive();
  }
}
