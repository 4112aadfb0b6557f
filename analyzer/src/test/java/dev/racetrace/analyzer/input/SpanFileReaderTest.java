package dev.racetrace.analyzer.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading span files as the SDK's OTLP JSON exporters and Jaeger write them. */
class SpanFileReaderTest {
  @TempDir
  Path dir;

  private static Path sdkWritten() throws Exception {
    return Path.of(Objects.requireNonNull(
        SpanFileReaderTest.class.getResource("/otel-sdk-written.jsonl")).toURI());
  }

  private SpanStore read(Path file) throws InputException {
    SpanStore store = new SpanStore(null);
    new SpanFileReader(new Interner()).read(file, store);
    return store;
  }

  private static SpanRecord byName(SpanStore store, String node, String name) {
    return store.spans(node).stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow();
  }

  @Test
  void readsWhatTheOpenTelemetrySdkWrote() throws Exception {
    // otel-sdk-written.jsonl was produced by OtlpStdoutSpanExporter of opentelemetry-java 1.63.0.
    SpanStore store = read(sdkWritten());

    assertThat(store.nodes()).containsExactly("node-7");
    assertThat(store.service("node-7")).isEqualTo("sample-store");
    assertThat(store.recordedRules()).containsExactly("load-metadata < derive per key");
    assertThat(store.spans("node-7")).hasSize(4);
    SpanRecord enqueue = byName(store, "node-7", "Node.workQueue enqueue");
    SpanRecord process = byName(store, "node-7", "Node.workQueue process");
    SpanRecord flag = byName(store, "node-7", "guard.check Node.ready");
    SpanRecord wait = byName(store, "node-7", "guard.await Node.metadataArrived");
    assertThat(enqueue.role()).isEqualTo(SpanRole.ENQUEUE);
    assertThat(enqueue.startNanos()).isEqualTo(1714573800001000000L);
    assertThat(enqueue.site()).isEqualTo("Node.submit:41");
    assertThat(process.role()).isEqualTo(SpanRole.PROCESS);
    assertThat(process.seq()).isEqualTo(2);
    assertThat(process.causalId()).isEqualTo(1);
    assertThat(process.endSeq()).isEqualTo(5);
    assertThat(process.key()).isEqualTo("order-9");
    assertThat(process.op()).isEqualTo("derive");
    assertThat(process.thread()).isEqualTo("worker-1");
    assertThat(process.queueWaitNs()).isEqualTo(4_000_000L);
    assertThat(process.parentSpanId()).isEqualTo(enqueue.spanId());
    assertThat(process.linkSpanId()).isEqualTo(enqueue.spanId());
    assertThat(process.state()).containsExactly(Map.entry("metadata.entities", 0L));
    assertThat(flag.role()).isEqualTo(SpanRole.GUARD_CHECK);
    assertThat(flag.valueSeen()).isEqualTo("true");
    assertThat(flag.parentSpanId()).isEqualTo(process.spanId());
    assertThat(wait.timedOut()).isTrue();
    assertThat(wait.blockedNs()).isEqualTo(30_000_000_000L);
    assertThat(store.counters("node-7").droppedEvents()).isEqualTo(17);
  }

  @Test
  void readsBareResourceSpansLinesAsTheLoggingExporterWritesThem() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    StringBuilder bare = new StringBuilder();
    for (String line : Files.readAllLines(sdkWritten())) {
      for (JsonNode rs : mapper.readTree(line).get("resourceSpans")) {
        bare.append(mapper.writeValueAsString(rs)).append('\n');
      }
    }
    Path file = Files.writeString(dir.resolve("bare.jsonl"), bare);

    SpanStore store = read(file);

    assertThat(store.nodes()).containsExactly("node-7");
    assertThat(store.spans("node-7")).hasSize(4);
  }

  @Test
  void spansBeforeTheirResourceStillGetTheNode() throws Exception {
    String line = Files.readAllLines(sdkWritten()).get(0);
    ObjectMapper mapper = new ObjectMapper();
    JsonNode rs = mapper.readTree(line).get("resourceSpans").get(0);
    String reordered = "{\"resourceSpans\":[{\"scopeSpans\":" + rs.get("scopeSpans")
        + ",\"resource\":" + rs.get("resource") + "}]}\n";
    Path file = Files.writeString(dir.resolve("reordered.jsonl"), reordered);

    SpanStore store = read(file);

    assertThat(store.nodes()).containsExactly("node-7");
    assertThat(store.spans("node-7")).isNotEmpty();
  }

  @Test
  void nodeFallsBackToHostAndPidWhenNoInstanceId() throws Exception {
    String line = Files.readAllLines(sdkWritten()).get(0)
        .replace("{\"key\":\"service.instance.id\",\"value\":{\"stringValue\":\"node-7\"}},",
            "{\"key\":\"host.name\",\"value\":{\"stringValue\":\"h1\"}},");
    Path file = Files.writeString(dir.resolve("noid.jsonl"), line + "\n");

    assertThat(read(file).nodes()).containsExactly("h1:4242");
  }

  @Test
  void keyFilterKeepsOnlyThatKeyAndKeylessSpans() throws Exception {
    SpanStore store = new SpanStore("order-1");
    new SpanFileReader(new Interner()).read(sdkWritten(), store);

    assertThat(store.spans("node-7")).isEmpty();
    assertThat(store.spansRead()).isEqualTo(4);
  }

  @Test
  void invalidJsonNamesFileAndLine() throws Exception {
    List<String> lines = Files.readAllLines(sdkWritten());
    Path file = Files.writeString(dir.resolve("broken.jsonl"),
        lines.get(0) + "\n" + lines.get(1) + "\n{\"resourceSpans\": [ {\"resource\": oops}]}\n");

    assertThatThrownBy(() -> read(file)).isInstanceOf(InputException.class)
        .hasMessageStartingWith(file + ":3: invalid JSON");
  }

  @Test
  void wronglyTypedAttributeNamesFileLineAndAttribute() throws Exception {
    List<String> lines = Files.readAllLines(sdkWritten());
    String bad = lines.get(1).replace("{\"intValue\":\"2\"}", "{\"intValue\":\"2x\"}");
    Path file = Files.writeString(dir.resolve("typed.jsonl"), lines.get(0) + "\n" + bad + "\n");

    assertThatThrownBy(() -> read(file)).isInstanceOf(InputException.class)
        .hasMessageStartingWith(file + ":2: ")
        .hasMessageContaining("intValue is not an integer: \"2x\"");
  }

  @Test
  void otherJsonIsNotSpanData() throws Exception {
    Path file = Files.writeString(dir.resolve("other.json"), "{\"hello\": [1, 2]}\n");

    assertThatThrownBy(() -> read(file)).isInstanceOf(InputException.class)
        .hasMessage(file + ":1: not span data: an object with neither \"resourceSpans\" (OTLP "
            + "JSON) nor \"data\" (Jaeger export)");
  }

  @Test
  void directoriesContributeTheirJsonlFilesInNameOrder() throws Exception {
    Files.createDirectories(dir.resolve("d/sub"));
    Files.writeString(dir.resolve("d/b.jsonl"), "");
    Files.writeString(dir.resolve("d/sub/a.jsonl"), "");
    Files.writeString(dir.resolve("d/notes.txt"), "");
    Files.writeString(dir.resolve("d/result.json"), "{}");

    assertThat(InputFiles.expand(List.of(dir.resolve("d"))))
        .containsExactly(dir.resolve("d/b.jsonl"), dir.resolve("d/sub/a.jsonl"));
  }

  @Test
  void missingPathAndEmptyDirectoryAreErrors() throws Exception {
    Files.createDirectories(dir.resolve("empty"));

    assertThatThrownBy(() -> InputFiles.expand(List.of(dir.resolve("nope.jsonl"))))
        .hasMessage(dir.resolve("nope.jsonl") + ": no such file or directory");
    assertThatThrownBy(() -> InputFiles.expand(List.of(dir.resolve("empty"))))
        .hasMessage(dir.resolve("empty") + ": no *.jsonl span files in this directory");
  }
}
