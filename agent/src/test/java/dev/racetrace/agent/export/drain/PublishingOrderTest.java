package dev.racetrace.agent.export.drain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.EventKind;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.hook.QueueHooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An enqueue's seq is taken before the offer and its record written after it, so the consumer may
 * take the element and record its dequeue first. The producer here is held inside the offer, as a
 * preempted thread would be, while the exporter drains: the dequeue must wait for the enqueue it
 * consumed (it was once assembled first, and left unlinked, on a loaded CI machine).
 */
class PublishingOrderTest {
  private RingDrainer drainer;

  @BeforeEach
  void recorder() {
    if (!Recorder.isRecording()) {
      Recorder.start(new Recorder.Settings(1024, 64, 2));
    }
    drainer = new RingDrainer(Recorder.registry(), new ThreadDirectory(), 16);
    drainer.drain(Integer.MAX_VALUE, new ArrayList<>()); // what earlier tests left
  }

  /** A queue whose offer, once the element is in, waits as a preempted producer would. */
  @SuppressWarnings("serial")
  private static final class PausingQueue extends LinkedBlockingQueue<Object> {
    final CountDownLatch offered = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);

    @Override
    public boolean offer(Object e) {
      boolean ok = super.offer(e);
      offered.countDown();
      try {
        resume.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      return ok;
    }
  }

  @Test
  void theSpanDrainHoldsADequeueBackUntilTheEnqueueItTookIsRecorded() throws Exception {
    assertHeldBack(() -> {
      List<Long> seqs = new ArrayList<>();
      for (Event e : drainer.drain(Integer.MAX_VALUE, new ArrayList<>())) {
        seqs.add(e.kind == EventKind.QUEUE_ENQUEUE ? -e.seq : e.seq);
      }
      return seqs;
    });
  }

  @Test
  void theJournalDrainHoldsADequeueBackUntilTheEnqueueItTookIsRecorded() throws Exception {
    assertHeldBack(() -> {
      List<Long> seqs = new ArrayList<>();
      drainer.drainTo((longs, refs, i, name) -> {
        long seq = longs[i * EventRing.RECORD_LONGS + EventRing.HEADER];
        int kind = (int) (longs[i * EventRing.RECORD_LONGS + EventRing.META] & 0xFF);
        seqs.add(kind == EventKind.QUEUE_ENQUEUE ? -seq : seq);
      }, Integer.MAX_VALUE, new ArrayList<>());
      return seqs;
    });
  }

  private interface Pass {
    /** Drains once: the seqs drained, an enqueue's negated. */
    List<Long> drain();
  }

  @SuppressWarnings("unchecked")
  private void assertHeldBack(Pass pass) throws Exception {
    PausingQueue q = new PausingQueue();
    Thread producer = new Thread(() -> QueueHooks.offer((Queue<Object>) (Queue<?>) q, "job", 0), "producer");
    producer.start();
    assertThat(q.offered.await(10, TimeUnit.SECONDS)).isTrue();
    Object[] took = new Object[1];
    Thread consumer = new Thread(() -> {
      try {
        took[0] = QueueHooks.take((BlockingQueue<Object>) (BlockingQueue<?>) q, 0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "consumer");
    consumer.start();
    consumer.join(10_000);
    assertThat(took[0]).isEqualTo("job");

    List<Long> first = pass.drain();
    assertThat(first).as("the consumer's records, not yet the producer's").isNotEmpty().allMatch(s -> s > 0);
    long consumerFirst = first.stream().mapToLong(Long::longValue).min().getAsLong();
    assertThat(drainer.watermark()).as("the consumer's events wait for the enqueue").isLessThan(consumerFirst);

    q.resume.countDown();
    producer.join(10_000);
    List<Long> second = pass.drain();
    long enqueue = -second.stream().filter(s -> s < 0).findFirst().orElseThrow();
    assertThat(enqueue).as("the enqueue's seq comes before the consumer's").isLessThan(consumerFirst);
    long consumerLast = first.stream().mapToLong(Long::longValue).max().getAsLong();
    assertThat(drainer.watermark()).as("released once the enqueue is recorded").isGreaterThanOrEqualTo(consumerLast);
  }
}
