package dev.racetrace.agent.export.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.config.FileEncoder;
import dev.racetrace.agent.export.ExporterFactory;
import dev.racetrace.agent.export.assemble.RaceSpan;
import dev.racetrace.agent.internal.Counters;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * racetrace.out.max with rotation: the span file rolls over into numbered parts, the oldest are
 * deleted so that what stays on disk is within the budget, every part holds whole lines, and the
 * spans deleted or not written are counted.
 */
class OutRotationTest {
  private static final long MAX = 64 << 10;

  @ParameterizedTest
  @EnumSource(FileEncoder.class)
  void theSpanFileRollsOverAndKeepsTheNewestPartsWithinOutMax(FileEncoder encoder, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.jsonl");
    Counters counters = new Counters();
    OutBudget budget = new OutBudget(MAX, "64k", counters, file);
    SpanExporter exporter = ExporterFactory.fileExporter(file, encoder, budget);
    Random random = new Random(5);
    int batches = 600;
    long biggestLine = 0;
    for (int i = 0; i < batches; i++) {
      List<SpanData> batch = List.of(OtlpJsonEncoderTest.randomSpan(random, OtlpJsonEncoderTest.RESOURCE),
          OtlpJsonEncoderTest.randomSpan(random, OtlpJsonEncoderTest.RESOURCE));
      assertThat(exporter.export(batch).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    List<Path> parts = list(dir);
    long onDisk = 0;
    long spansOnDisk = 0;
    for (Path p : parts) {
      assertThat(p.getFileName().toString()).matches("node\\.[0-9]+\\.jsonl");
      String text = Files.readString(p);
      assertThat(text).as(p.toString()).endsWith("\n");
      for (String line : text.split("\n")) {
        assertThat(line).startsWith("{\"resourceSpans\":").endsWith("}");
        biggestLine = Math.max(biggestLine, line.length() + 1);
        spansOnDisk += line.split("\"startTimeUnixNano\"", -1).length - 1;
      }
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
      onDisk += Files.size(p);
    }
    assertThat(counters.outBytes().get()).as("written in all").isGreaterThan(3 * MAX);
    assertThat(dir.resolve("node.jsonl")).as("the oldest part is deleted").doesNotExist();
    assertThat(parts).as("the newest parts are kept").hasSizeGreaterThan(OutBudget.PARTS / 2);
    // racetrace's encoder never passes a part's size; the SDK's (writing as it encodes) by about a
    // quarter of a part and one span
    long slack = encoder.equals("racetrace") ? 0 : budget.partBytes() / 4 + biggestLine;
    assertThat(onDisk).isBetween(MAX / 2, MAX + slack);
    assertThat(budget.onDisk()).isEqualTo(onDisk);
    assertThat(counters.outDroppedSpans().get()).isZero();
    assertThat(counters.outRotatedSpans().get()).as("every span is on disk or counted as rotated out")
        .isEqualTo(2L * batches - spansOnDisk);
  }

  @Test
  void aBatchLargerThanAPartIsSplitAndASpanLargerThanAPartIsCounted(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.jsonl");
    Counters counters = new Counters();
    OutBudget budget = new OutBudget(MAX, "64k", counters, file);
    SpanExporter exporter = ExporterFactory.fileExporter(file, FileEncoder.RACETRACE, budget);
    List<SpanData> batch = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      batch.add(span("op-" + i, 200));
    }
    batch.add(span("huge", (int) budget.partBytes()));
    assertThat(exporter.export(batch).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    long spans = 0;
    for (Path p : list(dir)) {
      assertThat(Files.size(p)).isLessThanOrEqualTo(budget.partBytes());
      String text = Files.readString(p);
      spans += text.split("\"name\":\"op-", -1).length - 1;
      assertThat(text).doesNotContain("\"name\":\"huge\"");
    }
    assertThat(spans).isEqualTo(60);
    assertThat(counters.outDroppedSpans().get()).isEqualTo(1);
    assertThat(counters.outRotatedSpans().get()).isZero();
  }

  @Test
  void partNamesNumberTheConfiguredName() {
    Path file = Path.of("/out/node-1.jsonl");
    assertThat(OutBudget.partName(file, 0)).isEqualTo(file);
    assertThat(OutBudget.partName(file, 3)).isEqualTo(Path.of("/out/node-1.3.jsonl"));
  }

  private static SpanData span(String name, int attributeBytes) {
    Attributes a = Attributes.of(AttributeKey.stringKey("race.padding"),
        String.join("", Collections.nCopies(attributeBytes, "x")));
    return new RaceSpan(name, SpanKind.INTERNAL, SpanContext.getInvalid(), SpanContext.getInvalid(),
        StatusData.unset(), 1, 2, a, Collections.emptyList(), Collections.emptyList(),
        OtlpJsonEncoderTest.RESOURCE, InstrumentationScopeInfo.create("racetrace"));
  }

  private static List<Path> list(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().collect(Collectors.toList());
    }
  }
}
