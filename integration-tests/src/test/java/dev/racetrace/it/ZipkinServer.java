package dev.racetrace.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Zipkin server ({@code io.zipkin:zipkin-server:3.6.1:exec}, fetched by the pom into
 * {@code target/otel}) on 127.0.0.1 and a free port, with its default in-memory storage. Its
 * start-up takes 5-10 s on two cores, so a test class starts one for all its tests.
 */
final class ZipkinServer implements AutoCloseable {
  static final Path JAR = Paths.get(System.getProperty("racetrace.zipkin.server",
      "target/otel/zipkin-server.jar")).toAbsolutePath();

  private final Process process;
  private final Path log;
  private final int port;
  /** HTTP/1.1, as the analyzer's reader: no cleartext upgrade to HTTP/2 with Zipkin's Armeria. */
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private ZipkinServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts the server and waits until {@code /health} says UP. */
  static ZipkinServer start() throws IOException {
    int port = Ports.freeLoopbackPort();
    Path log = Files.createTempFile("zipkin-server", ".log");
    List<String> cmd = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        // a small, quick-starting JVM: the test sends a few thousand spans
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-jar", JAR.toString(),
        // Armeria serves Zipkin's HTTP port; bind it to the loopback interface only
        "--armeria.ports[0].ip=127.0.0.1",
        "--armeria.ports[0].port=" + port,
        "--armeria.ports[0].protocols[0]=http"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("STORAGE_TYPE", "mem");
    pb.environment().put("SELF_TRACING_ENABLED", "false");
    ZipkinServer server = new ZipkinServer(pb.start(), log, port);
    try {
      await("Zipkin's /health on port " + port).atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> {
            if (!server.process.isAlive()) {
              throw new IllegalStateException("Zipkin exited: " + server.logTail());
            }
            return server.healthy();
          });
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private boolean healthy() {
    try {
      return get("/health").contains("\"UP\"");
    } catch (IOException e) {
      return false;
    }
  }

  /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The span collection endpoint the agent sends to. */
  String spansEndpoint() {
    return url() + "/api/v2/spans";
  }

  /** GET {@code pathAndQuery}; the body of a 200 answer. */
  String get(String pathAndQuery) throws IOException {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode() + " for " + pathAndQuery + ": " + r.body());
      }
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a temp file; nothing else to do
    }
  }
}
