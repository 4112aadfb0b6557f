package dev.racetrace.agent.export;

import dev.racetrace.agent.internal.Counters;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Collects finished spans and hands them to the exporters in batches, waiting at most a bounded
 * time for each. A slow or failing backend costs only the exporter thread's time and a counted
 * failure: the spans of that batch are dropped, the application is never involved.
 */
final class SpanSink {
  static final int BATCH = 2048;

  private final List<SpanExporter> exporters;
  private final Counters counters;
  private final long timeoutMillis;
  private final List<SpanData> pending = new ArrayList<>(BATCH);
  private boolean warned;

  SpanSink(List<SpanExporter> exporters, Counters counters, long timeoutMillis) {
    this.exporters = exporters;
    this.counters = counters;
    this.timeoutMillis = timeoutMillis;
  }

  void accept(SpanData span) {
    pending.add(span);
    if (pending.size() >= BATCH) {
      flush();
    }
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }

  /** Exports what is pending. */
  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    List<SpanData> batch = new ArrayList<>(pending);
    pending.clear();
    for (SpanExporter exporter : exporters) {
      boolean ok;
      try {
        CompletableResultCode result = exporter.export(batch);
        result.join(timeoutMillis, TimeUnit.MILLISECONDS);
        ok = result.isDone() && result.isSuccess();
        exporter.flush().join(timeoutMillis, TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        ok = false;
      }
      if (ok) {
        counters.exportedSpans().addAndGet(batch.size());
      } else {
        counters.exportFailures().incrementAndGet();
        if (!warned) {
          warned = true;
          System.err.println("racetrace: exporting spans to " + exporter + " failed or timed out; "
              + "spans are dropped and counted (race.export_failures), the application is unaffected");
        }
      }
    }
  }

  void shutdown() {
    flush();
    for (SpanExporter exporter : exporters) {
      try {
        exporter.shutdown().join(timeoutMillis, TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        counters.exportFailures().incrementAndGet();
      }
    }
  }
}
