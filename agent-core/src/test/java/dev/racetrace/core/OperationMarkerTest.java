package dev.racetrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.hook.ExecutorHooks;
import dev.racetrace.core.hook.QueueHooks;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.LinkedList;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * One logical operation on one object records one event, whichever hooks see it: a call on the
 * same object made inside it (a deque's addFirst calling its own offerFirst, an executor calling
 * itself) records nothing, while a call on another object inside it (an executor's execute offering
 * to its queue) records its own event. Runs in a fresh JVM, since the recorder is process-wide.
 */
class OperationMarkerTest {
  /** A deque whose addFirst calls its own offerFirst, as a rewritten call site would. */
  static final class SelfCallingDeque extends LinkedList<Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public void addFirst(Object e) {
      if (!QueueHooks.offerFirst(this, e, 0)) {
        throw new IllegalStateException();
      }
    }

    @Override
    public boolean offerFirst(Object e) {
      super.addFirst(e);
      return true;
    }
  }

  /** An executor that queues its tasks and, once, calls itself from inside execute. */
  static final class QueueingExecutor implements Executor {
    final Queue<Object> jobs = new ArrayDeque<>();

    @Override
    public void execute(Runnable r) {
      QueueHooks.offer(jobs, r, 0);
      if (r instanceof Reentrant) {
        ExecutorHooks.execute(this, () -> { }, 0); // the same executor: its own implementation
      }
    }
  }

  interface Reentrant extends Runnable {}

  /** A queue whose offer fails. */
  static final class FailingQueue extends ArrayDeque<Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean offer(Object e) {
      throw new IllegalStateException("full");
    }
  }

  public static void main(String[] args) {
    Recorder.start(new Recorder.Settings(1024, 16, 1));
    StringBuilder out = new StringBuilder();

    QueueHooks.addFirst(new SelfCallingDeque(), "x", 0);
    out.append("addFirst=").append(kinds());

    QueueingExecutor ex = new QueueingExecutor();
    ExecutorHooks.execute(ex, () -> { }, 0);
    out.append(" execute=").append(kinds());

    ExecutorHooks.execute(ex, (Reentrant) () -> { }, 0);
    out.append(" reentrant=").append(kinds());

    QueueHooks.offer(ex.jobs, "y", 0);
    out.append(" after=").append(kinds());

    FailingQueue failing = new FailingQueue();
    try {
      QueueHooks.offer(failing, "z", 0);
    } catch (IllegalStateException expected) {
      out.append(" threw");
    }
    out.append(" failed=").append(kinds());
    try {
      QueueHooks.offer(failing, "z", 0);
    } catch (IllegalStateException expected) {
      // recorded again: the failed call left no operation in progress
    }
    out.append(" again=").append(kinds());
    out.append(" internalErrors=").append(Recorder.internalErrors());
    System.out.println(out);
  }

  /** The kinds of the events recorded since the last call, as "E" (enqueue) and "S" (submit). */
  private static String kinds() {
    StringBuilder s = new StringBuilder();
    FreshJvm.drain((kind, a) ->
        s.append(kind == EventKind.QUEUE_ENQUEUE ? "E" : kind == EventKind.TASK_SUBMIT ? "S" : "?" + kind));
    return s.length() == 0 ? "-" : s.toString();
  }

  @Test
  void nestedCallsOnTheSameObjectRecordOnceAndCallsOnAnotherRecordTheirOwn() throws IOException, InterruptedException {
    String out = FreshJvm.run(OperationMarkerTest.class);
    // the enqueue is written when the offer returns, the submit when execute returns; the executor
    // calling itself records no second submit, but the job it queues is a real enqueue (a worker
    // will take it), so it keeps its event
    assertThat(out.trim()).isEqualTo("addFirst=E execute=ES reentrant=EES after=E threw failed=E again=E"
        + " internalErrors=0");
  }
}
