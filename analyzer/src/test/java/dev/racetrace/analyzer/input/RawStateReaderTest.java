package dev.racetrace.analyzer.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawStateReaderTest {
  @TempDir
  Path dir;

  @Test
  void readsScalarAndStructuredValuesWithOptionalVersion() throws Exception {
    Path f = Files.writeString(dir.resolve("raw.json"), "[\n"
        + " {\"node\":\"node-1\",\"key\":\"k\",\"value\":\"v1\",\"version\":3},\n"
        + " {\"node\":\"node-2\",\"key\":\"k\",\"value\":{\"total\":7}},\n"
        + " {\"node\":\"node-3\",\"key\":\"k\",\"value\":null,\"version\":\"4\"}\n]");

    assertThat(new RawStateReader().read(f)).containsExactly(
        new RawStateEntry("node-1", "k", "v1", 3L),
        new RawStateEntry("node-2", "k", "{\"total\":7}", null),
        new RawStateEntry("node-3", "k", null, 4L));
  }

  @Test
  void entryWithoutNodeNamesTheLine() throws Exception {
    Path f = Files.writeString(dir.resolve("raw.json"), "[\n"
        + " {\"node\":\"node-1\",\"key\":\"k\",\"value\":\"v1\"},\n"
        + " {\"key\":\"k\",\"value\":\"v1\"}\n]");

    assertThatThrownBy(() -> new RawStateReader().read(f))
        .hasMessage(f + ":3: raw state entry without \"node\"");
  }

  @Test
  void notAnArrayIsAnError() throws Exception {
    Path f = Files.writeString(dir.resolve("raw.json"), "{\"node\":\"n\"}");

    assertThatThrownBy(() -> new RawStateReader().read(f))
        .hasMessage(f + ":1: expected a JSON array of {node, key, value, version}");
  }
}
