package dev.racetrace.core.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.EventKind;
import dev.racetrace.core.FreshJvm;
import dev.racetrace.core.Recorder;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The run hooks give each task's start and end its own submit's causal id, also when a task runs
 * another linked task inline (a same-thread executor inside a task): the run hook looks the thread's
 * state up once and reads the causal id it noted before the task runs, so the inner run cannot
 * overwrite the outer one's. A periodic task keeps its link for its next run; a one-shot task's link
 * is used once. Runs in a fresh JVM, since the recorder is process-wide.
 */
class TaskRunNestingTest {

  public static void main(String[] args) {
    Recorder.start(new Recorder.Settings(1024, 16, 1));
    Object executor = new Object();
    Runnable inner = () -> { };
    Runnable outer = () -> TaskRuns.run(inner);
    TaskRuns.link(outer, executor, 100, System.nanoTime(), 1, 0);
    TaskRuns.link(inner, executor, 200, System.nanoTime(), 2, 0);
    TaskRuns.run(outer);
    StringBuilder out = new StringBuilder("nested=").append(events());

    TaskRuns.run(outer); // its link was used by the first run
    out.append(" again=").append(events());

    Runnable periodic = () -> { };
    TaskRuns.link(periodic, executor, 300, System.nanoTime(), 3, TaskTable.PERIODIC);
    TaskRuns.run(periodic);
    TaskRuns.run(periodic);
    out.append(" periodic=").append(events());

    RuntimeException boom = new RuntimeException("boom");
    Runnable failing = () -> {
      throw boom;
    };
    TaskRuns.link(failing, executor, 400, System.nanoTime(), 4, 0);
    try {
      TaskRuns.run(failing);
    } catch (RuntimeException e) {
      out.append(" threw=").append(e == boom);
    }
    out.append(" failed=").append(events());
    out.append(" internalErrors=").append(Recorder.internalErrors());
    System.out.println(out);
  }

  /** The task events recorded since the last call: "s100" a start of causal id 100, "e100" an end. */
  private static String events() {
    StringBuilder s = new StringBuilder();
    FreshJvm.drain((kind, a) -> s.append(s.length() == 0 ? "" : ",")
        .append(kind == EventKind.TASK_START ? "s" : kind == EventKind.TASK_END ? "e" : "?" + kind + ":").append(a));
    return s.length() == 0 ? "-" : s.toString();
  }

  @Test
  void eachRunCarriesItsOwnSubmitsCausalIdAlsoWhenTasksNest() throws IOException, InterruptedException {
    String out = FreshJvm.run(TaskRunNestingTest.class);
    assertThat(out.trim()).isEqualTo("nested=s100,s200,e200,e100 again=- periodic=s300,e300,s300,e300"
        + " threw=true failed=s400,e400 internalErrors=0");
  }
}
