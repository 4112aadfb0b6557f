package dev.racetrace.core.hook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.Delays;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.FreshJvm;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.task.TaskRuns;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The calls advice on an application's own queue type makes (TypeAdviceWeaver in the agent), in its
 * order: one state lookup on entry handed to every call, one dequeue recorded for the outermost
 * call and none for a call nested in it on the same queue, and the delay at work start applied to
 * the element it took, as the call-site hook applies it, but not to a task linked to its submit
 * (its run applies it).
 * Runs in a fresh JVM, since the recorder is process-wide.
 */
class TypeHooksTest {
  private static final long DELAY_MS = 40;

  /** An element type with a delay rule (op:...=40ms). */
  static final class Order {
  }

  /** A task type with the same rule: its delay applies where its run starts, not at the dequeue. */
  static final class Job implements Runnable {
    @Override
    public void run() {
    }
  }

  public static void main(String[] args) throws Exception {
    Recorder.start(new Recorder.Settings(1024, 16, 1));
    Delays.Rule rule = new Delays.Rule(0, TimeUnit.MILLISECONDS.toNanos(DELAY_MS), 0, 1.0, null, "op:order=40ms");
    Delays.install(new Delays.Rule[] {rule}, 1, type -> type == Order.class || type == Job.class ? rule : null);
    BlockingQueue<Object> q = new ArrayBlockingQueue<>(4);
    q.add(new Order());
    FreshJvm.drain((kind, a) -> { });

    // the advised poll: entry
    Object ts = TypeHooks.state();
    Object outer = TypeHooks.enterOp(ts, q);
    long t0 = System.nanoTime();
    // a call nested in it on the same queue (the type's own poll calling another advised method)
    Object nestedTs = TypeHooks.state();
    Object nested = TypeHooks.enterOp(nestedTs, q);
    Object element = q.poll();
    TypeHooks.exitOp(nestedTs, nested);
    long n0 = System.nanoTime();
    TypeHooks.dequeued(nestedTs, nested, q, element, t0, null, false, 7);
    long nestedNanos = System.nanoTime() - n0;
    // the advised poll: exit
    TypeHooks.exitOp(ts, outer);
    long d0 = System.nanoTime();
    TypeHooks.dequeued(ts, outer, q, element, t0, null, false, 7);
    long outerNanos = System.nanoTime() - d0;

    StringBuilder kinds = new StringBuilder();
    FreshJvm.drain((kind, a) -> kinds.append(kinds.length() == 0 ? "" : ",").append(kind));
    System.out.println("kinds=" + kinds);
    System.out.println("nestedDelayed=" + (nestedNanos >= TimeUnit.MILLISECONDS.toNanos(DELAY_MS)));
    System.out.println("outerDelayed=" + (outerNanos >= TimeUnit.MILLISECONDS.toNanos(DELAY_MS)));

    // a task linked to its submit (a pool's execute links it), taken from an application's work
    // queue as the pool's worker takes it: its delay applies where its run starts
    Job linked = new Job();
    TaskRuns.link(linked, q, Recorder.nextSeq(), System.nanoTime(), 7, 0);
    System.out.println("linkedDelayedAtDequeue=" + delayedAtAdvisedPoll(q, linked));
    // a task nobody submitted is an element like any other: its work starts at the dequeue
    System.out.println("unlinkedDelayedAtDequeue=" + delayedAtAdvisedPoll(q, new Job()));
  }

  /** Whether the advised poll that takes {@code element} from {@code q} waited for a delay. */
  private static boolean delayedAtAdvisedPoll(BlockingQueue<Object> q, Object element) {
    q.add(element);
    Object ts = TypeHooks.state();
    Object outer = TypeHooks.enterOp(ts, q);
    long t0 = System.nanoTime();
    Object taken = q.poll();
    TypeHooks.exitOp(ts, outer);
    long d0 = System.nanoTime();
    TypeHooks.dequeued(ts, outer, q, taken, t0, null, false, 7);
    return System.nanoTime() - d0 >= TimeUnit.MILLISECONDS.toNanos(DELAY_MS);
  }

  @Test
  void theOutermostAdvisedDequeueRecordsOnceAndDelaysItsWorkAsTheHookDoes() throws Exception {
    String out = FreshJvm.run(TypeHooksTest.class);
    assertThat(out).contains("kinds=" + EventKind.QUEUE_DEQUEUE + "," + EventKind.DELAY + "\n");
    assertThat(out).contains("nestedDelayed=false");
    assertThat(out).contains("outerDelayed=true");
    assertThat(out).as("a linked task's delay applies where its run starts, once")
        .contains("linkedDelayedAtDequeue=false");
    assertThat(out).contains("unlinkedDelayedAtDequeue=true");
  }
}
