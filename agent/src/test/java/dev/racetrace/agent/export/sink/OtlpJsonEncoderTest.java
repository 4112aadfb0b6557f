package dev.racetrace.agent.export.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.racetrace.agent.config.FileEncoder;
import dev.racetrace.agent.export.ExporterFactory;
import dev.racetrace.agent.export.assemble.RaceSpan;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.logging.otlp.internal.traces.OtlpStdoutSpanExporter;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file exporter's own encoder must write exactly what the OpenTelemetry SDK's OTLP JSON
 * exporter writes for the same spans: every reader of the files (the analyzer, OTel tooling,
 * collectors' file receivers) was written against that output.
 */
class OtlpJsonEncoderTest {
  static final Resource RESOURCE = Resource.create(Attributes.builder()
      .put("service.name", "node \"1\"").put("process.pid", 42L).build());
  private static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.builder("dev.racetrace").setVersion("0.1.0").build();
  private static final String[] SAMPLE_TEXT = {
    "", "plain", "Node.workQueue enqueue", "quote \" and back\\slash", "tab\tnew\nline\rcr",
    "ctl \u0001\u001f\u0000\b\f", "é ü ß", "日本語", "emoji \uD83D\uDE80 rocket", "slash / <html>", "\u007f del",
  };

  @Test
  void randomBatchesEncodeByteForByteAsTheSdkExporter() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int round = 0; round < 200; round++) {
      List<SpanData> batch = new ArrayList<>();
      int size = 1 + random.nextInt(20);
      for (int i = 0; i < size; i++) {
        batch.add(randomSpan(random, i % 7 == 6 ? otherResource() : RESOURCE));
      }
      // the SDK groups by resource through a HashMap: compare one resource per request
      List<SpanData> sameResource = new ArrayList<>();
      for (SpanData s : batch) {
        if (s.getResource() == RESOURCE) {
          sameResource.add(s);
        }
      }
      assertEquals(sdk(sameResource), ours(sameResource), "seed " + seed + ", round " + round);
    }
  }

  @Test
  void spansOfTwoResourcesKeepEachResourceTogether() {
    Random random = new Random(7);
    Resource other = otherResource();
    List<SpanData> batch = List.of(randomSpan(random, RESOURCE), randomSpan(random, other),
        randomSpan(random, RESOURCE));
    String json = ours(batch);
    assertThat(json.split("\"resource\":", -1)).hasSize(3);
    assertThat(json).endsWith("]}\n");
  }

  @Test
  void anUnpairedSurrogateIsEscapedInsteadOfFailingTheBatch() {
    SpanData span = span("bad \uD800 name", Attributes.of(AttributeKey.stringKey("k"), "\uDC00x"),
        List.of(), List.of(), StatusData.unset());
    String json = ours(List.of(span));
    assertThat(json).contains("\"name\":\"bad \\uD800 name\"").contains("\"stringValue\":\"\\uDC00x\"");
  }

  @Test
  void fileExporterAppendsOneRequestPerBatchAndCreatesTheFileLazily(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/node.jsonl");
    OtlpJsonFileExporter exporter = new OtlpJsonFileExporter(file);
    assertThat(exporter.export(List.of()).isSuccess()).isTrue();
    assertThat(file).doesNotExist();
    Random random = new Random(3);
    List<SpanData> first = List.of(randomSpan(random, RESOURCE), randomSpan(random, RESOURCE));
    List<SpanData> second = List.of(randomSpan(random, RESOURCE));
    assertThat(exporter.export(first).isSuccess()).isTrue();
    assertThat(exporter.export(second).isSuccess()).isTrue();
    assertThat(exporter.shutdown().isSuccess()).isTrue();
    assertThat(exporter.export(second).isSuccess()).isFalse();
    assertThat(Files.readString(file)).isEqualTo(sdk(first) + sdk(second));
  }

  @Test
  void bothFileEncodersChosenByConfigWriteTheSameFile(@TempDir Path dir) throws Exception {
    Random random = new Random(11);
    List<List<SpanData>> batches = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      List<SpanData> batch = new ArrayList<>();
      for (int j = 0; j < 50; j++) {
        batch.add(randomSpan(random, RESOURCE));
      }
      batches.add(batch);
    }
    Path ours = dir.resolve("racetrace.jsonl");
    Path sdk = dir.resolve("otel-sdk.jsonl");
    for (FileEncoder encoder : FileEncoder.values()) {
      io.opentelemetry.sdk.trace.export.SpanExporter exporter =
          ExporterFactory.fileExporter(encoder == FileEncoder.RACETRACE ? ours : sdk, encoder);
      for (List<SpanData> batch : batches) {
        assertThat(exporter.export(batch).join(10, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      exporter.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertThat(Files.readAllLines(ours)).hasSize(5).isEqualTo(Files.readAllLines(sdk));
  }

  private static String ours(List<SpanData> spans) {
    JsonBytes out = new JsonBytes(16);
    new OtlpJsonEncoder(out).encodeRequest(spans);
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  private static String sdk(List<SpanData> spans) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OtlpStdoutSpanExporter exporter = OtlpStdoutSpanExporter.builder().setOutput(bytes)
        .setWrapperJsonObject(true).build();
    assertThat(exporter.export(spans).join(10, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.flush();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static Resource otherResource() {
    return Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "other"));
  }

  static SpanData randomSpan(Random r, Resource resource) {
    AttributesBuilder a = Attributes.builder();
    int n = r.nextInt(12);
    for (int i = 0; i < n; i++) {
      String key = "race." + text(r).replace(' ', '_') + i;
      switch (r.nextInt(8)) {
        case 0: a.put(AttributeKey.stringKey(key), text(r)); break;
        case 1: a.put(AttributeKey.booleanKey(key), r.nextBoolean()); break;
        case 2: a.put(AttributeKey.longKey(key), r.nextBoolean() ? r.nextLong() : r.nextInt(3) - 1); break;
        case 3: a.put(AttributeKey.doubleKey(key), r.nextBoolean() ? r.nextDouble() * 1e6 : r.nextInt(5)); break;
        case 4: a.put(AttributeKey.stringArrayKey(key), List.of(text(r), text(r))); break;
        case 5: a.put(AttributeKey.longArrayKey(key), List.of(r.nextLong(), 0L)); break;
        case 6: a.put(AttributeKey.booleanArrayKey(key), List.of(r.nextBoolean())); break;
        default: a.put(AttributeKey.doubleArrayKey(key), List.of(r.nextDouble(), -1.5)); break;
      }
    }
    List<EventData> events = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      events.add(EventData.create(r.nextLong() & Long.MAX_VALUE, text(r),
          Attributes.of(AttributeKey.stringKey("race.rule"), text(r), AttributeKey.longKey("race.seq"), r.nextLong())));
    }
    List<LinkData> links = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      links.add(LinkData.create(context(r, r.nextBoolean()), r.nextBoolean() ? Attributes.empty()
          : Attributes.of(AttributeKey.stringKey("race.link"), text(r))));
    }
    StatusData status = r.nextInt(3) == 0 ? StatusData.create(StatusCode.ERROR, text(r))
        : r.nextBoolean() ? StatusData.ok() : StatusData.unset();
    SpanContext parent = r.nextBoolean() ? SpanContext.getInvalid() : context(r, r.nextBoolean());
    long start = r.nextLong() & Long.MAX_VALUE;
    return new RaceSpan(text(r), SpanKind.values()[r.nextInt(5)], context(r, false), parent, status,
        start, start + r.nextInt(1_000_000), a.build(), links, events, resource, SCOPE);
  }

  private static SpanData span(String name, Attributes attributes, List<LinkData> links,
      List<EventData> events, StatusData status) {
    return new RaceSpan(name, SpanKind.INTERNAL, context(new Random(1), false), SpanContext.getInvalid(),
        status, 1, 2, attributes, links, events, RESOURCE, SCOPE);
  }

  private static SpanContext context(Random r, boolean remote) {
    String traceId = String.format("%016x%016x", r.nextLong(), r.nextLong() | 1);
    String spanId = String.format("%016x", r.nextLong() | 1);
    TraceFlags flags = r.nextBoolean() ? TraceFlags.getSampled() : TraceFlags.getDefault();
    TraceState state = r.nextInt(4) == 0 ? TraceState.builder().put("rt", "a" + r.nextInt(9)).put("vendor", "x").build()
        : TraceState.getDefault();
    return remote ? SpanContext.createFromRemoteParent(traceId, spanId, flags, state)
        : SpanContext.create(traceId, spanId, flags, state);
  }

  private static String text(Random r) {
    return SAMPLE_TEXT[r.nextInt(SAMPLE_TEXT.length)];
  }
}
