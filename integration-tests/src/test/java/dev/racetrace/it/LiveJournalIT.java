package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.programs.LiveBudgetProgram;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live OTLP export within racetrace.export.cpu with the journal next to it (the default,
 * racetrace.exporter=auto, with an endpoint): overloaded, the backend still gets the rule
 * violations live, the journal gets every event (exporting it afterwards gives every span), and the
 * exit line says that what was not exported live is in the journal and how to export it.
 */
class LiveJournalIT {
  private static final String P = LiveBudgetProgram.class.getName();
  private static final Pattern JOURNALED = Pattern.compile(
      "racetrace: exported (\\d+) spans live, journaled (\\d+) records to (\\S+\\.rtj) \\(spans from it: "
          + "java -jar racetrace-agent\\.jar export (\\S+) --otlp \\[endpoint\\] \\| --otlp-json DIR\\)");

  @TempDir Path dir;

  private static Set<String> violatedKeys(List<Span> spans) {
    return spans.stream().filter(s -> "true".equals(OtlpReceiver.attribute(s, "race.rule.violated")))
        .map(s -> OtlpReceiver.attribute(s, "race.key")).collect(Collectors.toSet());
  }

  private static long enqueues(List<Span> spans) {
    return spans.stream().filter(s -> "queue.enqueue".equals(OtlpReceiver.attribute(s, "race.event"))).count();
  }

  @Test
  void overloadedTheViolationsGoLiveAndTheJournalKeepsEverySpan() throws Exception {
    Path out = dir.resolve("rec");
    ForkedJvm.Result r;
    List<Span> live;
    try (OtlpReceiver receiver = new OtlpReceiver(false)) {
      r = ForkedJvm.withAgent()
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
          .jvmArg("-Dracetrace.include=dev.racetrace.it.programs",
              "-Dracetrace.keys=" + P + "$Op#key",
              "-Dracetrace.ops=" + P + "$Load=load," + P + "$Apply=apply",
              "-Dracetrace.rules=load < apply per key",
              "-Dracetrace.out=" + out,
              "-Dracetrace.export.cpu=1%", // far below what 20k events/s cost to assemble
              // rings that hold through the first export's cold start (class loading, connection,
              // JIT: about a second on a loaded 2-core machine, when the exporter thread drains
              // nothing); what follows is the budget's doing
              "-Dracetrace.buffer.size=65536",
              "-Dracetrace.shutdown.timeout=20s")
          .workDir(dir)
          .run(LiveBudgetProgram.class, "20000", "4");
      live = receiver.spans();
    }
    assertThat(r.exitCode).as("%s", r).isZero();
    assertThat(r.stdout).contains("done");
    String err = r.nonEmptyStderr();
    assertThat(err).as("the start line names both destinations")
        .contains("within racetrace.export.cpu=1% of a core; every event also to the journal " + out)
        .doesNotContain("dropped");
    Matcher m = JOURNALED.matcher(err);
    assertThat(m.find()).as("the exit line names the journal and the export command\n%s", r).isTrue();
    assertThat(Path.of(m.group(3)).getParent()).isEqualTo(out);
    assertThat(Path.of(m.group(4))).isEqualTo(out);
    assertThat(err).as("what was not exported live is in the journal")
        .containsPattern("(spans not exported live \\(over racetrace\\.export\\.cpu=1%[^)]*; in the journal\\)"
            + "|events only in the journal \\(not assembled live: racetrace\\.export\\.cpu, or the backend had not "
            + "answered\\))");
    long journaled = Long.parseLong(m.group(2));

    List<String> odd = r.stdout.lines().filter(l -> l.startsWith("odd=")).map(l -> l.substring(4))
        .collect(Collectors.toList());
    long offers = r.stdout.lines().filter(l -> l.startsWith("offers=")).mapToLong(l -> Long.parseLong(l.substring(7)))
        .findFirst().orElseThrow();
    assertThat(odd).hasSizeGreaterThan(10);
    assertThat(violatedKeys(live)).as("live, the violations first").containsAll(odd);

    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).hasSize(1).allMatch(n -> n.endsWith(".rtj"));
    }
    try (OtlpReceiver backend = new OtlpReceiver(false)) {
      String export = Journals.run("export", out.toString(), "--otlp", backend.endpoint());
      assertThat(export).contains(" events -> ").doesNotContain("warning");
      Matcher events = Pattern.compile("(\\d+) events -> (\\d+) spans").matcher(export);
      assertThat(events.find()).as(export).isTrue();
      assertThat(Long.parseLong(events.group(1))).as("every record journaled is replayed").isEqualTo(journaled);
      List<Span> all = backend.spans();
      // every noise offer, 4 puts per key pair, 2 to stop the worker and the loader
      assertThat(enqueues(all)).as("the journal is never sampled: every enqueue is a span")
          .isEqualTo(offers + 4L * odd.size() + 2);
      assertThat(all.size()).as("more than went live").isGreaterThan(live.size());
      assertThat(enqueues(live)).isLessThan(enqueues(all));
      assertThat(violatedKeys(all)).containsAll(odd);
    }
  }

  @Test
  void aCollectorThatNeverAnswersCostsTheJournalNothing() throws Exception {
    Path out = dir.resolve("stuck");
    ForkedJvm.Result r;
    try (OtlpReceiver stuck = new OtlpReceiver(true)) {
      r = ForkedJvm.withAgent()
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", stuck.endpoint())
          .env("OTEL_EXPORTER_OTLP_TIMEOUT", "60000") // the backend's wait never ends on its own
          .jvmArg("-Dracetrace.include=dev.racetrace.it.programs",
              "-Dracetrace.keys=" + P + "$Op#key",
              "-Dracetrace.ops=" + P + "$Load=load," + P + "$Apply=apply",
              "-Dracetrace.rules=load < apply per key",
              "-Dracetrace.out=" + out,
              "-Dracetrace.buffer.size=65536", // as above: the cold start, not the backend
              "-Dracetrace.shutdown.timeout=3s")
          .workDir(dir)
          .run(LiveBudgetProgram.class, "20000", "6");
      assertThat(stuck.posts.get()).as("the agent did try to export live").isPositive();
    }
    assertThat(r.exitCode).as("%s", r).isZero();
    assertThat(r.stdout).contains("done");
    String err = r.nonEmptyStderr();
    assertThat(err).as("the drain never waited for the backend: no ring ran full\n%s", r)
        .doesNotContain("events (rings full)");
    Matcher m = JOURNALED.matcher(err);
    assertThat(m.find()).as("the exit line names the journal\n%s", r).isTrue();
    assertThat(err).as("what the backend never took is counted, and said to be in the journal")
        .containsPattern("[1-9][0-9]* (spans not sent live \\(the backend had not answered [^)]*; in the journal\\)"
            + "|events only in the journal \\(not assembled live: racetrace\\.export\\.cpu, or the backend had not "
            + "answered\\))");
    assertThat(err).as("no event is lost at exit: the journal is closed before the backend is waited for")
        .doesNotContainPattern("lost [1-9][0-9]* events not yet exported");
    long offers = r.stdout.lines().filter(l -> l.startsWith("offers=")).mapToLong(l -> Long.parseLong(l.substring(7)))
        .findFirst().orElseThrow();
    long odd = r.stdout.lines().filter(l -> l.startsWith("odd=")).count();
    try (OtlpReceiver backend = new OtlpReceiver(false)) {
      String export = Journals.run("export", out.toString(), "--otlp", backend.endpoint());
      assertThat(export).doesNotContain("warning");
      assertThat(enqueues(backend.spans())).as("the journal has every enqueue").isEqualTo(offers + 4L * odd + 2);
    }
  }
}
