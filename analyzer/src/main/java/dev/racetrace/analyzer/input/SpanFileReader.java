package dev.racetrace.analyzer.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads one span file, whatever its format, by content: every top-level JSON object is looked at
 * by its fields. {@code resourceSpans} (or a bare {@code resource}/{@code scopeSpans}, or Tempo's
 * {@code batches}) is OTLP JSON (one per line, as the SDK's OTLP JSON exporter writes them),
 * {@code data} is a Jaeger export; a top-level array is Zipkin v2 JSON. Files ending in {@code .gz} are decompressed. Streams: memory does not grow with the
 * file, only with what the sink keeps.
 */
public final class SpanFileReader {
  private final JsonFactory factory = JsonFactory.builder().build();
  private final Interner interner;

  /** @param interner shares strings across every file read with this reader */
  public SpanFileReader(Interner interner) {
    this.interner = interner;
  }

  /**
   * Reads {@code file} into {@code sink}.
   *
   * @throws InputException if the file cannot be read or is not valid span data; the message
   *     names the file and line
   */
  public void read(Path file, SpanSink sink) throws InputException {
    read(file, 0, Long.MAX_VALUE, sink);
  }

  /**
   * Reads bytes {@code [start, end)} of {@code file}, which must begin and end at line
   * boundaries of a JSON lines file (see {@link FileSlices}). Line numbers in errors are
   * relative to {@code start}.
   */
  public void read(Path file, long start, long end, SpanSink sink) throws InputException {
    Parsing parsing = new Parsing();
    try (InputStream in = open(file, start, end)) {
      read(in, fallbackNode(file), sink, parsing);
    } catch (IOException | IllegalArgumentException e) {
      throw InputException.whileParsing(file, parsing.parser, e);
    }
  }

  /**
   * Reads span data from {@code in} (a backend's query API answer) into {@code sink}.
   *
   * @param source names the input in errors, e.g. the URL
   * @param fallbackNode the node of spans whose resource names none
   * @return how many traces the answer held (Jaeger's {@code data[]} entries, Zipkin's lists of
   *     spans), 0 for OTLP JSON
   * @throws InputException if {@code in} is not valid span data
   */
  public int read(String source, InputStream in, String fallbackNode, SpanSink sink)
      throws InputException {
    Parsing parsing = new Parsing();
    try {
      return read(in, fallbackNode, sink, parsing);
    } catch (IOException | IllegalArgumentException e) {
      throw InputException.whileParsing(source, parsing.parser, e);
    }
  }

  /** The parser in use, for the error location. */
  private static final class Parsing {
    JsonParser parser;
  }

  /** Reads everything in {@code in}; returns the number of Jaeger and Zipkin traces. */
  private int read(InputStream in, String fallbackNode, SpanSink sink, Parsing parsing)
      throws IOException {
    JsonParser p = factory.createParser(in);
    parsing.parser = p;
    OtlpJsonReader otlp = new OtlpJsonReader(p, interner);
    JaegerJsonReader jaeger = new JaegerJsonReader(p, interner);
    ZipkinJsonReader zipkin = new ZipkinJsonReader(p, interner);
    JsonToken t;
    while ((t = p.nextToken()) != null) {
      if (t == JsonToken.START_ARRAY) {
        zipkin.readArray(sink, fallbackNode);
        continue;
      }
      if (t != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("expected a JSON object (an OTLP "
            + "ExportTraceServiceRequest or a Jaeger export) or array (Zipkin spans) but found "
            + JsonTokens.describe(t));
      }
      if (!readObject(p, otlp, jaeger, sink, fallbackNode)) {
        throw new IllegalArgumentException("not span data: an object with neither "
            + "\"resourceSpans\" (OTLP JSON) nor \"data\" (Jaeger export)");
      }
    }
    return jaeger.traces() + zipkin.traces();
  }

  /** Reads one top-level object; whether it held span data. Parser on its {@code START_OBJECT}. */
  private static boolean readObject(JsonParser p, OtlpJsonReader otlp, JaegerJsonReader jaeger,
      SpanSink sink, String fallbackNode) throws IOException {
    ResourceBlock bare = null;
    boolean recognised = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "resourceSpans":
        case "batches": // Tempo's /api/traces/<id>
          recognised = true;
          otlp.readResourceSpansArray(sink, fallbackNode);
          break;
        case "trace": // Tempo's /api/v2/traces/<id>: {"trace": {"resourceSpans": [...]}}
          if (p.currentToken() == JsonToken.START_OBJECT) {
            recognised |= readObject(p, otlp, jaeger, sink, fallbackNode);
          } else {
            p.skipChildren();
          }
          break;
        case "resource":
        case "scopeSpans":
        case "instrumentationLibrarySpans":
          recognised = true;
          if (bare == null) {
            bare = new ResourceBlock(fallbackNode, sink);
          }
          otlp.readResourceSpansField(field, bare);
          break;
        case "data":
          recognised = true;
          if (p.currentToken() == JsonToken.START_ARRAY) {
            jaeger.readTraces(sink, fallbackNode);
          } else {
            p.skipChildren(); // Jaeger answers "data": null when nothing matched
          }
          break;
        default:
          p.skipChildren();
      }
    }
    if (bare != null) {
      bare.resolve();
    }
    return recognised;
  }

  private static InputStream open(Path file, long start, long end) throws IOException {
    if (start > 0 || end != Long.MAX_VALUE) {
      SeekableByteChannel ch = Files.newByteChannel(file);
      ch.position(start);
      InputStream slice = new BoundedInputStream(Channels.newInputStream(ch), end - start);
      return new BufferedInputStream(slice, 1 << 16);
    }
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
  }

  /** At most {@code remaining} bytes of {@code in}. */
  private static final class BoundedInputStream extends FilterInputStream {
    private long remaining;

    BoundedInputStream(InputStream in, long limit) {
      super(in);
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(buf, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }
  }

  private static String fallbackNode(Path file) {
    String name = file.getFileName().toString();
    int dot = name.indexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
