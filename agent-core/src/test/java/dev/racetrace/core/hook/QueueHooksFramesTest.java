package dev.racetrace.core.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/** A hook adds one frame to the stack of an exception the instrumented call throws (README, Known limits). */
class QueueHooksFramesTest {
  @SuppressWarnings({"unchecked", "rawtypes"})
  @Test
  void drainToShowsOneHookFrame() {
    BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    Throwable unbounded = catchThrowable(() -> QueueHooks.drainTo(q, (Collection) q, 0));
    Throwable bounded = catchThrowable(() -> QueueHooks.drainTo(q, (Collection) q, 3, 0));
    for (Throwable t : new Throwable[] {unbounded, bounded}) {
      assertThat(t).isInstanceOf(IllegalArgumentException.class);
      assertThat(Arrays.stream(t.getStackTrace()).filter(e -> e.getClassName().equals(QueueHooks.class.getName())))
          .as("hook frames in %s", Arrays.toString(t.getStackTrace())).hasSize(1);
    }
  }
}
