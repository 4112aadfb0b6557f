package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.SpanFile.Span;
import dev.racetrace.it.programs.OtelLinkProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * racetrace.otel.link with the real agent jar (racetrace's own OTel relocated inside it) and an
 * application traced with OpenTelemetry, by an SDK of its own or by the OpenTelemetry Java agent:
 * enqueue spans link to the application's request span current at the put.
 */
class OtelLinkIT {
  private static final int REQUESTS = 40;

  @TempDir Path dir;

  private ForkedJvm.Result run(Path out, boolean link) throws Exception {
    return run(out, link, ForkedJvm.withAgent(), "own-sdk");
  }

  private ForkedJvm.Result run(Path out, boolean link, ForkedJvm jvm, String tracer) throws Exception {
    return run(out, link, jvm, tracer, "otlp-json");
  }

  private ForkedJvm.Result run(Path out, boolean link, ForkedJvm jvm, String tracer, String exporter)
      throws Exception {
    List<String> otel = ForkedJvm.testJars("opentelemetry-");
    ForkedJvm.Result r = jvm
        .classpath(otel.toArray(new String[0]))
        .jvmArg("-Dracetrace.include=dev.racetrace.it.programs",
            "-Dracetrace.out=" + out,
            "-Dracetrace.exporter=" + exporter,
            "-Dracetrace.keys=" + OtelLinkProgram.Order.class.getName() + "#key",
            "-Dracetrace.otel.link=" + link)
        .run(OtelLinkProgram.class, Integer.toString(REQUESTS), "25", tracer);
    assertThat(r.exitCode).as("%s", r).isZero();
    assertThat(r.stdout).contains("done");
    String racetraceLines = r.nonEmptyStderr().lines()
        .filter(l -> !l.startsWith("[otel.javaagent")).collect(Collectors.joining("\n"));
    assertThat(racetraceLines).startsWith("racetrace ").doesNotContain("could not be used");
    return r;
  }

  @Test
  void enqueueSpansLinkToTheApplicationsRequestSpanOnceItsApiIsSeen() throws Exception {
    Path out = dir.resolve("linked");
    assertLinked(run(out, true), out);
  }

  /** The default recording, the journal: the spans built from it afterwards carry the same links. */
  @Test
  void spansBuiltFromTheJournalLinkToTheApplicationsRequestSpansToo() throws Exception {
    Path out = dir.resolve("journal");
    assertLinked(run(out, true, ForkedJvm.withAgent(), "own-sdk", "journal"), out);
    assertThat(Journals.any(out)).isTrue();
  }

  /**
   * The application traced by the OpenTelemetry Java agent (its spans from GlobalOpenTelemetry):
   * racetrace reads them through the application's API, which that agent bridges to its own.
   */
  @Test
  void underTheOpenTelemetryJavaAgentEnqueuesLinkToItsRequestSpans() throws Exception {
    Path javaagent = Paths.get(System.getProperty("racetrace.otel.javaagent", "target/otel/opentelemetry-javaagent.jar"));
    Assumptions.assumeTrue(Files.isRegularFile(javaagent), "OpenTelemetry Java agent not fetched: " + javaagent);
    Path out = dir.resolve("javaagent");
    ForkedJvm jvm = ForkedJvm.withAgent().jvmArg("-javaagent:" + javaagent,
        "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none");
    assertLinked(run(out, true, jvm, "global"), out);
  }

  private static void assertLinked(ForkedJvm.Result r, Path out) throws Exception {
    Map<String, String> requestSpan = new HashMap<>();
    for (String line : r.stdout.split("\n")) {
      if (line.startsWith("request ")) {
        String[] f = line.trim().split(" ");
        requestSpan.put(f[1], f[2] + "/" + f[3]);
      }
    }
    assertThat(requestSpan).hasSize(REQUESTS);

    List<Span> enqueues = SpanFile.readDir(out).event("queue.enqueue").stream()
        .sorted(Comparator.comparingLong(Span::seq)).collect(Collectors.toList());
    assertThat(enqueues).hasSize(REQUESTS + 1);
    List<String> linked = new ArrayList<>();
    for (Span s : enqueues) {
      String order = s.str("race.key");
      if (order.equals("order-outside")) {
        assertThat(s.appLinks).as("put outside any application span").isEmpty();
      } else if (!s.appLinks.isEmpty()) {
        assertThat(s.appLinks).as(order).containsExactly(requestSpan.get(order));
        linked.add(order);
      }
    }
    // the application's API is picked up within an export interval of its loading; every request
    // from then on is linked
    assertThat(linked).as("linked orders").hasSizeGreaterThanOrEqualTo(REQUESTS / 2);
    int first = Integer.parseInt(linked.get(0).substring("order-".length()));
    for (int i = first; i < REQUESTS; i++) {
      assertThat(linked).as("every order after the first linked one").contains("order-" + i);
    }
  }

  @Test
  void offByDefault() throws Exception {
    Path out = dir.resolve("plain");
    run(out, false);
    assertThat(SpanFile.readDir(out).event("queue.enqueue")).hasSize(REQUESTS + 1)
        .allSatisfy(s -> assertThat(s.appLinks).isEmpty());
  }
}
