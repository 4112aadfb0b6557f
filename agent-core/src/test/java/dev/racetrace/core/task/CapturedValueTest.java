package dev.racetrace.core.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CapturedValueTest {
  static class Event {
    String handle() {
      return "h";
    }
  }

  static final class Task implements Runnable {
    final Event event = new Event();

    @Override
    public void run() {}
  }

  @BeforeEach
  void install() {
    CapturedValue.install(Event.class::isAssignableFrom);
  }

  @AfterEach
  void uninstall() {
    CapturedValue.install(null);
  }

  @Test
  void aLambdaAnAnonymousClassAndAMethodReferenceGiveTheNamedValueTheyCapture() {
    Event event = new Event();
    String other = "x";
    Runnable lambda = () -> other.length();
    Runnable capturing = () -> {
      other.length();
      event.handle();
    };
    Runnable anonymous = new Runnable() {
      @Override
      public void run() {
        event.handle();
      }
    };
    Callable<String> reference = event::handle;
    assertThat(CapturedValue.of(capturing)).isSameAs(event);
    assertThat(CapturedValue.of(anonymous)).isSameAs(event);
    assertThat(CapturedValue.of(reference)).isSameAs(event);
    assertThat(CapturedValue.of(lambda)).as("captures nothing named").isSameAs(lambda);
  }

  @Test
  void aNamedClassIsItsOwnSubjectEvenWithANamedField() {
    Task task = new Task();
    assertThat(CapturedValue.of(task)).isSameAs(task);
  }

  @Test
  void aValueCapturedAsObjectIsNotLookedInto() {
    Object event = new Event();
    Runnable r = () -> event.hashCode();
    assertThat(CapturedValue.of(r)).isSameAs(r);
  }

  @Test
  void withoutConfigurationEveryTaskIsItsOwnSubject() {
    CapturedValue.install(null);
    Event event = new Event();
    Runnable r = event::handle;
    assertThat(CapturedValue.of(r)).isSameAs(r);
  }
}
