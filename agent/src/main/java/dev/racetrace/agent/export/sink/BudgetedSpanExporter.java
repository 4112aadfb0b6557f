package dev.racetrace.agent.export.sink;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The OTel SDK's file exporter under racetrace.out.max. The SDK exporter writes as it encodes, so
 * the size of a request is known only once written: batches go to it in chunks of about a quarter
 * of a part (estimated from the bytes per span so far), and before each chunk the file rolls over
 * into a new part when the current one is full, the oldest parts deleted ({@link OutBudget}). A
 * part may so pass its size by about a quarter of a part.
 */
public final class BudgetedSpanExporter extends ForwardingSpanExporter {
  /** Spans in the first chunk, before any byte count is known. */
  private static final int FIRST_CHUNK = 16;

  private final OutBudget budget;
  private long spansWritten;

  public BudgetedSpanExporter(SpanExporter delegate, OutBudget budget) {
    super(delegate);
    this.budget = budget;
  }

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> spans) {
    if (!budget.bounded()) {
      return delegate.export(spans);
    }
    List<SpanData> all = spans instanceof List ? (List<SpanData>) spans : new ArrayList<>(spans);
    List<CompletableResultCode> results = new ArrayList<>();
    for (int from = 0; from < all.size(); ) {
      int to = from + (int) Math.min(all.size() - from, chunk());
      List<SpanData> chunk = all.subList(from, to);
      try {
        budget.beforeBatch(0);
      } catch (IOException e) {
        return CompletableResultCode.ofExceptionalFailure(e);
      }
      // the SDK's stream exporter has written and flushed the whole line when it returns
      CompletableResultCode result = delegate.export(chunk);
      if (result.isSuccess()) {
        budget.batchWritten(chunk.size());
        spansWritten += chunk.size();
      }
      results.add(result);
      from = to;
    }
    return CompletableResultCode.ofAll(results);
  }

  /** Spans that fill about a quarter of a part, at the bytes per span written so far. */
  private long chunk() {
    long written = budget.written();
    if (spansWritten == 0 || written == 0) {
      return FIRST_CHUNK;
    }
    long perSpan = Math.max(1, written / spansWritten);
    return Math.max(1, budget.partBytes() / 4 / perSpan);
  }
}
