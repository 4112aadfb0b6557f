package dev.racetrace.sample;

import dev.racetrace.sample.wire.Json;
import dev.racetrace.sample.wire.RawRecord;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Client of one node's debug endpoint (raw reads, status, start, merge, shutdown), authenticated
 * with the node's bearer token.
 */
public final class NodeClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(3))
      .version(HttpClient.Version.HTTP_1_1)
      .build();

  private final String nodeId;
  private final URI base;
  private final String token;

  /**
   * @param nodeId the node's id (for messages)
   * @param host the endpoint's host (127.0.0.1)
   * @param port the endpoint's port
   * @param token the bearer token the node printed
   */
  public NodeClient(String nodeId, String host, int port, String token) {
    this.nodeId = nodeId;
    this.base = URI.create("http://" + host + ":" + port);
    this.token = token;
  }

  /** The node's id. */
  public String nodeId() {
    return nodeId;
  }

  /** Raw read of one key: the node's persisted record, or a missing record (404). */
  public RawRecord raw(String key) throws IOException, InterruptedException {
    HttpResponse<String> r = send("GET", "/raw/" + encode(key), null, Optional.of(bearer()));
    if (r.statusCode() != 200 && r.statusCode() != 404) {
      throw failure("GET /raw/" + key, r);
    }
    return RawRecord.fromJson(Json.parseObject(r.body()));
  }

  /** Every persisted record of the node. */
  public List<RawRecord> rawAll() throws IOException, InterruptedException {
    HttpResponse<String> r = send("GET", "/raw", null, Optional.of(bearer()));
    if (r.statusCode() != 200) {
      throw failure("GET /raw", r);
    }
    List<RawRecord> out = new ArrayList<>();
    for (Object o : Json.parseArray(r.body())) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) o;
      out.add(RawRecord.fromJson(m));
    }
    return out;
  }

  /** {@code GET /status} as a map ({@code state}, {@code completed}, {@code expected}, ...). */
  public Map<String, Object> status() throws IOException, InterruptedException {
    HttpResponse<String> r = send("GET", "/status", null, Optional.of(bearer()));
    if (r.statusCode() != 200) {
      throw failure("GET /status", r);
    }
    return Json.parseObject(r.body());
  }

  /** Starts the node's input log at {@code epochMillis}. */
  public void start(long epochMillis) throws IOException, InterruptedException {
    HttpResponse<String> r = send("POST", "/start?at=" + epochMillis, "", Optional.of(bearer()));
    if (r.statusCode() != 202) {
      throw failure("POST /start", r);
    }
  }

  /**
   * Anti-entropy: offers a peer's record; the node keeps it if it is newer (last-writer-wins).
   *
   * @return whether the node's record changed
   */
  public boolean merge(RawRecord record) throws IOException, InterruptedException {
    HttpResponse<String> r = send("POST", "/merge/" + encode(record.key()), record.toJson(),
        Optional.of(bearer()));
    if (r.statusCode() != 200) {
      throw failure("POST /merge/" + record.key(), r);
    }
    return Boolean.TRUE.equals(Json.parseObject(r.body()).get("applied"));
  }

  /** Asks the node to stop. */
  public void shutdown() throws IOException, InterruptedException {
    HttpResponse<String> r = send("POST", "/shutdown", "", Optional.of(bearer()));
    if (r.statusCode() != 202) {
      throw failure("POST /shutdown", r);
    }
  }

  /**
   * A raw request, for tests of the access control.
   *
   * @param method GET or POST
   * @param path e.g. {@code /raw/key-01}
   * @param body the POST body, or null
   * @param authorization the {@code Authorization} header to send, if any
   */
  public HttpResponse<String> send(String method, String path, String body,
      Optional<String> authorization) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
    authorization.ifPresent(a -> b.header("Authorization", a));
    if (method.equals("POST")) {
      b.POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
      b.header("Content-Type", "application/json");
    } else {
      b.GET();
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private String bearer() {
    return "Bearer " + token;
  }

  private IOException failure(String what, HttpResponse<String> r) {
    return new IOException(nodeId + ": " + what + " answered " + r.statusCode() + ": " + r.body());
  }

  private static String encode(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
