package dev.racetrace.agent.export;

import io.opentelemetry.exporter.logging.otlp.OtlpJsonLoggingSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.PrintStream;
import java.util.Collection;

/**
 * {@code otel.traces.exporter=logging-otlp}: one OTLP JSON {@code ExportTraceServiceRequest} per
 * batch, one line each, on standard error (the OTLP JSON file format, byte for byte what the
 * span files hold). It takes the place of the SDK's logging exporter, which logs through a
 * java.util.logging logger: in the agent that logger is one of racetrace's relocated names, kept
 * quiet by {@code LibraryLogCapture} and away from the application's handlers, and JUL's own
 * shutdown hook removes any handler while racetrace's last batch is still being exported.
 */
final class LoggingOtlpToStderr implements SpanExporter {
  private static final int RETAINED_BUFFER = 4 << 20;

  private final JsonBytes buffer = new JsonBytes(1 << 16);
  private final OtlpJsonEncoder encoder = new OtlpJsonEncoder(buffer);
  private boolean shutdown;

  /** Whether {@code exporter} is the SDK's OTLP JSON logging exporter, which this replaces. */
  static boolean replaces(SpanExporter exporter) {
    return exporter instanceof OtlpJsonLoggingSpanExporter;
  }

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> spans) {
    if (shutdown) {
      return CompletableResultCode.ofFailure();
    }
    if (spans.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    try {
      buffer.reset();
      encoder.encodeRequest(spans);
      PrintStream err = System.err; // the stream of the moment, should the application replace it
      synchronized (err) {
        buffer.writeTo(err);
        err.flush();
      }
      return CompletableResultCode.ofSuccess();
    } catch (java.io.IOException | RuntimeException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    } finally {
      buffer.trimTo(RETAINED_BUFFER);
    }
  }

  @Override
  public CompletableResultCode flush() {
    System.err.flush();
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public synchronized CompletableResultCode shutdown() {
    shutdown = true;
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "logging-otlp (standard error)";
  }
}
