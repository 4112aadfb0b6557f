package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.programs.HeapProgram;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * racetrace never takes the application's heap in proportion to load: a busy program that fits
 * -Xmx32m on its own runs the same, recorded and overloaded, in -Xmx32m with the agent; and an
 * OutOfMemoryError in racetrace's own thread stops racetrace with one line while the program
 * finishes with its own output.
 */
class HeapBudgetIT {
  private static final String PKG = "dev.racetrace.it.programs";
  private static final String HEAP = "-Xmx32m";
  /** Items per producer: with 4 producers, the tasks and the locking, about 2.5 million operations. */
  private static final String ITEMS = "500000";
  private static final String ITEM = PKG + ".HeapProgram$";
  /** Keys, op names and a rule: the per-key state that grew with load before it was bounded. */
  private static final String[] KEYED = {"-Dracetrace.keys=" + ITEM + "Item#key",
      "-Dracetrace.ops=" + ITEM + "Load=load," + ITEM + "Apply=apply", "-Dracetrace.rules=load < apply per key"};
  private static ForkedJvm.Result plain;

  @TempDir Path dir;

  @BeforeAll
  static void withoutTheAgent() throws Exception {
    plain = ForkedJvm.plain().jvmArg(HEAP).run(HeapProgram.class, ITEMS);
    assertThat(plain.exitCode).as("%s", plain).isZero();
    assertThat(plain.stdout.lines()).hasSize(3);
  }

  @Test
  void aBusyProgramInA32MiBHeapRunsTheSameRecordedAndOverloaded() throws Exception {
    ForkedJvm.Result with = ForkedJvm.withAgent()
        .jvmArg(HEAP, "-Dracetrace.include=" + PKG, "-Dracetrace.out=" + dir.resolve("spans"),
            "-Dracetrace.exporter=otlp-json") // the in-process assembly's memory, and its file
        .jvmArg(KEYED)
        .run(HeapProgram.class, ITEMS);

    assertThat(with.exitCode).as("%s", with).isZero();
    assertThat(with.stdout).isEqualTo(plain.stdout);
    String err = with.nonEmptyStderr();
    assertThat(err).doesNotContain("OutOfMemoryError").doesNotContain("stopped itself")
        .doesNotContain("Exception");
    List<String> lines = err.lines().collect(Collectors.toList());
    assertThat(lines.get(0)).startsWith("racetrace ").contains("recording " + PKG);
    // overloaded: the exit summary counts what did not fit (rings, matching state) instead of growing
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("racetrace: exported ").contains("dropped "));
    SpanFile spans = SpanFile.readDir(dir.resolve("spans"));
    assertThat(spans.spans).isNotEmpty();
    // what the memory caps dropped is on the last racetrace.stats span too, as in the summary
    java.util.regex.Matcher state = java.util.regex.Pattern.compile("dropped (\\d+) matching entries")
        .matcher(lines.get(lines.size() - 1));
    long onStats = spans.spans.stream().filter(s -> s.name.equals("racetrace.stats"))
        .mapToLong(s -> s.num("race.dropped_state")).max().orElse(-1);
    assertThat(state.find()).as(lines.get(lines.size() - 1)).isTrue();
    assertThat(onStats).as(lines.get(lines.size() - 1)).isPositive().isEqualTo(Long.parseLong(state.group(1)));
  }

  @Test
  void anOutOfMemoryErrorInRacetracesThreadStopsRacetraceWithOneLineAndTheProgramFinishes()
      throws Exception {
    ForkedJvm.Result with = ForkedJvm.withAgent()
        .jvmArg(HEAP, "-Dracetrace.include=" + PKG, "-Dracetrace.out=" + dir.resolve("spans"),
            "-Dracetrace.exporter=otlp-json") // the in-process assembly's memory, and its file
        .run(HeapProgram.class, ITEMS, "--huge-key");

    assertThat(with.exitCode).as("%s", with).isZero();
    assertThat(with.stdout).isEqualTo(plain.stdout);
    List<String> lines = with.nonEmptyStderr().lines().collect(Collectors.toList());
    assertThat(lines.stream().filter(l -> l.contains("stopped itself after java.lang.OutOfMemoryError")
        && l.contains("exporter thread"))).as("%s", with).hasSize(1);
    assertThat(lines).as("one line each: start, stop, exit summary; no stack trace").hasSizeLessThanOrEqualTo(3)
        .noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception"));
    assertThat(lines.get(lines.size() - 1)).startsWith("racetrace: exported ")
        .contains("stopped itself after java.lang.OutOfMemoryError");
  }
}
