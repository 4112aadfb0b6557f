package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, the runbook's "On a JVM that is already running" walk-through as a test: three sample
 * store nodes started without the agent, racetrace attached to each while it waits for its input
 * (warmed up, endpoint serving, node classes loaded), the input started, raw state read from each
 * node's endpoint, racetrace detached, the spans and raw reads analysed. The commands are the
 * runbook's: {@code java -jar racetrace-sample-app.jar node ...}, {@code java -jar
 * racetrace-agent.jar attach|detach|analyze ...} with the demo's settings.
 *
 * <p>Seed 16 congests node-2 by design (a burst of compaction jobs); the break found on it is the
 * demo's documented result, so the test requires it rather than accepting any outcome.
 */
class SampleAppAttachIT {
  private static final Path SAMPLE = Paths.get(System.getProperty("racetrace.sample.jar",
      "../sample-app/target/racetrace-sample-app.jar")).toAbsolutePath().normalize();
  private static final String P = "dev.racetrace.sample.node";
  /** The demo's agent settings (sample-app AgentConfig), as attach arguments. */
  static final List<String> SETTINGS = List.of(
      "include=" + P,
      "keys=" + P + ".Operation#key",
      "ops=" + P + ".LoadMetadata=load-metadata," + P + ".Derive=derive," + P + ".Publish=publish,"
          + P + ".Compaction=compaction",
      "state=metadata.entities=" + P + ".MetadataStore#entities,metadata.updates=" + P + ".MetadataStore#updates",
      "guards.flags=" + P + ".Node#ready",
      "rules=load-metadata < derive < publish per key");
  private static final Pattern LISTENING = Pattern.compile("listening node=(\\S+) host=(\\S+) port=(\\d+) token=(\\S+) pid=(\\d+)");
  private static final Pattern DETACH = Pattern.compile("detach (\\d+) --token ([0-9a-f]{32})");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir; // kept for diagnosis when the test fails

  @Test
  void attachToRunningNodesFindsTheRaceAndDetachLeavesThemAsTheyWere() throws Exception {
    Map<String, List<String>> plainOutput = new LinkedHashMap<>();
    try (Cluster plain = Cluster.start(dir.resolve("plain"))) {
      plain.startInput();
      plain.awaitDone();
      plain.shutdown();
      for (Node n : plain.nodes) {
        plainOutput.put(n.id, normalized(n.stdout()));
      }
    }

    Path out = dir.resolve("attached");
    Path spans = out.resolve("spans");
    Path raw = out.resolve("raw");
    Files.createDirectories(raw);
    try (Cluster c = Cluster.start(out)) {
      ForkedJvm.Result list = cli(out, "list");
      for (Node n : c.nodes) {
        assertThat(list.stdout).containsPattern("(?m)^" + n.pid + " +\\S*racetrace-sample-app\\.jar +-$");
      }
      Map<String, String> detachTokens = new LinkedHashMap<>();
      for (Node n : c.nodes) {
        List<String> args = new ArrayList<>(List.of("attach", Long.toString(n.pid)));
        args.addAll(SETTINGS);
        args.add("out=" + spans);
        ForkedJvm.Result attached = cli(out, args.toArray(new String[0]));
        assertThat(attached.exitCode).as("%s", attached).isZero();
        assertThat(attached.stdout).contains(": recording " + P + " (package) on node " + n.id + "; spans -> journal " + spans);
        // the node waits for its input outside its node package: no worker loop runs original code
        assertThat(attached.stdout).doesNotContain("were already inside the enabled packages");
        Matcher m = DETACH.matcher(attached.stdout);
        assertThat(m.find()).as(attached.stdout).isTrue();
        detachTokens.put(n.id, m.group(2));
      }
      ForkedJvm.Result listed = cli(out, "list");
      for (Node n : c.nodes) {
        assertThat(listed.stdout).containsPattern("(?m)^" + n.pid + " +\\S*racetrace-sample-app\\.jar +racetrace .* stream$");
      }

      c.startInput();
      c.awaitDone();
      for (Node n : c.nodes) {
        Files.writeString(raw.resolve(n.id + ".json"), n.rawJson());
        // what the node did after the attach is recorded: its workers' dequeues, not only enqueues
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
            assertThat(SpanFile.readDir(Journals.toOtlpJson(journal(spans, n))).spans.stream()
                .filter(s -> "queue.dequeue".equals(s.event()) && "derive".equals(s.str("race.op"))))
                .as("derive dequeued on %s", n.id).isNotEmpty());
      }
      for (Node n : c.nodes) {
        ForkedJvm.Result detached = cli(out, "detach", Long.toString(n.pid), "--token", detachTokens.get(n.id));
        assertThat(detached.stdout).as("%s", detached).isEqualTo("racetrace: detached: original classes restored, recording stopped\n");
      }
      Map<String, byte[]> atDetach = new LinkedHashMap<>();
      for (Node n : c.nodes) {
        atDetach.put(n.id, Files.readAllBytes(journal(spans, n)));
      }
      assertThat(cli(out, "list").stdout).doesNotContainPattern("(?m)^(" + c.nodes.stream()
          .map(n -> Long.toString(n.pid)).collect(Collectors.joining("|")) + ") .*racetrace \\S+ stream$");

      // After the detach the nodes serve reads and shut down, interrupting the workers that ran
      // instrumented code: none of it is recorded.
      for (Node n : c.nodes) {
        keys(n.rawJson());
      }
      c.shutdown();
      for (Node n : c.nodes) {
        assertThat(Files.readAllBytes(journal(spans, n))).as("nothing recorded on %s after detach", n.id)
            .isEqualTo(atDetach.get(n.id));
        // the same lines, and in the done line the same operations processed and failed
        assertThat(normalized(n.stdout())).as("%s's output, attached vs plain", n.id).isEqualTo(plainOutput.get(n.id));
        assertThat(n.stdout()).doesNotContain("racetrace:");
      }
    }

    // The congested node's derive overtakes load-metadata: the online rule check flags it.
    assertThat(SpanFile.readDir(spans).where(s -> "derive".equals(s.str("race.op"))
        && Boolean.TRUE.equals(s.bool("race.rule.violated")) && s.str("race.key") != null))
        .as("rule violations recorded after the attach").isNotEmpty();
    ForkedJvm.Result analysis = cli(out, "analyze", spans.toString(), "--raw", raw.toString());
    assertThat(analysis.stdout).as("%s", analysis)
        .contains("racetrace analyze: 3 nodes (node-1, node-2, node-3)")
        .containsPattern("RESULT: ordering break on node-\\d for key-\\d+: derive before load-metadata");
    assertThat(analysis.exitCode).as("%s", analysis).isEqualTo(2);
    // Which node breaks is timing: seed 16 congests node-2, but on a loaded machine another node's
    // late intake can race too. When node-2 alone differs, the break must be found there.
    if (oddNodes(analysis.stdout).equals(Set.of("node-2"))) {
      assertThat(analysis.stdout).containsPattern("FIRST ORDERING BREAK node-2, key-\\d+");
    } else {
      System.out.println("SampleAppAttachIT: not only node-2 diverged (odd nodes " + oddNodes(analysis.stdout)
          + "); the break on node-2 was not required:\n" + analysis.stdout);
    }
  }

  private static Set<String> oddNodes(String analysis) {
    Set<String> odd = new TreeSet<>();
    Matcher m = Pattern.compile("one-differs: (\\S+)").matcher(analysis);
    while (m.find()) {
      odd.add(m.group(1));
    }
    return odd;
  }

  /** The node's stdout with what differs from run to run (tokens, pids, ports, times) masked. */
  static List<String> normalized(String stdout) {
    return stdout.lines()
        .filter(l -> !l.startsWith("start time passed "))
        .map(l -> l.replaceAll("(token|pid|port|maxWaitForegroundMs|maxWaitBackgroundMs|intakeLateMs|millis)=\\S+", "$1=*"))
        .collect(Collectors.toList());
  }

  static TreeSet<String> keys(String rawJson) {
    TreeSet<String> keys = new TreeSet<>();
    Matcher m = Pattern.compile("\"key\":\"([^\"]+)\"").matcher(rawJson);
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }

  private static Path journal(Path spans, Node n) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(spans, "sample-store-" + n.id + "-" + n.pid + ".rtj")) {
      for (Path p : ds) {
        return p;
      }
    }
    throw new IOException("no journal of " + n.id + " in " + spans);
  }

  private static ForkedJvm.Result cli(Path workDir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java(), "-jar", ForkedJvm.AGENT.toString()));
    cmd.addAll(List.of(args));
    Path stdout = Files.createTempFile(workDir, "cli", ".out");
    Path stderr = Files.createTempFile(workDir, "cli", ".err");
    Process p = new ProcessBuilder(cmd).directory(workDir.toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
    return new ForkedJvm.Result(p.exitValue(), Files.readString(stdout), Files.readString(stderr), 0);
  }

  private static String java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** One node JVM, started as the runbook starts it: without the agent, waiting for its input. */
  static final class Node {
    final String id;
    final Process process;
    final Path stdout;
    final Path stderr;
    String host;
    int port;
    String token;
    long pid;

    Node(String id, Path workDir) throws IOException {
      this.id = id;
      this.stdout = workDir.resolve(id + ".out");
      this.stderr = workDir.resolve(id + ".err");
      ProcessBuilder pb = new ProcessBuilder(java(), "-jar", SAMPLE.toString(), "node", "--id", id, "--await-start")
          .directory(workDir.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("RACETRACE_")
          || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
      pb.environment().put("OTEL_SERVICE_NAME", "sample-store");
      pb.environment().put("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=" + id);
      this.process = pb.start();
    }

    String stdout() throws IOException {
      return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    void awaitListening() {
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        assertThat(process.isAlive()).as("%s is running; stderr: %s", id, Files.readString(stderr)).isTrue();
        Matcher m = LISTENING.matcher(stdout());
        assertThat(m.find()).isTrue();
        host = m.group(2);
        port = Integer.parseInt(m.group(3));
        token = m.group(4);
        pid = Long.parseLong(m.group(5));
      });
    }

    HttpResponse<String> http(String method, String path) throws IOException, InterruptedException {
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
          .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody())
          .timeout(Duration.ofSeconds(10)).build();
      return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    String rawJson() throws IOException, InterruptedException {
      HttpResponse<String> r = http("GET", "/raw");
      assertThat(r.statusCode()).isEqualTo(200);
      return r.body();
    }
  }

  /** Three nodes; node-2 is the congested one for the default seed (16). */
  static final class Cluster implements AutoCloseable {
    final List<Node> nodes = new ArrayList<>();

    static Cluster start(Path workDir) throws IOException {
      Files.createDirectories(workDir);
      Cluster c = new Cluster();
      try {
        for (int i = 1; i <= 3; i++) {
          c.nodes.add(new Node("node-" + i, workDir));
        }
        c.nodes.forEach(Node::awaitListening);
      } catch (RuntimeException | Error e) {
        c.close();
        throw e;
      }
      return c;
    }

    /** POST /start?at=... on every node, the same instant 2 s ahead (as the runbook's loop). */
    void startInput() throws IOException, InterruptedException {
      long at = System.currentTimeMillis() + 2000;
      for (Node n : nodes) {
        assertThat(n.http("POST", "/start?at=" + at).statusCode()).isEqualTo(202);
      }
    }

    void awaitDone() {
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        for (Node n : nodes) {
          assertThat(n.stdout()).as("%s finished its log", n.id).contains("racetrace-node done node=" + n.id + " seed=16 ");
        }
      });
    }

    void shutdown() throws IOException, InterruptedException {
      for (Node n : nodes) {
        n.http("POST", "/shutdown");
      }
      for (Node n : nodes) {
        assertThat(n.process.waitFor(30, TimeUnit.SECONDS)).as("%s stopped", n.id).isTrue();
        assertThat(n.process.exitValue()).as("%s exit code", n.id).isZero();
      }
    }

    @Override
    public void close() {
      for (Node n : nodes) {
        n.process.destroyForcibly();
      }
    }
  }
}
