package dev.racetrace.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * docs/journal-format.md states what each record kind's slots hold, as {@link EventType}'s table
 * does: one row per recorded kind, and a line for every {@link RecordField}. A kind added to the
 * table, or a field moved, fails this until the doc says so (the expected rows are printed).
 */
class RecordFieldDocTest {
  private static final Path DOC = Paths.get("..", "docs", "journal-format.md");

  /** The doc's row for {@code type}: {@code | `queue.enqueue` | `depth` | `blocked_ns` | `timeout_ns` | |}. */
  static String row(EventType type) {
    StringBuilder row = new StringBuilder("| `").append(type.eventName()).append("` (").append(type.kind())
        .append(") |");
    for (RecordField.Slot slot : RecordField.Slot.values()) {
      row.append(' ');
      for (RecordField f : type.fields()) {
        if (f.slot() == slot) {
          row.append('`').append(docName(f)).append("` ");
        }
      }
      row.append('|');
    }
    return row.toString();
  }

  static String docName(RecordField f) {
    return f.name().toLowerCase(Locale.ROOT);
  }

  @Test
  void everyRecordedKindHasItsSlotRow() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    List<String> missing = new ArrayList<>();
    StringBuilder expected = new StringBuilder();
    for (EventType type : EventType.values()) {
      if (type.kind() == EventType.NO_KIND) {
        continue;
      }
      expected.append(row(type)).append('\n');
      if (!doc.contains(row(type) + "\n")) {
        missing.add(row(type));
      }
    }
    assertThat(missing).as("rows missing from %s; the table should read:%n%s", DOC, expected).isEmpty();
  }

  @Test
  void everyFieldIsDescribed() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    List<String> missing = new ArrayList<>();
    for (RecordField f : RecordField.values()) {
      if (!doc.contains("| `" + docName(f) + "` | " + f.slot().name().toLowerCase(Locale.ROOT) + " |")) {
        missing.add(docName(f) + " (" + f.slot() + ")");
      }
    }
    assertThat(missing).as("fields not described in %s", DOC).isEmpty();
  }
}
