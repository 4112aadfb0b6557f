package dev.racetrace.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final AtomicLong now = new AtomicLong(1_000);
  private final Log log = new Log(() -> new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aRepeatedProblemIsOneLineAMinuteAndEveryOccurrenceIsCounted() {
    for (int i = 0; i < 1000; i++) {
      log.warn("export:file", "exporting spans to file failed", new IOException("No space left on device"));
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10)); // 1000 x 10 ms = 10 s
    }
    assertThat(printed().lines()).containsExactly(
        "racetrace: exporting spans to file failed (java.io.IOException: No space left on device)");
    assertThat(log.count("export:file")).isEqualTo(1000);
    assertThat(log.summary()).containsExactly("export:file x1000");

    now.addAndGet(TimeUnit.MINUTES.toNanos(1));
    log.warn("export:file", "exporting spans to file failed");
    assertThat(printed().lines()).hasSize(2).last().asString()
        .isEqualTo("racetrace: exporting spans to file failed [999 more since the last line]");
  }

  @Test
  void distinctProblemsEachGetTheirLine() {
    log.warn("a", "first");
    log.warn("b", "second");
    log.warn("a", "first again");
    assertThat(printed().lines()).containsExactly("racetrace: first", "racetrace: second");
  }

  @Test
  void noStackTraceUnlessDebug() {
    log.warn("x", "broke", new IllegalStateException("why"));
    assertThat(printed()).doesNotContain("\tat ");
    log.setDebug(true);
    log.warn("y", "broke", new IllegalStateException("why"));
    assertThat(printed()).contains("racetrace: broke (java.lang.IllegalStateException: why)")
        .contains("\tat " + LogTest.class.getName());
  }

  @Test
  void aValueWithANewlineOrAnEscapeCannotForgeOrColourALine() {
    log.info("racetrace: racetrace.out=/tmp/x\nracetrace: all good\u001b[31m");
    assertThat(printed()).isEqualTo("racetrace: racetrace.out=/tmp/x?racetrace: all good?[31m" + System.lineSeparator());
  }

  @Test
  void distinctProblemsAreBounded() {
    for (int i = 0; i < 10 * Log.MAX_PROBLEMS; i++) {
      log.warn("p" + i, "problem " + i);
    }
    assertThat(log.summary()).hasSizeLessThanOrEqualTo(Log.MAX_PROBLEMS + 1).anyMatch(s -> s.startsWith("other x"));
    assertThat(printed().lines()).hasSize(Log.MAX_PROBLEMS + 1);
  }
}
