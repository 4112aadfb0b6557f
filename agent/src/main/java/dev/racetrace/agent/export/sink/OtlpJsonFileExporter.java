package dev.racetrace.agent.export.sink;

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
 * The OTLP JSON file exporter ({@code racetrace.exporter=otlp-json}): appends one OTLP/JSON
 * {@code ExportTraceServiceRequest} per batch, one per line, to a file (created at the first span),
 * or to standard error for {@code otel.traces.exporter=logging-otlp} ({@link LoggingOtlpToStderr}).
 * The format is the OpenTelemetry SDK's OTLP JSON exporter's; the encoding is
 * {@link OtlpJsonEncoder}'s, several times cheaper per span.
 */
public final class OtlpJsonFileExporter implements SpanExporter {
  /** A batch is about 1 KB per span; the buffer is kept up to this size between batches. */
  private static final int RETAINED_BUFFER = 4 << 20;

  private final String description;
  private final OutputStream out;
  private final OutBudget budget;
  private final JsonBytes buffer = new JsonBytes(1 << 16);
  private final OtlpJsonEncoder encoder = new OtlpJsonEncoder(buffer);
  private boolean shutdown;

  public OtlpJsonFileExporter(Path file) {
    this(file, OutBudget.unlimited());
  }

  /** @param budget racetrace.out.max: the file rolls over into parts, the oldest deleted */
  public OtlpJsonFileExporter(Path file, OutBudget budget) {
    this(new LazyFileOutputStream(file, budget), budget, "OTLP JSON file " + file);
  }

  /**
   * @param out where the request lines go (flushed after every batch, closed at shutdown)
   * @param budget rolls {@code out} over into parts; {@link OutBudget#unlimited()} for a stream
   * @param description what {@link #toString()} says
   */
  OtlpJsonFileExporter(OutputStream out, OutBudget budget, String description) {
    this.out = out;
    this.budget = budget;
    this.description = description;
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
      if (buffer.length() <= budget.partBytes()) {
        write(spans.size());
      } else {
        // a line never spans two parts: a batch larger than a part goes as smaller requests
        writeSplit(new ArrayList<>(spans));
      }
      return CompletableResultCode.ofSuccess();
    } catch (IOException | RuntimeException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    } finally {
      buffer.trimTo(RETAINED_BUFFER);
    }
  }

  /** Writes each half of {@code spans} as its own request; a span alone larger than a part is counted. */
  private void writeSplit(List<SpanData> spans) throws IOException {
    if (spans.size() == 1) {
      budget.drop(1);
      return;
    }
    int half = spans.size() / 2;
    for (List<SpanData> part : List.of(spans.subList(0, half), spans.subList(half, spans.size()))) {
      buffer.reset();
      encoder.encodeRequest(part);
      if (buffer.length() <= budget.partBytes()) {
        write(part.size());
      } else {
        writeSplit(part);
      }
    }
  }

  /** The encoded request in the buffer goes to the file, a new part first if the current is full. */
  private void write(int spans) throws IOException {
    budget.beforeBatch(buffer.length());
    buffer.writeTo(out);
    out.flush();
    budget.batchWritten(spans);
  }

  @Override
  public synchronized CompletableResultCode flush() {
    return Streams.flush(out);
  }

  @Override
  public synchronized CompletableResultCode shutdown() {
    if (shutdown) {
      return CompletableResultCode.ofSuccess();
    }
    shutdown = true;
    return Streams.close(out);
  }

  @Override
  public String toString() {
    return description;
  }
}
