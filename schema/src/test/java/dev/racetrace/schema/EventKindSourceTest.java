package dev.racetrace.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agent-core's EventKind is written from the table: every recorded kind, its code and its name. */
class EventKindSourceTest {

  @Test
  void everyRecordedKindBecomesAConstantWithItsCodeAndName() {
    String source = EventKindSource.source();
    for (EventType t : EventType.values()) {
      if (t.kind() == EventType.NO_KIND) {
        assertThat(source).as("the agent's own spans are no record kind").doesNotContain(" " + t.name() + " =");
        continue;
      }
      assertThat(source).contains("public static final int " + t.name() + " = " + t.kind() + ";")
          .contains("case " + t.name() + ": return \"" + t.eventName() + "\";");
    }
  }

  @Test
  void theWhatRecordsItTextIsTheConstantsJavadocWithMarkupEscaped() {
    String source = EventKindSource.source();
    assertThat(source).contains("{@code queue.enqueue}: " + EventType.QUEUE_ENQUEUE.doc())
        .contains("race.state.&lt;name&gt;")
        .doesNotContain("race.state.<name>");
  }

  @Test
  void anUnchangedFileIsNotRewritten(@TempDir Path dir) throws Exception {
    EventKindSource.main(new String[] {dir.toString()});
    Path file = dir.resolve("dev/racetrace/core/EventKind.java");
    assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).isEqualTo(EventKindSource.source());
    FileTime old = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(file, old);
    EventKindSource.main(new String[] {dir.toString()});
    assertThat(Files.getLastModifiedTime(file)).as("so agent-core is not recompiled for nothing").isEqualTo(old);
    Files.write(file, "stale".getBytes(StandardCharsets.UTF_8));
    EventKindSource.main(new String[] {dir.toString()});
    assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).isEqualTo(EventKindSource.source());
  }
}
