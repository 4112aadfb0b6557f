package dev.racetrace.agent.export.sink;

import io.opentelemetry.exporter.logging.otlp.OtlpJsonLoggingSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code racetrace.file.encoder=otel-sdk}: the OpenTelemetry SDK's own OTLP JSON encoding, through
 * its public {@link OtlpJsonLoggingSpanExporter}, written to the span file as one
 * {@code ExportTraceServiceRequest} per line, the bytes the SDK's OTLP JSON stdout exporter writes
 * with its wrapper object (one resource per racetrace process, so one {@code resourceSpans} entry
 * a line; {@code SdkOtlpJsonFileExporterTest} compares them).
 *
 * <p>The SDK exporter hands each {@code ResourceSpans} to a java.util.logging logger: that logger
 * (a relocated racetrace name in the agent jar, under the one {@code LibraryLogCapture} already
 * owns) gets one racetrace handler, level INFO and {@code useParentHandlers=false}, so the lines
 * reach no application handler; records above INFO (problems the SDK reports) are passed on to the
 * parent loggers' handlers as before. The SDK logs in the calling thread, so the handler writes to the
 * file of the exporter that is exporting (one at a time). Should something reset the logging
 * configuration (LogManager.reset, also done by its shutdown hook), the next export installs the
 * handler again.
 */
public final class SdkOtlpJsonFileExporter implements SpanExporter {
  private static final Logger LINES = Logger.getLogger(OtlpJsonLoggingSpanExporter.class.getName());
  private static final ToFile HANDLER = new ToFile();
  private static final byte[] BEFORE = "{\"resourceSpans\":[".getBytes(StandardCharsets.UTF_8);
  private static final byte[] AFTER = "]}\n".getBytes(StandardCharsets.UTF_8);

  private final SpanExporter sdk = OtlpJsonLoggingSpanExporter.create();
  private final OutputStream out;

  /** @param out the span file; flushed after every export, closed at shutdown */
  public SdkOtlpJsonFileExporter(OutputStream out) {
    this.out = out;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    synchronized (HANDLER) {
      attach();
      HANDLER.target = out;
      HANDLER.failure = null;
      try {
        CompletableResultCode result = sdk.export(spans);
        if (HANDLER.failure == null) {
          out.flush();
        }
        return HANDLER.failure != null ? CompletableResultCode.ofExceptionalFailure(HANDLER.failure)
            : result;
      } catch (IOException e) {
        return CompletableResultCode.ofExceptionalFailure(e);
      } finally {
        HANDLER.target = null;
      }
    }
  }

  /** The handler on the SDK exporter's logger, alone, at INFO (again, if a reset removed it). */
  private static void attach() {
    if (LINES.getLevel() != Level.INFO || LINES.getUseParentHandlers()
        || !Arrays.asList(LINES.getHandlers()).contains(HANDLER)) {
      LINES.setUseParentHandlers(false);
      LINES.setLevel(Level.INFO);
      LINES.removeHandler(HANDLER);
      LINES.addHandler(HANDLER);
    }
  }

  @Override
  public CompletableResultCode flush() {
    return Streams.flush(out);
  }

  @Override
  public CompletableResultCode shutdown() {
    sdk.shutdown();
    return Streams.close(out);
  }

  /** One record per {@code ResourceSpans}: its JSON, wrapped into a request line. */
  private static final class ToFile extends Handler {
    /** The stream of the exporter exporting now; guarded by the handler's monitor. */
    OutputStream target;
    IOException failure;

    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() > Level.INFO.intValue()) {
        // a problem the SDK reports: on to the parent's handlers (LibraryLogCapture's, in the
        // agent), as if useParentHandlers were still true for it
        for (Logger l = LINES.getParent(); l != null; l = l.getUseParentHandlers() ? l.getParent() : null) {
          for (Handler h : l.getHandlers()) {
            h.publish(record);
          }
        }
        return;
      }
      OutputStream o = target;
      if (o == null || failure != null || record.getLevel() != Level.INFO) {
        return; // not from an export of ours (the SDK logs nothing else at INFO)
      }
      byte[] json = escapeSurrogates(record.getMessage()).getBytes(StandardCharsets.UTF_8);
      byte[] line = new byte[BEFORE.length + json.length + AFTER.length];
      System.arraycopy(BEFORE, 0, line, 0, BEFORE.length);
      System.arraycopy(json, 0, line, BEFORE.length, json.length);
      System.arraycopy(AFTER, 0, line, BEFORE.length + json.length, AFTER.length);
      try {
        o.write(line); // one write per line: a part of the budget never ends inside one
      } catch (IOException e) {
        failure = e;
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /**
   * The logging exporter encodes to a String, which keeps characters outside the BMP as they are;
   * the SDK's stream encoder (and racetrace's) writes each of their surrogates as a six-character
   * escape: backslash, {@code u}, four upper-case hex digits (a rocket emoji: D83D, DE80).
   * Surrogates occur only inside JSON strings, so every one is escaped here.
   */
  static String escapeSurrogates(String json) {
    int i = 0;
    while (i < json.length() && !Character.isSurrogate(json.charAt(i))) {
      i++;
    }
    if (i == json.length()) {
      return json;
    }
    StringBuilder sb = new StringBuilder(json.length() + 16).append(json, 0, i);
    for (; i < json.length(); i++) {
      char c = json.charAt(i);
      if (Character.isSurrogate(c)) {
        sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
            .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
