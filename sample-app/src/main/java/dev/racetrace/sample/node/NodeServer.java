package dev.racetrace.sample.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.racetrace.api.RaceTrace;
import dev.racetrace.sample.support.NodeControl;
import dev.racetrace.sample.wire.Json;
import dev.racetrace.sample.wire.RawRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The node's debug endpoint, bound to 127.0.0.1 only and protected by a bearer token:
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code GET /raw/{key}}</td><td>the persisted record (raw read, no cache): 200, or
 *       404 with {@code "value":null}</td></tr>
 *   <tr><td>{@code GET /raw}</td><td>every persisted record, as a JSON array</td></tr>
 *   <tr><td>{@code GET /status}</td><td>progress: {@code state}, {@code completed}, ...</td></tr>
 *   <tr><td>{@code POST /start?at=<epochMillis>}</td><td>start the input log at that instant
 *       (for nodes started with {@code --await-start})</td></tr>
 *   <tr><td>{@code POST /merge/{key}}</td><td>anti-entropy: merge a peer's record (body: a raw
 *       record) by last-writer-wins</td></tr>
 *   <tr><td>{@code POST /shutdown}</td><td>stop the node</td></tr>
 * </table>
 *
 * Anything without {@code Authorization: Bearer <token>} gets 401. The token is random per
 * process ({@link #token()}); the node prints it once, on its {@code listening} line.
 */
public final class NodeServer implements AutoCloseable {
  private static final byte[] LOOPBACK = {127, 0, 0, 1};

  private final String nodeId;
  private final String token;
  private final TokenAuth auth;
  private final AtomicReference<Node> current;
  private final NodeControl control;
  private final HttpServer server;

  private NodeServer(String nodeId, AtomicReference<Node> current, NodeControl control,
      HttpServer server) {
    this.nodeId = nodeId;
    this.token = TokenAuth.newToken();
    this.auth = new TokenAuth(token);
    this.current = current;
    this.control = control;
    this.server = server;
  }

  /**
   * Binds 127.0.0.1:{@code port} (0: ephemeral) and starts serving.
   *
   * @param nodeId the node id, reported in records
   * @param port the port, 0 for any free one
   * @param current the node whose records are served (replaced per seed)
   * @param control receives start and shutdown requests
   */
  public static NodeServer start(String nodeId, int port, AtomicReference<Node> current,
      NodeControl control) throws IOException {
    // Small JSON answers: without TCP_NODELAY each one waits for the client's delayed ACK (~40 ms).
    // Read once, when the JDK's server classes initialise, so set before the first create().
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer http = HttpServer.create(
        new InetSocketAddress(InetAddress.getByAddress(LOOPBACK), port), 16);
    NodeServer s = new NodeServer(nodeId, current, control, http);
    http.createContext("/", s::handle);
    http.start();
    return s;
  }

  /** The bound address (always 127.0.0.1). */
  public String host() {
    return server.getAddress().getAddress().getHostAddress();
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The bearer token requests must carry. */
  public String token() {
    return token;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      if (!auth.accepts(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"racetrace-node\"");
        send(ex, 401, "{\"error\":\"missing or wrong bearer token\"}");
        return;
      }
      String path = ex.getRequestURI().getRawPath();
      String method = ex.getRequestMethod();
      if (path.equals("/raw") && method.equals("GET")) {
        send(ex, 200, "[" + rawAll().stream().map(RawRecord::toJson)
            .collect(Collectors.joining(",")) + "]");
      } else if (path.startsWith("/raw/") && method.equals("GET")) {
        RawRecord r = raw(decode(path.substring("/raw/".length())));
        send(ex, r.present() ? 200 : 404, r.toJson());
      } else if (path.equals("/status") && method.equals("GET")) {
        send(ex, 200, statusJson());
      } else if (path.equals("/start") && method.equals("POST")) {
        start(ex);
      } else if (path.startsWith("/merge/") && method.equals("POST")) {
        merge(ex, decode(path.substring("/merge/".length())));
      } else if (path.equals("/shutdown") && method.equals("POST")) {
        send(ex, 202, "{\"stopping\":true}");
        control.requestShutdown();
      } else {
        send(ex, 404, "{\"error\":\"no such endpoint: " + method + " " + path.replace('"', '\'') + "\"}");
      }
    } catch (RuntimeException e) {
      send(ex, 500, "{\"error\":" + Json.quote(e.toString()) + "}");
    } finally {
      ex.close();
    }
  }

  /** The live node's record for {@code key}. */
  private RawRecord raw(String key) {
    Node node = current.get();
    if (node == null) {
      return RawRecord.missing(nodeId, key);
    }
    return node.records().get(key).map(r -> r.toRaw(nodeId))
        .orElseGet(() -> RawRecord.missing(nodeId, key));
  }

  private List<RawRecord> rawAll() {
    Node node = current.get();
    if (node == null) {
      return List.of();
    }
    return node.records().all().stream().map(r -> r.toRaw(nodeId)).collect(Collectors.toList());
  }

  private String statusJson() {
    Node node = current.get();
    NodeStatus s = node == null ? new NodeStatus("starting", 0, -1, 0) : node.status();
    long seed = node == null ? 0 : node.config().seed();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("node", nodeId);
    status.put("seed", seed);
    status.put("state", s.state());
    status.put("completed", s.completed());
    status.put("expected", s.expected());
    status.put("failed", s.failed());
    status.put("agent", RaceTrace.isActive());
    return Json.write(status);
  }

  private void start(HttpExchange ex) throws IOException {
    String q = ex.getRequestURI().getRawQuery();
    long at = System.currentTimeMillis();
    if (q != null && q.startsWith("at=")) {
      try {
        at = Long.parseLong(q.substring(3));
      } catch (NumberFormatException e) {
        send(ex, 400, "{\"error\":\"at must be epoch milliseconds\"}");
        return;
      }
    }
    if (!control.requestStart(at)) {
      send(ex, 409, "{\"error\":\"already started\"}");
      return;
    }
    send(ex, 202, "{\"startAt\":" + at + "}");
  }

  private void merge(HttpExchange ex, String key) throws IOException {
    Node node = current.get();
    if (node == null) {
      send(ex, 409, "{\"error\":\"no node running\"}");
      return;
    }
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    RawRecord incoming;
    try {
      Map<String, Object> m = Json.parseObject(body);
      incoming = RawRecord.fromJson(m);
    } catch (IllegalArgumentException e) {
      send(ex, 400, "{\"error\":" + Json.quote(e.getMessage()) + "}");
      return;
    }
    if (!incoming.key().equals(key) || !incoming.present()) {
      send(ex, 400, "{\"error\":\"body must be a present record for key " + key.replace('"', '\'') + "\"}");
      return;
    }
    boolean applied = node.records().merge(StoredRecord.fromRaw(incoming));
    if (applied) {
      // Makes the amplification visible in the key's timeline: a peer's value replaced ours.
      RaceTrace.mark("reconcile", key);
    }
    send(ex, 200, "{\"applied\":" + applied + "}");
  }

  private static String decode(String raw) {
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange ex, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(body);
    }
  }
}
