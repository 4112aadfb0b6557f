package dev.racetrace.agent.export.sink;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.function.Supplier;

/** Builds its exporter on first use (on the exporter thread), keeping it off the start-up path. */
public final class LazySpanExporter implements SpanExporter {
  private final Supplier<SpanExporter> factory;
  private final String description;
  private SpanExporter delegate;

  /** @param description how racetrace names it on stderr (the delegate's own text may be internal) */
  public LazySpanExporter(Supplier<SpanExporter> factory, String description) {
    this.factory = factory;
    this.description = description;
  }

  private SpanExporter delegate() {
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
    return delegate == null ? CompletableResultCode.ofSuccess() : delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate == null ? CompletableResultCode.ofSuccess() : delegate.shutdown();
  }

  @Override
  public String toString() {
    return description;
  }
}
