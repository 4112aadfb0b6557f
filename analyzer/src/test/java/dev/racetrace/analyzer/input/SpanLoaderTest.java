package dev.racetrace.analyzer.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racetrace.analyzer.testing.SampleScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading files, and slices of one large file, in parallel gives what one reader gives. */
class SpanLoaderTest {
  @TempDir
  Path dir;

  private final ExecutorService pool = Executors.newFixedThreadPool(3);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private Path oneFile() throws Exception {
    Path spans = SampleScenario.broken().keys("k1", "k2", "k3").writeOtlp(dir.resolve("spans"));
    StringBuilder all = new StringBuilder();
    for (String n : List.of("node-1", "node-2", "node-3")) {
      all.append(Files.readString(spans.resolve(n + ".jsonl")));
    }
    return Files.writeString(dir.resolve("all.jsonl"), all);
  }

  @Test
  void slicesStartAtLineBoundaries() throws Exception {
    Path file = oneFile();
    byte[] bytes = Files.readAllBytes(file);

    List<long[]> slices = FileSlices.of(file, 3, 1000);

    assertThat(slices).hasSize(3);
    assertThat(slices.get(0)[0]).isZero();
    assertThat(slices.get(2)[1]).isEqualTo(bytes.length);
    for (int i = 1; i < slices.size(); i++) {
      assertThat(slices.get(i)[0]).isEqualTo(slices.get(i - 1)[1]);
      assertThat(bytes[(int) slices.get(i)[0] - 1]).isEqualTo((byte) '\n');
    }
  }

  @Test
  void anIncompleteLastLineIsLeftOutWithANote() throws Exception {
    Path file = oneFile();
    String whole = Files.readString(file);
    SpanStore complete = SpanLoader.load(List.of(file), null, pool, 1, 1000);
    // a writer killed mid-line leaves the start of a request without its line break
    Path cut = Files.writeString(dir.resolve("cut.jsonl"), whole + whole.substring(0, 200));

    SpanStore read = SpanLoader.load(List.of(cut), null, pool, 1, 1000);

    assertThat(read.spansRead()).isEqualTo(complete.spansRead());
    assertThat(read.notes()).singleElement().asString()
        .contains("cut.jsonl: ignored an incomplete last line (200 bytes)");
    assertThat(complete.notes()).isEmpty();
  }

  @Test
  void slicedReadFindsTheSameSpansAsOneReader() throws Exception {
    Path file = oneFile();
    SpanStore single = new SpanStore(null);
    new SpanFileReader(new Interner()).read(file, single);

    SpanStore sliced = SpanLoader.load(List.of(file), null, pool, 3, 1000);

    assertThat(sliced.nodes()).isEqualTo(single.nodes());
    for (String n : single.nodes()) {
      assertThat(sliced.spans(n)).hasSameSizeAs(single.spans(n));
      assertThat(sliced.spans(n).stream().map(SpanRecord::seq).sorted())
          .containsExactlyElementsOf(single.spans(n).stream().map(SpanRecord::seq).sorted()
              .toList());
    }
    assertThat(sliced.spansRead()).isEqualTo(single.spansRead());
  }

  @Test
  void anErrorInALaterSliceNamesTheLineOfTheWholeFile() throws Exception {
    Path file = oneFile();
    List<String> lines = Files.readAllLines(file);
    int bad = lines.size() - 2;
    lines.set(bad, lines.get(bad).replace("\"race.seq\",\"value\":{\"intValue\":\"",
        "\"race.seq\",\"value\":{\"intValue\":\"x"));
    Files.write(file, lines);

    assertThatThrownBy(() -> SpanLoader.load(List.of(file), null, pool, 3, 1000))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(file + ":" + (bad + 1) + ": intValue is not an integer: \"x");
  }
}
