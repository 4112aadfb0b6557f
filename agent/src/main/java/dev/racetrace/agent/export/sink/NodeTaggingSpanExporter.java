package dev.racetrace.agent.export.sink;

import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.schema.SchemaNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Copies the resource attributes that identify a node ({@code service.instance.id}) and carry
 * the recorded rules ({@code racetrace.rules}) onto every span, for exporters whose wire format
 * keeps no resource but {@code service.name}: Zipkin's v2 model has only
 * {@code localEndpoint.serviceName}, so without this every node of a service would look like one
 * node in Zipkin and in {@code analyze --zipkin}. Runs on the exporter thread.
 */
public final class NodeTaggingSpanExporter extends ForwardingSpanExporter {
  static final AttributeKey<String> NODE = AttributeKey.stringKey(SchemaNames.NODE);

  private final String description;
  private Resource lastResource;
  private Attributes lastExtra = Attributes.empty();

  /**
   * @param delegate the exporter that sends the tagged spans
   * @param description what messages call it, e.g. {@code Zipkin http://host:9411/api/v2/spans}
   *     (not the exporter's own {@code toString()}, which lists its internals)
   */
  public NodeTaggingSpanExporter(SpanExporter delegate, String description) {
    super(delegate);
    this.description = description;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    List<SpanData> tagged = new ArrayList<>(spans.size());
    for (SpanData span : spans) {
      Attributes extra = extraFor(span.getResource());
      tagged.add(extra.isEmpty() ? span : new Tagged(span, extra));
    }
    return delegate.export(tagged);
  }

  /** The resource is the same object for every span of this node: computed once. */
  private Attributes extraFor(Resource resource) {
    if (resource != lastResource) {
      AttributesBuilder b = Attributes.builder();
      String node = resource.getAttribute(NODE);
      if (node != null) {
        b.put(NODE, node);
      }
      String rules = resource.getAttribute(SpanSchema.RULES);
      if (rules != null) {
        b.put(SpanSchema.RULES, rules);
      }
      lastExtra = b.build();
      lastResource = resource;
    }
    return lastExtra;
  }

  @Override
  public String toString() {
    return description;
  }

  private static final class Tagged extends DelegatingSpanData {
    private final Attributes attributes;
    private final int total;

    Tagged(SpanData span, Attributes extra) {
      super(span);
      this.attributes = span.getAttributes().toBuilder().putAll(extra).build();
      this.total = span.getTotalAttributeCount() + attributes.size() - span.getAttributes().size();
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
      return total;
    }
  }
}
