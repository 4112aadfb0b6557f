package dev.racetrace.agent.export.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.core.EventKind;
import dev.racetrace.schema.EventRole;
import dev.racetrace.schema.EventType;
import dev.racetrace.schema.SchemaNames;
import io.opentelemetry.api.common.AttributeKey;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The agent exports only names of the shared schema ({@link SchemaNames}, {@link EventType}),
 * which the analyzer reads by and {@code SpanSchemaDocTest} holds docs/span-schema.md to; and
 * agent-core's {@link EventKind} (int codes for the hot path), as compiled, is the table of
 * {@link EventType} it is generated from (a stale or wrongly generated class fails here).
 */
class SpanSchemaAgreementTest {

  @Test
  void everyNameTheAgentExportsIsInTheSharedSchema() throws Exception {
    Set<String> shared = names(SchemaNames.class);
    Set<String> exported = names(SpanSchema.class);
    exported.removeIf(shared::contains);
    assertThat(exported).as("names the agent exports that SchemaNames does not define").isEmpty();
  }

  @Test
  void everyEventKindIsAnEventTypeOfTheSameName() throws Exception {
    List<String> wrong = new ArrayList<>();
    Set<Integer> codes = new TreeSet<>();
    for (Field f : EventKind.class.getFields()) {
      if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) {
        continue;
      }
      int code = f.getInt(null);
      codes.add(code);
      EventType type = EventType.ofKind(code);
      if (type == null) {
        wrong.add("EventKind." + f.getName() + " (" + code + ") has no EventType");
      } else if (!type.name().equals(f.getName()) || !type.eventName().equals(EventKind.name(code))) {
        wrong.add("EventKind." + f.getName() + " = " + EventKind.name(code) + " but EventType."
            + type.name() + " = " + type.eventName());
      }
    }
    for (EventType type : EventType.values()) {
      if (type.kind() != EventType.NO_KIND && !codes.contains(type.kind())) {
        wrong.add("EventType." + type + " (" + type.kind() + ") has no EventKind constant");
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void theTableSaysWhatTheExporterDoesWithEachKind() {
    for (EventType type : EventType.values()) {
      if (type.kind() == EventType.NO_KIND) {
        continue;
      }
      assertThat(Event.carriesElement(type.kind())).as("carriesElement of %s", type)
          .isEqualTo(type.carriesElement());
      assertThat(GuardSpans.guardKind(type.kind()) != null).as("guard span of %s", type)
          .isEqualTo(type.role().isGuard());
      if (type.role().isGuard()) {
        assertThat(GuardSpans.guardRole(type.kind()).guardVerb()).as("verb of %s", type)
            .isEqualTo(type.role().guardVerb());
      }
    }
    assertThat(EventType.ofKind(EventKind.SLEEP).role()).isEqualTo(EventRole.AWAIT);
    assertThat(GuardSpans.guardKind(EventKind.MARK)).isNull();
  }

  /** The values of every static String or AttributeKey constant of {@code type}. */
  private static Set<String> names(Class<?> type) throws IllegalAccessException {
    Set<String> out = new TreeSet<>();
    for (Field f : type.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      f.setAccessible(true);
      Object v = f.get(null);
      if (v instanceof AttributeKey) {
        out.add(((AttributeKey<?>) v).getKey());
      } else if (v instanceof String && f.getType() == String.class) {
        out.add((String) v);
      }
    }
    return out;
  }
}
