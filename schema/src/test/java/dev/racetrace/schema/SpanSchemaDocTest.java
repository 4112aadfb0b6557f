package dev.racetrace.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/span-schema.md is the contract users query against: it must name every key, span name,
 * event, outcome and guard kind of the shared schema, and name no {@code race.*} key or
 * {@code race.event} value the schema does not have.
 */
class SpanSchemaDocTest {
  private static final Path DOC = Paths.get("..", "docs", "span-schema.md");
  /** A race.* key as the doc writes it: in backticks, alone or as key=value. */
  private static final Pattern RACE_KEY = Pattern.compile("`(race\\.[a-z0-9_.]+)");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  private static String doc;

  @BeforeAll
  static void read() throws IOException {
    doc = Files.readString(DOC, StandardCharsets.UTF_8);
  }

  @Test
  void everyAttributeKeyAndSpanNameIsDocumented() throws Exception {
    Set<String> missing = new TreeSet<>();
    for (Field f : SchemaNames.class.getFields()) {
      String name = f.getName();
      String v = value(f);
      if (name.equals("VERSION") || name.equals("SCOPE") || name.startsWith("LINK_")
          || name.startsWith("OUTCOME_")) {
        continue; // checked below, as values
      }
      String quoted;
      if (name.endsWith("_SUFFIX")) {
        quoted = v + "`"; // `<queue> enqueue`
      } else if (name.endsWith("_PREFIX") && v.startsWith("guard.")) {
        quoted = "`" + v; // `guard.await <object>`
      } else if (name.equals("STATE_PREFIX")) {
        quoted = "`" + v + "<name>`";
      } else {
        quoted = "`" + v + "`";
      }
      if (!doc.contains(quoted)) {
        missing.add(name + " = " + v);
      }
    }
    assertThat(missing).as("names of SchemaNames not in %s", DOC).isEmpty();
  }

  @Test
  void everyValueIsDocumented() {
    Set<String> missing = new TreeSet<>();
    for (String outcome : List.of(SchemaNames.OUTCOME_OK, SchemaNames.OUTCOME_TIMED_OUT,
        SchemaNames.OUTCOME_INTERRUPTED, SchemaNames.OUTCOME_EXCEPTION, SchemaNames.OUTCOME_REJECTED,
        SchemaNames.OUTCOME_EMPTY)) {
      if (!row(SchemaNames.OUTCOME).contains("`" + outcome + "`")) {
        missing.add("race.outcome " + outcome);
      }
    }
    for (String link : List.of(SchemaNames.LINK_ENQUEUE, SchemaNames.LINK_SUBMIT, SchemaNames.LINK_APP)) {
      if (!doc.contains("`" + SchemaNames.LINK + "=" + link + "`")) {
        missing.add("race.link " + link);
      }
    }
    if (!row(SchemaNames.SCHEMA_VERSION).contains("| `" + SchemaNames.VERSION + "` |")) {
      missing.add("schema version " + SchemaNames.VERSION);
    }
    if (!doc.contains("Instrumentation scope: `" + SchemaNames.SCOPE + "`")) {
      missing.add("scope " + SchemaNames.SCOPE);
    }
    assertThat(missing).as("values not in %s", DOC).isEmpty();
  }

  @Test
  void everyEventTypeIsDocumentedWithItsRoleAndGuardKind() {
    Set<String> missing = new TreeSet<>();
    String guardKinds = row(SchemaNames.GUARD_KIND);
    for (EventType t : EventType.values()) {
      String name = "`" + t.eventName() + "`";
      if (!doc.contains(name)) {
        missing.add(t + ": event " + t.eventName());
      }
      if (t.role().isGuard() && !spanRow(t.role().guardSpanPrefix()).contains(name)) {
        missing.add(t + ": not in the row of " + t.role().guardSpanPrefix() + "<object>");
      }
      if (t.guardKind() != null && !guardKinds.contains("`" + t.guardKind() + "`")) {
        missing.add(t + ": guard kind " + t.guardKind());
      }
    }
    assertThat(missing).as("event types not in %s", DOC).isEmpty();
  }

  @Test
  void everyRaceKeyTheDocNamesIsInTheSchema() throws Exception {
    Set<String> known = new TreeSet<>();
    for (Field f : SchemaNames.class.getFields()) {
      known.add(value(f));
    }
    Set<String> unknown = new TreeSet<>();
    Matcher m = RACE_KEY.matcher(doc);
    while (m.find()) {
      String key = m.group(1);
      if (!known.contains(key)) {
        unknown.add(key);
      }
    }
    assertThat(unknown).as("race.* keys in %s that SchemaNames does not define", DOC).isEmpty();
  }

  @Test
  void everyEventTheSpanTableNamesIsAnEventType() {
    Set<String> unknown = new TreeSet<>();
    for (String row : section("## Span names and kinds")) {
      String[] cells = row.split("\\|");
      if (cells.length < 4 || cells[3].contains("race.event") || cells[3].startsWith("---")) {
        continue;
      }
      Matcher m = CODE.matcher(cells[3]);
      while (m.find()) {
        if (EventType.ofName(m.group(1)) == null) {
          unknown.add(m.group(1));
        }
      }
    }
    assertThat(unknown).as("race.event values in %s that EventType does not have", DOC).isEmpty();
  }

  /** The table row whose first cell is the key {@code key}. */
  private static String row(String key) {
    for (String line : doc.split("\n")) {
      if (line.startsWith("| `" + key + "`")) {
        return line;
      }
    }
    return "";
  }

  /** The span table's row of the span name starting with {@code prefix}. */
  private static String spanRow(String prefix) {
    for (String line : doc.split("\n")) {
      if (line.startsWith("| `" + prefix)) {
        return line;
      }
    }
    return "";
  }

  /** The table rows of a section. */
  private static List<String> section(String heading) {
    List<String> rows = new ArrayList<>();
    int at = doc.indexOf("\n" + heading + "\n");
    assertThat(at).as("section %s in %s", heading, DOC).isGreaterThanOrEqualTo(0);
    for (String line : doc.substring(at + heading.length() + 2).split("\n")) {
      if (line.startsWith("## ")) {
        break;
      }
      if (line.startsWith("|")) {
        rows.add(line);
      }
    }
    return rows;
  }

  private static String value(Field f) throws IllegalAccessException {
    assertThat(Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .as("SchemaNames.%s is a static String", f.getName()).isTrue();
    return (String) f.get(null);
  }
}
