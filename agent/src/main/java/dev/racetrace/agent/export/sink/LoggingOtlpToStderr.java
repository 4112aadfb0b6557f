package dev.racetrace.agent.export.sink;

import io.opentelemetry.exporter.logging.otlp.OtlpJsonLoggingSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * {@code otel.traces.exporter=logging-otlp}: one OTLP JSON {@code ExportTraceServiceRequest} per
 * batch, one line each, on standard error (the OTLP JSON file format, byte for byte what the
 * span files hold: the same {@link OtlpJsonFileExporter}, writing to standard error). It takes
 * the place of the SDK's logging exporter, which logs through a java.util.logging logger: in the
 * agent that logger is one of racetrace's relocated names, kept quiet by
 * {@code LibraryLogCapture} and away from the application's handlers, and JUL's own shutdown hook
 * removes any handler while racetrace's last batch is still being exported.
 */
public final class LoggingOtlpToStderr {
  private LoggingOtlpToStderr() {}

  /** Whether {@code exporter} is the SDK's OTLP JSON logging exporter, which this replaces. */
  public static boolean replaces(SpanExporter exporter) {
    return exporter instanceof OtlpJsonLoggingSpanExporter;
  }

  /** The exporter that prints each batch as one line on standard error. */
  public static SpanExporter create() {
    return new OtlpJsonFileExporter(new CurrentStderr(), OutBudget.unlimited(),
        "logging-otlp (standard error)");
  }

  /**
   * The standard error of the moment, should the application replace it; each request is one
   * write under the stream's lock, so it is never interleaved with the application's lines. Never
   * closed by racetrace.
   */
  private static final class CurrentStderr extends OutputStream {
    @Override
    public void write(int b) {
      System.err.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      PrintStream err = System.err;
      synchronized (err) {
        err.write(b, off, len);
      }
    }

    @Override
    public void flush() {
      System.err.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }
}
