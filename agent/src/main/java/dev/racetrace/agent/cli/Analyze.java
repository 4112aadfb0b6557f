package dev.racetrace.agent.cli;

import dev.racetrace.agent.export.JournalExport;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the timeline analyzer ({@code analyze} subcommand). Journals given to it ({@code *.rtj}, or
 * directories holding them) are first turned into OTLP JSON in a private temporary directory, as
 * {@code export --otlp-json} would, so the analyzer reads one span format.
 */
final class Analyze {
  private static final String COMMAND = "dev.racetrace.analyzer.cli.AnalyzeCommand";

  private Analyze() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    Method run;
    try {
      run = Class.forName(COMMAND).getMethod("run", String[].class, PrintStream.class, PrintStream.class);
    } catch (ReflectiveOperationException | LinkageError e) {
      err.println("racetrace: the analyzer is not part of this build (" + e.getMessage() + ")");
      return 1;
    }
    Path temp = null;
    try {
      List<String> effective = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        boolean input = !a.startsWith("-");
        Path p = input ? Paths.get(a) : null;
        if (p == null || !JournalExport.holdsJournals(p)) {
          effective.add(a);
          continue;
        }
        if (temp == null) {
          temp = Files.createTempDirectory("racetrace-journal-"); // rwx------ on POSIX
        }
        Path dir = Files.createDirectory(temp.resolve(Integer.toString(i)));
        JournalExport export = new JournalExport(err);
        export.toOtlpJson(JournalExport.journals(List.of(p)), dir);
        if (export.problems() > 0) {
          return 1;
        }
        if (Files.isDirectory(p) && hasSpanFiles(p)) {
          effective.add(a); // span files next to the journals count too
        }
        effective.add(dir.toString());
      }
      return (Integer) run.invoke(null, effective.toArray(new String[0]), out, err);
    } catch (IOException e) {
      err.println("racetrace: analyze failed reading journals: " + e.getMessage());
      return 1;
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("racetrace: analyze failed: " + cause);
      return 1;
    } finally {
      delete(temp);
    }
  }

  private static boolean hasSpanFiles(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.anyMatch(f -> f.getFileName().toString().matches(".*\\.jsonl(\\.gz)?"));
    }
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind: the OS cleans it
    }
  }
}
