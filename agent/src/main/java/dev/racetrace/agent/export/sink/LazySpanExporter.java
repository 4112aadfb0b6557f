package dev.racetrace.agent.export.sink;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Builds its exporter on first use (on the exporter thread, or the sender thread of an
 * {@link OffThreadExporter}), keeping it off the start-up path. A flush or shutdown may come from
 * another thread than the export: the exporter is published safely.
 */
public final class LazySpanExporter implements SpanExporter {
  private final Supplier<SpanExporter> factory;
  private final String description;
  private volatile SpanExporter delegate;

  /** @param description how racetrace names it on stderr (the delegate's own text may be internal) */
  public LazySpanExporter(Supplier<SpanExporter> factory, String description) {
    this.factory = factory;
    this.description = description;
  }

  private synchronized SpanExporter delegate() {
    if (delegate == null) {
      delegate = factory.get();
    }
    return delegate;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return delegate().export(spans);
  }

  @Override
  public CompletableResultCode flush() {
    SpanExporter d = delegate;
    return d == null ? CompletableResultCode.ofSuccess() : d.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    SpanExporter d = delegate;
    return d == null ? CompletableResultCode.ofSuccess() : d.shutdown();
  }

  @Override
  public String toString() {
    return description;
  }
}
