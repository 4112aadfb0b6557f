package dev.racetrace.agent.export.sink;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * An exporter that changes how spans are exported and passes flush, shutdown and its name on to
 * the exporter it wraps.
 */
abstract class ForwardingSpanExporter implements SpanExporter {
  final SpanExporter delegate;

  ForwardingSpanExporter(SpanExporter delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
