package dev.racetrace.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** An OTLP/HTTP endpoint on 127.0.0.1 that answers every POST with one status, after a delay. */
final class HttpBackend implements AutoCloseable {
  final AtomicInteger posts = new AtomicInteger();
  private final HttpServer server;

  /** @param delayMillis before answering; {@code Long.MAX_VALUE} never answers */
  HttpBackend(int status, long delayMillis) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "http-backend");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", exchange -> {
      posts.incrementAndGet();
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
        if (delayMillis > 0) {
          TimeUnit.MILLISECONDS.sleep(delayMillis == Long.MAX_VALUE ? TimeUnit.MINUTES.toMillis(10) : delayMillis);
        }
        exchange.sendResponseHeaders(status, -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
