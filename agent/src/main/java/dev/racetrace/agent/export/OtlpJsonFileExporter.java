package dev.racetrace.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The embedded default exporter: appends one OTLP/JSON {@code ExportTraceServiceRequest} per batch,
 * one per line, to a file (created at the first span). The format is the OpenTelemetry SDK's OTLP
 * JSON exporter's; the encoding is {@link OtlpJsonEncoder}'s, several times cheaper per span.
 */
final class OtlpJsonFileExporter implements SpanExporter {
  /** A batch is about 1 KB per span; the buffer is kept up to this size between batches. */
  private static final int RETAINED_BUFFER = 4 << 20;

  private final Path file;
  private final OutputStream out;
  private final OutBudget budget;
  private final JsonBytes buffer = new JsonBytes(1 << 16);
  private final OtlpJsonEncoder encoder = new OtlpJsonEncoder(buffer);
  private boolean shutdown;

  OtlpJsonFileExporter(Path file) {
    this(file, OutBudget.UNLIMITED);
  }

  /** @param budget racetrace.out.max: a batch that does not fit is not written, and counted */
  OtlpJsonFileExporter(Path file, OutBudget budget) {
    this(file, new LazyFileOutputStream(file), budget);
  }

  OtlpJsonFileExporter(Path file, OutputStream out) {
    this(file, out, OutBudget.UNLIMITED);
  }

  OtlpJsonFileExporter(Path file, OutputStream out, OutBudget budget) {
    this.file = file;
    this.out = out;
    this.budget = budget;
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
      if (!budget.fits(buffer.length())) {
        // the last batch: write the first half, quarter, ... that still fits, count the rest
        List<SpanData> all = new ArrayList<>(spans);
        int n = all.size();
        do {
          n /= 2;
          buffer.reset();
          if (n > 0) {
            encoder.encodeRequest(all.subList(0, n));
          }
        } while (n > 0 && !budget.fits(buffer.length()));
        budget.drop(all.size() - n);
        if (n == 0) {
          return CompletableResultCode.ofSuccess(); // dropped on purpose and counted: not a failure
        }
      }
      buffer.writeTo(out);
      out.flush();
      budget.wrote(buffer.length());
      return CompletableResultCode.ofSuccess();
    } catch (IOException | RuntimeException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    } finally {
      buffer.trimTo(RETAINED_BUFFER);
    }
  }

  @Override
  public synchronized CompletableResultCode flush() {
    try {
      out.flush();
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  @Override
  public synchronized CompletableResultCode shutdown() {
    if (shutdown) {
      return CompletableResultCode.ofSuccess();
    }
    shutdown = true;
    try {
      out.close();
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  @Override
  public String toString() {
    return "OTLP JSON file " + file;
  }
}
