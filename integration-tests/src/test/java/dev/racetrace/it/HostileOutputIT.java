package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.programs.LateAttachProgram;
import dev.racetrace.it.programs.RoundsProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: the file export cannot be turned against the host. Links planted at the coming file
 * names are neither followed nor replaced; a directory other users can write to is refused with
 * one line; the application runs as without racetrace either way.
 */
class HostileOutputIT {
  private static final String PKG = "dev.racetrace.it.programs";

  @TempDir Path dir;

  @Test
  void linksPlantedForTheComingNamesAreNotFollowed() throws Exception {
    Path out = Files.createDirectory(dir.resolve("out"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Path victim = Files.writeString(dir.resolve("victim"), "precious\n");
    try (TimedRun r = TimedRun.start(true, List.of("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + out,
        "-Dracetrace.exporter=otlp-json"), Map.of(), LateAttachProgram.class)) {
      r.awaitLine("ready"); // nothing recorded yet, so no file yet: plant the links now
      long pid = r.process.pid();
      Matcher node = Pattern.compile("on node ([^;]+);").matcher(r.stderr());
      assertThat(node.find()).as(r.stderr()).isTrue();
      String base = "LateAttachProgram-" + node.group(1).replaceAll("[^A-Za-z0-9._-]", "_") + "-" + pid;
      Files.createSymbolicLink(out.resolve(base + ".jsonl"), victim);
      Files.createSymbolicLink(out.resolve(base + "-1.jsonl"), victim);
      r.writeLine();
      assertThat(r.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(r.process.exitValue()).isZero();
      assertThat(r.stdout()).contains("linked: sum=40200");
      assertThat(Files.readString(victim)).isEqualTo("precious\n");
      assertThat(r.stderrLines()).as(r.stderr()).hasSize(3); // start, the renamed file, the summary
      assertThat(r.stderrLines().get(1)).isEqualTo("racetrace: " + out.resolve(base + ".jsonl")
          + " already exists (not overwritten, not followed); spans go to " + out.resolve(base + "-2.jsonl"));
      assertThat(SpanFile.read(out.resolve(base + "-2.jsonl"))).filteredOn(s -> "queue.enqueue".equals(s.event()))
          .hasSize(2 * 201);
    }
  }

  @Test
  void aDirectoryOthersCanWriteIsRefusedInOneLineAndTheApplicationRuns() throws Exception {
    String plain;
    try (TimedRun p = TimedRun.start(false, List.of(), Map.of(), RoundsProgram.class, "1", "2000")) {
      p.awaitExitAfterMainEnd();
      plain = p.stdout();
    }
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (TimedRun r = TimedRun.start(true, List.of("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + shared),
        Map.of(), RoundsProgram.class, "1", "2000")) {
      r.awaitExitAfterMainEnd();
      assertThat(r.process.exitValue()).isZero();
      assertThat(r.stdout()).isEqualTo(plain);
      List<String> lines = r.stderrLines();
      assertThat(lines).as(r.stderr()).hasSize(3); // start, the refusal, the summary
      assertThat(lines.get(1)).contains("racetrace.out=" + shared + ": writable by other users (mode 777, not sticky); "
          + "refusing to write there");
      assertThat(shared).isEmptyDirectory();
    }
  }
}
