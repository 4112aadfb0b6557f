package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.programs.HeapProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * racetrace.out.max bounds what racetrace writes to the disk: the start line says where and how
 * much, one line says when the budget is reached, the file ends with whole lines within the budget,
 * the exit summary counts the spans not written, and the application runs on untouched.
 */
class DiskBudgetIT {
  private static final String PKG = "dev.racetrace.it.programs";
  private static final Pattern UNWRITTEN = Pattern.compile("(\\d+) spans unwritten \\(racetrace\\.out\\.max\\)");

  @TempDir Path dir;

  @Test
  void theFileExportStopsAtOutMaxWithOneLineAndCountsTheRest() throws Exception {
    ForkedJvm.Result plain = ForkedJvm.plain().run(HeapProgram.class, "20000");
    Path out = dir.resolve("spans");
    ForkedJvm.Result with = ForkedJvm.withAgent()
        .jvmArg("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + out, "-Dracetrace.out.max=64k")
        .run(HeapProgram.class, "20000");

    assertThat(with.exitCode).as("%s", with).isZero();
    assertThat(with.stdout).isEqualTo(plain.stdout);
    List<String> lines = with.stderrWithoutJvmWarnings().lines().collect(Collectors.toList());
    assertThat(lines.get(0)).startsWith("racetrace ").contains("spans -> " + out)
        .contains("(at most 64k, racetrace.out.max)");
    assertThat(lines.stream().filter(l -> l.startsWith("racetrace: racetrace.out.max=64k reached ("))).hasSize(1);
    assertThat(lines).hasSize(3); // start, budget reached, exit summary
    Matcher m = UNWRITTEN.matcher(lines.get(2));
    assertThat(m.find()).as(lines.get(2)).isTrue();
    assertThat(Long.parseLong(m.group(1))).isPositive();

    List<Path> files;
    try (Stream<Path> s = Files.list(out)) {
      files = s.collect(Collectors.toList());
    }
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
      assertThat(Files.readString(f)).endsWith("\n");
    }
    assertThat(bytes).isBetween(32L << 10, 64L << 10);
    assertThat(SpanFile.readDir(out).spans).isNotEmpty(); // every line written is whole, parseable JSON
  }
}
