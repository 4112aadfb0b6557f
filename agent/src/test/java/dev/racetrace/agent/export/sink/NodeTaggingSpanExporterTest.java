package dev.racetrace.agent.export.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.agent.fixtures.CapturingExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeTaggingSpanExporterTest {
  private static final AttributeKey<String> KEY = AttributeKey.stringKey("race.key");

  @Test
  void everySpanCarriesItsNodeAndRulesAsAttributes() {
    List<SpanData> got = new ArrayList<>();
    NodeTaggingSpanExporter exporter = new NodeTaggingSpanExporter(new CapturingExporter(got), "Zipkin http://127.0.0.1:9411/api/v2/spans");
    Resource node2 = Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), "store",
        AttributeKey.stringKey("service.instance.id"), "node-2",
        SpanSchema.RULES, "load < derive per key"));
    Resource plain = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "x"));

    exporter.export(List.of(span(node2, "k1"), span(node2, "k2"), span(plain, "k3")));

    assertThat(got).hasSize(3);
    assertThat(got.get(0).getAttributes().get(NodeTaggingSpanExporter.NODE)).isEqualTo("node-2");
    assertThat(got.get(0).getAttributes().get(SpanSchema.RULES)).isEqualTo("load < derive per key");
    assertThat(got.get(0).getAttributes().get(KEY)).isEqualTo("k1");
    assertThat(got.get(0).getTotalAttributeCount()).isEqualTo(3);
    assertThat(got.get(1).getAttributes().get(NodeTaggingSpanExporter.NODE)).isEqualTo("node-2");
    assertThat(got.get(1).getAttributes().get(KEY)).isEqualTo("k2");
    assertThat(got.get(2).getAttributes().get(NodeTaggingSpanExporter.NODE)).isNull();
    assertThat(got.get(2).getAttributes().size()).isEqualTo(1);
    assertThat(exporter).hasToString("Zipkin http://127.0.0.1:9411/api/v2/spans");
  }

  private static SpanData span(Resource resource, String key) {
    return new SpanData() {
      @Override public String getName() { return "q enqueue"; }
      @Override public SpanKind getKind() { return SpanKind.PRODUCER; }
      @Override public SpanContext getSpanContext() {
        return SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
            TraceFlags.getSampled(), TraceState.getDefault());
      }
      @Override public SpanContext getParentSpanContext() { return SpanContext.getInvalid(); }
      @Override public StatusData getStatus() { return StatusData.unset(); }
      @Override public long getStartEpochNanos() { return 1; }
      @Override public Attributes getAttributes() { return Attributes.of(KEY, key); }
      @Override public List<io.opentelemetry.sdk.trace.data.EventData> getEvents() { return List.of(); }
      @Override public List<io.opentelemetry.sdk.trace.data.LinkData> getLinks() { return List.of(); }
      @Override public long getEndEpochNanos() { return 2; }
      @Override public boolean hasEnded() { return true; }
      @Override public int getTotalRecordedEvents() { return 0; }
      @Override public int getTotalRecordedLinks() { return 0; }
      @Override public int getTotalAttributeCount() { return 1; }
      @Override @SuppressWarnings("deprecation")
      public io.opentelemetry.sdk.common.InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
        return io.opentelemetry.sdk.common.InstrumentationLibraryInfo.empty();
      }
      @Override public InstrumentationScopeInfo getInstrumentationScopeInfo() {
        return InstrumentationScopeInfo.empty();
      }
      @Override public Resource getResource() { return resource; }
    };
  }

}
