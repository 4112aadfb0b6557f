package dev.racetrace.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.racetrace.sample.wire.Json;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's raw-read endpoint: token-protected, loopback only, gone with the node. */
class RawReadEndpointTest {
  private static final long SEED = 5;
  @TempDir
  static Path tmp;
  private static Cluster cluster;
  private static NodeProcess node;
  private static NodeProcess.Endpoint endpoint;

  @BeforeAll
  static void startOneNode() throws Exception {
    cluster = Cluster.launch(new NodeLauncher(Optional.empty(), tmp), List.of("node-1"),
        id -> List.of("--id", id, "--seed", Long.toString(SEED), "--keys", "4",
            "--congested", "false", "--stop-on-stdin-eof"), System.out);
    node = cluster.nodes().get(0);
    endpoint = node.awaitListening(Duration.ofSeconds(60));
    node.awaitDone(SEED, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void withoutTokenOrWithAWrongOne401() throws Exception {
    NodeClient c = node.client();
    for (Optional<String> auth : List.of(Optional.<String>empty(),
        Optional.of("Bearer " + "0".repeat(32)),
        Optional.of("Bearer " + endpoint.token().toUpperCase(Locale.ROOT) + "x"),
        Optional.of(endpoint.token()),
        Optional.of("Basic " + endpoint.token()))) {
      for (String path : List.of("/raw/key-00", "/raw", "/status")) {
        HttpResponse<String> r = c.send("GET", path, null, auth);
        assertThat(r.statusCode()).as("GET %s with %s", path, auth).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
            v -> assertThat(v).startsWith("Bearer"));
        assertThat(r.body()).doesNotContain("\"value\"");
      }
      assertThat(c.send("POST", "/shutdown", "", auth).statusCode()).as("POST /shutdown with %s", auth)
          .isEqualTo(401);
    }
    assertThat(node.isAlive()).as("unauthenticated shutdown must not stop the node").isTrue();
  }

  @Test
  void withTheToken200AndThePersistedRecord() throws Exception {
    HttpResponse<String> r = node.client().send("GET", "/raw/key-00", null,
        Optional.of("Bearer " + endpoint.token()));
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Object> m = Json.parseObject(r.body());
    assertThat(m).containsEntry("node", "node-1").containsEntry("key", "key-00")
        .containsKeys("value", "version", "metadataVersion", "writtenAtMicros");
    assertThat(m.get("version")).isEqualTo(1L);
    assertThat((Long) m.get("metadataVersion")).isPositive();
    assertThat(node.client().raw("key-00").value()).isEqualTo(m.get("value"));
  }

  @Test
  void unknownKey404() throws Exception {
    HttpResponse<String> r = node.client().send("GET", "/raw/no-such-key", null,
        Optional.of("Bearer " + endpoint.token()));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(Json.parseObject(r.body())).containsEntry("value", null);
  }

  @Test
  void boundToLoopbackOnly() throws IOException {
    assertThat(endpoint.host()).isEqualTo("127.0.0.1");
    // Linux: the kernel's socket tables say which address the listener is bound to. A JVM socket
    // is dual-stack, so 127.0.0.1 appears in tcp6 as the IPv4-mapped ::ffff:127.0.0.1.
    String port = String.format(":%04X", endpoint.port());
    List<String> listening = new java.util.ArrayList<>();
    for (Path table : List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"))) {
      if (Files.isReadable(table)) {
        Files.readAllLines(table).stream().skip(1).map(String::trim).map(l -> l.split("\\s+"))
            .filter(f -> f[1].endsWith(port) && f[3].equals("0A")).forEach(f -> listening.add(f[1]));
      }
    }
    if (Files.isReadable(Path.of("/proc/net/tcp"))) {
      assertThat(listening).as("listening sockets on port %d", endpoint.port()).isNotEmpty()
          .allSatisfy(a -> assertThat(a).isIn("0100007F" + port,
              "0000000000000000FFFF00000100007F" + port));
    }
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(ni.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          assertThat(ProcessChecks.accepts(a.getHostAddress(), endpoint.port()))
              .as("connection to %s:%d", a.getHostAddress(), endpoint.port()).isFalse();
        }
      }
    }
  }

  @Test
  void shutdownStopsTheProcessAndClosesThePort() throws Exception {
    // A second node, so this test does not stop the one the others use.
    try (Cluster other = Cluster.launch(new NodeLauncher(Optional.empty(), tmp), List.of("node-9"),
        id -> List.of("--id", id, "--seed", "1", "--keys", "2", "--stop-on-stdin-eof"), System.out)) {
      NodeProcess p = other.nodes().get(0);
      NodeProcess.Endpoint e = p.awaitListening(Duration.ofSeconds(60));
      p.awaitDone(1, Duration.ofSeconds(60));
      p.client().shutdown();
      await().atMost(Duration.ofSeconds(15)).until(() -> !p.isAlive());
      assertThat(p.awaitExit(Duration.ofSeconds(1))).isZero();
      ProcessChecks.assertPortClosed(e.port(), "node-9 after POST /shutdown");
      ProcessChecks.assertGone(List.of(e.pid()), "node-9 after POST /shutdown");
    }
  }
}
