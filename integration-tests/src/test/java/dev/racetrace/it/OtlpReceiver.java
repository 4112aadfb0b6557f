package dev.racetrace.it;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A real OTLP/HTTP trace receiver on 127.0.0.1: decodes each POST /v1/traces body with the
 * OpenTelemetry protobuf classes. It can also be told to hang (never answer), like a stuck
 * collector.
 */
final class OtlpReceiver implements AutoCloseable {
  final List<ExportTraceServiceRequest> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger posts = new AtomicInteger();
  /** The authorization header of every POST, in arrival order ("" for a POST without one). */
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  OtlpReceiver(boolean hang) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "otlp-receiver");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/v1/traces", exchange -> {
      posts.incrementAndGet();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(authorization == null ? "" : authorization);
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readAllBytes();
        if (hang) {
          TimeUnit.SECONDS.sleep(60);
        }
        requests.add(ExportTraceServiceRequest.parseFrom(body));
        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  /** Every span received so far, in arrival order. */
  List<Span> spans() {
    return requests.stream().flatMap(req -> req.getResourceSpansList().stream())
        .flatMap(rs -> rs.getScopeSpansList().stream()).flatMap(ss -> ss.getSpansList().stream())
        .collect(Collectors.toList());
  }

  /** A string or boolean attribute of {@code s} as text, or null when absent. */
  static String attribute(Span s, String key) {
    for (KeyValue kv : s.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().hasStringValue() ? kv.getValue().getStringValue()
            : String.valueOf(kv.getValue().getBoolValue());
      }
    }
    return null;
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
