package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delay injection on the sample store: a delay at the point that failed in production
 * (load-metadata's processing) reproduces the race on demand on an uncongested node, and the
 * fixed mode stays correct under the same delays with jitter.
 */
class DelayIT {
  private static final Path SAMPLE = Paths.get(System.getProperty("racetrace.sample.jar",
      "../sample-app/target/racetrace-sample-app.jar")).toAbsolutePath().normalize();
  private static final String NODE_PKG = "dev.racetrace.sample.node";
  private static final String SEEDS = "1..3";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void aDelayAtTheFailingPointReproducesTheRaceOnDemand() throws Exception {
    Map<String, String> healthy = records(run("broken", null, dir.resolve("plain")));
    Path spans = dir.resolve("spans");
    Map<String, String> delayed = records(run("broken", "op:load-metadata=300ms", spans));
    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, String> e : healthy.entrySet()) {
      if (!e.getValue().equals(delayed.get(e.getKey()))) {
        stale.add(e.getKey());
      }
    }
    assertThat(stale).as("keys derived from stale metadata under the delay").hasSizeGreaterThanOrEqualTo(3);

    SpanFile recorded = SpanFile.readDir(spans);
    List<SpanFile.Span> delays = recorded.where(s -> s.name.equals("delay.injected"));
    assertThat(delays).isNotEmpty().allSatisfy(d -> {
      assertThat(d.str("race.op")).isEqualTo("load-metadata");
      assertThat(d.str("race.delay.rule")).isEqualTo("op:load-metadata=300ms");
      assertThat(d.num("race.delay.waited_ns")).isGreaterThanOrEqualTo(300_000_000L);
    });
    assertThat(recorded.where(s -> Boolean.TRUE.equals(s.bool("race.rule.violated"))))
        .as("the online rule check sees derive overtaking load-metadata").isNotEmpty()
        .allSatisfy(s -> assertThat(s.str("race.op")).isIn("derive", "publish"));
  }

  @Test
  void theFixStaysCorrectUnderJitteredDelaysAtThatPoint() throws Exception {
    Map<String, String> reference = records(run("fixed", null, dir.resolve("plain")));
    for (long seed : new long[] {11, 12}) {
      Map<String, String> delayed = records(run("fixed", "op:load-metadata=20ms~300ms;op:derive=0ms~50ms@0.5",
          dir.resolve("fixed-" + seed), "-Dracetrace.delay.seed=" + seed));
      assertThat(delayed).as("delay seed %d", seed).isEqualTo(reference);
    }
  }

  /** Runs one node over SEEDS; returns its stdout. */
  private String run(String mode, String delay, Path out, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
    if (delay != null) {
      cmd.addAll(List.of("-javaagent:" + ForkedJvm.AGENT, "-Dracetrace.include=" + NODE_PKG,
          "-Dracetrace.out=" + out,
          "-Dracetrace.keys=" + NODE_PKG + ".Operation#key",
          "-Dracetrace.ops=" + NODE_PKG + ".LoadMetadata=load-metadata," + NODE_PKG + ".Derive=derive,"
              + NODE_PKG + ".Publish=publish",
          "-Dracetrace.rules=load-metadata < derive < publish per key",
          "-Dracetrace.delay=" + delay));
      cmd.addAll(List.of(extra));
    }
    cmd.addAll(List.of("-jar", SAMPLE.toString(), "node", "--id", "n1", "--seeds", SEEDS, "--keys", "8",
        "--mode", mode, "--congested", "false"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Path stdout = Files.createTempFile(dir, "node", ".out");
    pb.redirectOutput(stdout.toFile());
    Process p = pb.start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
      assertThat(p.exitValue()).isZero();
      return Files.readString(stdout, StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
    }
  }

  /** seed/key -> value and metadata version, from the node's raw lines. */
  private static Map<String, String> records(String stdout) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String line : stdout.split("\n")) {
      if (!line.startsWith("racetrace-node raw ")) {
        continue;
      }
      JsonNode raw = JSON.readTree(line.substring("racetrace-node raw ".length()));
      for (JsonNode r : raw.path("records")) {
        out.put(raw.path("seed").asText() + "/" + r.path("key").asText(),
            r.path("value").asText() + " m" + r.path("metadataVersion").asText());
      }
    }
    assertThat(out).as("raw records printed").isNotEmpty();
    return out;
  }
}
