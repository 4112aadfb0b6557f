package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.SpanFile.Span;
import dev.racetrace.it.programs.OtelLinkProgram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * racetrace.otel.link with the real agent jar (racetrace's own OTel relocated inside it) and an
 * application running its own OpenTelemetry SDK: enqueue spans link to the application's request
 * span current at the put.
 */
class OtelLinkIT {
  private static final int REQUESTS = 40;

  @TempDir Path dir;

  private ForkedJvm.Result run(Path out, boolean link) throws Exception {
    List<String> otel = ForkedJvm.testJars("opentelemetry-");
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .classpath(otel.toArray(new String[0]))
        .jvmArg("-Dracetrace.include=dev.racetrace.it.programs",
            "-Dracetrace.out=" + out,
            "-Dracetrace.keys=" + OtelLinkProgram.Order.class.getName() + "#key",
            "-Dracetrace.otel.link=" + link)
        .run(OtelLinkProgram.class, Integer.toString(REQUESTS), "25");
    assertThat(r.exitCode).as("%s", r).isZero();
    assertThat(r.stdout).contains("done");
    assertThat(r.stderrWithoutJvmWarnings()).startsWith("racetrace ").doesNotContain("could not be used");
    return r;
  }

  @Test
  void enqueueSpansLinkToTheApplicationsRequestSpanOnceItsApiIsSeen() throws Exception {
    Path out = dir.resolve("linked");
    ForkedJvm.Result r = run(out, true);
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
