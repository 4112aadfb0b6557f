package dev.racetrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The span schema is written down three times: the agent's {@link SpanSchema} (what is
 * exported), the analyzer's {@code dev.racetrace.analyzer.input.SpanSchema} (what is read) and
 * {@code docs/span-schema.md} (what users query). They must name the same {@code race.*} keys.
 */
class SpanSchemaAgreementTest {
  private static final Pattern DOC_KEY = Pattern.compile("`(race\\.[a-z0-9_.]+)[`=]");

  @Test
  void everyKeyTheAnalyzerReadsIsOneTheAgentWrites() throws Exception {
    Set<String> written = names(SpanSchema.class);
    Set<String> read = new TreeSet<>();
    for (String name : names(dev.racetrace.analyzer.input.SpanSchema.class)) {
      if (name.startsWith("race.")) {
        read.add(name);
      }
    }
    assertThat(read).isNotEmpty();
    assertThat(written).containsAll(read);
  }

  @Test
  void everyKeyTheAgentWritesIsDocumented() throws Exception {
    Set<String> documented = new TreeSet<>();
    Matcher m = DOC_KEY.matcher(Files.readString(Paths.get("..", "docs", "span-schema.md")));
    while (m.find()) {
      documented.add(m.group(1));
    }
    Set<String> undocumented = new TreeSet<>();
    for (String name : names(SpanSchema.class)) {
      if (name.startsWith("race.") && !name.endsWith(".") && !documented.contains(name)) {
        undocumented.add(name);
      }
    }
    assertThat(undocumented).as("race.* keys exported but not in docs/span-schema.md").isEmpty();
  }

  /** The values of every public static String or AttributeKey constant of {@code type}. */
  private static Set<String> names(Class<?> type) throws IllegalAccessException {
    Set<String> out = new TreeSet<>();
    for (Field f : type.getFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      Object v = f.get(null);
      if (v instanceof AttributeKey) {
        out.add(((AttributeKey<?>) v).getKey());
      } else if (v instanceof String) {
        out.add((String) v);
      }
    }
    return out;
  }

}
