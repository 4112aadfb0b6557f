package dev.racetrace.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * The OTel SDK's file exporter under racetrace.out.max: once the budget is reached, batches are
 * dropped whole and counted instead of written (the SDK exporter writes as it encodes, so the
 * batch that reaches the budget is the last one written).
 */
final class BudgetedSpanExporter implements SpanExporter {
  private final SpanExporter delegate;
  private final OutBudget budget;

  BudgetedSpanExporter(SpanExporter delegate, OutBudget budget) {
    this.delegate = delegate;
    this.budget = budget;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    if (!budget.admit(0, spans.size())) {
      return CompletableResultCode.ofSuccess(); // dropped on purpose and counted: not a failure
    }
    return delegate.export(spans);
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
