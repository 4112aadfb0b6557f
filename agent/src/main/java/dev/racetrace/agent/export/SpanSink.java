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
  private final java.util.ArrayDeque<Batch> inFlight = new java.util.ArrayDeque<>();
  static final int IN_FLIGHT = 2;
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

  /**
   * Exports what is pending. Up to {@link #IN_FLIGHT} batches per exporter may still be on their
   * way (a network exporter answers later); beyond that the oldest is waited for.
   */
  void flush() {
    reapCompleted();
    if (pending.isEmpty()) {
      return;
    }
    List<SpanData> batch = new ArrayList<>(pending);
    pending.clear();
    for (SpanExporter exporter : exporters) {
      CompletableResultCode result;
      try {
        result = exporter.export(batch);
      } catch (RuntimeException e) {
        result = CompletableResultCode.ofFailure();
      }
      inFlight.addLast(new Batch(exporter, result, batch.size()));
    }
    while (inFlight.size() > IN_FLIGHT * exporters.size()) {
      settle(inFlight.pollFirst());
    }
  }

  private void reapCompleted() {
    while (!inFlight.isEmpty() && inFlight.peekFirst().result.isDone()) {
      settle(inFlight.pollFirst());
    }
  }

  private void settle(Batch b) {
    boolean ok;
    try {
      b.result.join(timeoutMillis, TimeUnit.MILLISECONDS);
      ok = b.result.isDone() && b.result.isSuccess();
      b.exporter.flush().join(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      ok = false;
    }
    if (ok) {
      counters.exportedSpans().addAndGet(b.spans);
    } else {
      counters.exportFailures().incrementAndGet();
      if (!warned) {
        warned = true;
        System.err.println(dev.racetrace.agent.internal.Redact.line("racetrace: exporting spans to "
            + b.exporter + " failed or timed out; "
            + "spans are dropped and counted (race.export_failures), the application is unaffected"));
      }
    }
  }

  /** One exported batch whose result may still be pending. */
  private static final class Batch {
    final SpanExporter exporter;
    final CompletableResultCode result;
    final int spans;

    Batch(SpanExporter exporter, CompletableResultCode result, int spans) {
      this.exporter = exporter;
      this.result = result;
      this.spans = spans;
    }
  }

  /** Exports what is pending and waits for every batch in flight. */
  void settleAll() {
    flush();
    while (!inFlight.isEmpty()) {
      settle(inFlight.pollFirst());
    }
  }

  void shutdown() {
    settleAll();
    for (SpanExporter exporter : exporters) {
      try {
        exporter.shutdown().join(timeoutMillis, TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        counters.exportFailures().incrementAndGet();
      }
    }
  }
}
