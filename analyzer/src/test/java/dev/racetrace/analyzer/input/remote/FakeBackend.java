package dev.racetrace.analyzer.input.remote;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A query API on 127.0.0.1 answering recorded responses by path, and remembering each request. */
final class FakeBackend implements AutoCloseable {
  final List<URI> requests = new CopyOnWriteArrayList<>();
  /** The {@code Upgrade} header of each request that had one (e.g. h2c). */
  final List<String> upgrades = new CopyOnWriteArrayList<>();
  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final HttpServer server;

  FakeBackend() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestURI());
      String upgrade = exchange.getRequestHeaders().getFirst("Upgrade");
      if (upgrade != null) {
        upgrades.add(upgrade);
      }
      String path = exchange.getRequestURI().getPath();
      String body = answers.getOrDefault(path, "{\"error\":\"no such path " + path + "\"}");
      int status = statuses.getOrDefault(path, answers.containsKey(path) ? 200 : 404);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  FakeBackend answer(String path, String body) {
    answers.put(path, body);
    return this;
  }

  FakeBackend answer(String path, int status, String body) {
    answers.put(path, body);
    statuses.put(path, status);
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The decoded query of the first request to {@code path}. */
  String query(String path) {
    for (URI u : requests) {
      if (u.getPath().equals(path)) {
        return u.getQuery();
      }
    }
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
