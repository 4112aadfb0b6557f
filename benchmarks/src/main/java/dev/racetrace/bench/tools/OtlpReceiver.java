package dev.racetrace.bench.tools;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A minimal OTLP/HTTP trace receiver for the export-rate benchmark: it listens on 127.0.0.1 only,
 * accepts {@code POST /v1/traces} (protobuf, optionally gzip), counts requests, bytes and spans
 * and answers 200 with an empty {@code ExportTraceServiceResponse}.
 *
 * <ul>
 *   <li>{@code GET /stats}: one line {@code requests=.. bytes=.. spans=.. dropped=.. recorded=..}
 *       (the last {@code racetrace.stats} span's counters, -1 if none seen);</li>
 *   <li>{@code POST /reset}: zeroes the counters;</li>
 *   <li>{@code POST /quit}: stops it.</li>
 * </ul>
 *
 * <pre>java -cp benchmarks.jar dev.racetrace.bench.tools.OtlpReceiver &lt;port-file&gt; [max-seconds]</pre>
 *
 * It writes the port it got to {@code port-file} and stops by itself after {@code max-seconds}
 * (default 900).
 */
public final class OtlpReceiver {
  private long requests;
  private long bytes;
  private long spans;
  private long dropped = -1;
  private long recorded = -1;
  private final CountDownLatch quit = new CountDownLatch(1);

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: OtlpReceiver <port-file> [max-seconds]");
      System.exit(2);
    }
    long maxSeconds = args.length > 1 ? Long.parseLong(args[1]) : 900;
    OtlpReceiver r = new OtlpReceiver();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/v1/traces", r::traces);
    server.createContext("/stats", r::stats);
    server.createContext("/reset", r::reset);
    server.createContext("/quit", r::quit);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    int port = server.getAddress().getPort();
    Files.writeString(Path.of(args[0]), Integer.toString(port));
    System.err.println("otlp-receiver: listening on 127.0.0.1:" + port);
    r.quit.await(maxSeconds, TimeUnit.SECONDS);
    server.stop(0);
    System.exit(0);
  }

  private void traces(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("POST")) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      long wireBytes = body.length;
      if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      if (type != null && !type.startsWith("application/x-protobuf")) {
        ex.sendResponseHeaders(415, -1);
        return;
      }
      OtlpProtobuf.Counts c;
      try {
        c = OtlpProtobuf.count(body);
      } catch (RuntimeException e) {
        System.err.println("otlp-receiver: cannot decode a request of " + body.length + " bytes: " + e);
        ex.sendResponseHeaders(400, -1);
        return;
      }
      synchronized (this) {
        requests++;
        bytes += wireBytes;
        spans += c.spans;
        if (c.dropped >= 0) {
          dropped = c.dropped;
        }
        if (c.recorded >= 0) {
          recorded = c.recorded;
        }
      }
      ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      ex.sendResponseHeaders(200, -1);
    }
  }

  private void stats(HttpExchange ex) throws IOException {
    String line;
    synchronized (this) {
      line = "requests=" + requests + " bytes=" + bytes + " spans=" + spans + " dropped=" + dropped
          + " recorded=" + recorded + "\n";
    }
    respond(ex, line);
  }

  private void reset(HttpExchange ex) throws IOException {
    synchronized (this) {
      requests = 0;
      bytes = 0;
      spans = 0;
      dropped = -1;
      recorded = -1;
    }
    respond(ex, "ok\n");
  }

  private void quit(HttpExchange ex) throws IOException {
    respond(ex, "bye\n");
    quit.countDown();
  }

  private static void respond(HttpExchange ex, String text) throws IOException {
    try (ex) {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain");
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }
  }
}
