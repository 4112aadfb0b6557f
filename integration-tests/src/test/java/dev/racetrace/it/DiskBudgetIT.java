package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racetrace.it.programs.HeapProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * racetrace.out.max bounds what racetrace keeps on disk: the span file rolls over into numbered
 * parts and the oldest are deleted, so a run that writes many times the budget leaves at most the
 * budget (racetrace's encoder; the OTel SDK's, writing as it encodes, passes it by at most a
 * fortieth). The start line says where and how much, one line says when parts are deleted, the
 * exit summary and the last racetrace.stats span count the spans rotated out, the analyzer reads
 * the parts as one node and says its timeline starts late, and the application runs on untouched.
 */
class DiskBudgetIT {
  private static final String PKG = "dev.racetrace.it.programs";
  private static final Pattern ROTATED = Pattern.compile("(\\d+) spans rotated out \\(racetrace\\.out\\.max\\)");
  // parts of 25.6 KB: with 2000 items the program writes some 20 MB of spans, so parts rotate
  // hundreds of times, and the export still ends well within racetrace.shutdown.timeout on a
  // loaded machine (at 64k each batch was its own part, and the exit drain timed out: counts
  // still changing after the summary, a last part created but not written)
  private static final long MAX = 256 << 10;
  private static final String SPAN_ITEMS = "2000";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"racetrace", "otel-sdk"})
  void theSpanFileRotatesWithinOutMaxAndTheSpansDeletedAreCounted(String encoder) throws Exception {
    ForkedJvm.Result plain = ForkedJvm.plain().run(HeapProgram.class, SPAN_ITEMS);
    Path out = dir.resolve("spans");
    ForkedJvm.Result with = ForkedJvm.withAgent()
        .jvmArg("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + out, "-Dracetrace.out.max=256k",
            "-Dracetrace.exporter=otlp-json",
            "-Dracetrace.file.encoder=" + encoder)
        .run(HeapProgram.class, SPAN_ITEMS);

    assertThat(with.exitCode).as("%s", with).isZero();
    assertThat(with.stdout).isEqualTo(plain.stdout);
    List<String> lines = with.nonEmptyStderr().lines().collect(Collectors.toList());
    assertThat(lines.get(0)).startsWith("racetrace ").contains("spans -> " + out)
        .contains("(at most 256k, racetrace.out.max, oldest parts deleted)");
    assertThat(lines.stream().filter(l -> l.startsWith("racetrace: racetrace.out.max=256k reached: deleted the oldest span file ")))
        .as("%s", lines).hasSizeBetween(1, 2); // at most one a minute
    String summary = lines.get(lines.size() - 1);
    assertThat(lines).as("the export finished: the counts below are final").noneMatch(l -> l.contains("did not finish"));
    assertThat(lines).as("start, rotation, exit summary").hasSizeBetween(3, 4);
    Matcher m = ROTATED.matcher(summary);
    assertThat(m.find()).as(summary).isTrue();
    long rotated = Long.parseLong(m.group(1));
    assertThat(rotated).isPositive();
    assertThat(summary).doesNotContain("unwritten");

    List<Path> parts = parts(out);
    long bytes = 0;
    for (Path f : parts) {
      assertThat(f.getFileName().toString()).matches(".*\\.[0-9]+\\.jsonl");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
      bytes += Files.size(f);
      assertThat(Files.readString(f)).endsWith("\n");
    }
    assertThat(parts.size()).as("the newest parts are kept").isGreaterThan(3);
    assertThat(bytes).isBetween(MAX / 2, encoder.equals("racetrace") ? MAX : MAX + MAX / 40 + 4096);

    // every line is whole JSON; the newest stats span counts what was deleted before it
    SpanFile spans = SpanFile.readDir(out);
    long lastRotated = spans.spans.stream().filter(s -> s.name.equals("racetrace.stats"))
        .mapToLong(s -> s.num("race.rotated_spans")).max().orElse(-1);
    assertThat(lastRotated).isPositive().isLessThanOrEqualTo(rotated);

    JsonNode analysis = analyze(out);
    assertThat(analysis.path("text").asText())
        .contains("spans were deleted to stay within racetrace.out.max (race.rotated_spans); its timeline starts late")
        .contains("only one node in the input");
  }

  @Test
  void theJournalRotatesWithinOutMaxInWholeChunksAndTheEventsDeletedAreCounted() throws Exception {
    ForkedJvm.Result plain = ForkedJvm.plain().run(HeapProgram.class, "20000");
    Path out = dir.resolve("journal");
    long max = 1 << 20; // parts of 100 KB; the program records several MB
    ForkedJvm.Result with = ForkedJvm.withAgent() // the default recording
        .jvmArg("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + out, "-Dracetrace.out.max=1m")
        .run(HeapProgram.class, "20000");

    assertThat(with.exitCode).as("%s", with).isZero();
    assertThat(with.stdout).isEqualTo(plain.stdout);
    List<String> lines = with.nonEmptyStderr().lines().collect(Collectors.toList());
    assertThat(lines.get(0)).startsWith("racetrace ").contains("spans -> journal " + out)
        .contains("(at most 1m, racetrace.out.max, oldest parts deleted; spans from it: ");
    assertThat(lines.stream().filter(l -> l.startsWith("racetrace: racetrace.out.max=1m reached: deleted the oldest "
        + "journal part "))).as("%s", lines).hasSizeBetween(1, 2); // at most one a minute
    String summary = lines.get(lines.size() - 1);
    Matcher m = Pattern.compile("(\\d+) events rotated out \\(racetrace\\.out\\.max\\)").matcher(summary);
    assertThat(m.find()).as(summary).isTrue();
    assertThat(Long.parseLong(m.group(1))).isPositive();
    assertThat(summary).doesNotContain("unwritten");

    List<Path> parts = parts(out);
    long bytes = 0;
    for (Path f : parts) {
      assertThat(f.getFileName().toString()).as("the first part was deleted").matches(".*\\.[0-9]+\\.rtj");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
      bytes += Files.size(f);
    }
    assertThat(parts.size()).as("the newest parts are kept").isGreaterThan(3);
    assertThat(bytes).isBetween(max / 2, max);

    // the parts are read as one recording, without damage, and the analyzer says what is missing
    String analysis = Journals.run("analyze", out.toString());
    assertThat(analysis).doesNotContain("racetrace: warning: ") // no damage
        .containsPattern("and [1-9][0-9]* later part\\(s\\): [0-9]+ events -> [0-9]+ spans -> analyzer")
        .contains("recorded events were deleted with the oldest journal parts to stay within racetrace.out.max "
            + "(race.rotated_events); its timeline starts late");
  }

  /** The parts in {@code out}, oldest first (their names count up). */
  private static List<Path> parts(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.sorted().collect(Collectors.toList());
    }
  }

  private JsonNode analyze(Path spans) throws Exception {
    return InProcessAnalyzer.run(dir.resolve("analysis.json"), List.of(spans.toString()));
  }
}
