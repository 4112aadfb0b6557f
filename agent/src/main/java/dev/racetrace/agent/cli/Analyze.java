package dev.racetrace.agent.cli;

import dev.racetrace.agent.export.journal.JournalExport;
import dev.racetrace.agent.export.journal.JournalSpanProducer;
import dev.racetrace.analyzer.cli.AnalyzeCommand;
import dev.racetrace.analyzer.input.SpanProducer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the timeline analyzer ({@code analyze} subcommand). Journals given to it ({@code *.rtj}, or
 * directories holding them) are replayed into spans that go straight into the analyzer, as if they
 * were one more span file each: the spans {@code export --otlp-json} would write, without writing
 * and parsing them.
 */
final class Analyze {
  private Analyze() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      List<String> effective = new ArrayList<>();
      List<SpanProducer> journals = new ArrayList<>();
      boolean optionsEnded = false;
      for (String a : args) {
        optionsEnded |= a.equals("--");
        boolean input = optionsEnded ? !a.equals("--") : !a.startsWith("-");
        Path p = input ? Paths.get(a) : null;
        if (p == null || !JournalExport.holdsJournals(p)) {
          effective.add(a);
          continue;
        }
        for (List<Path> parts : JournalExport.nodes(JournalExport.journals(List.of(p)))) {
          journals.add(new JournalSpanProducer(parts, err)); // a rotated journal's parts as one
        }
        if (Files.isDirectory(p) && hasSpanFiles(p)) {
          effective.add(a); // span files next to the journals count too
        }
      }
      return AnalyzeCommand.run(effective.toArray(new String[0]), journals, out, err);
    } catch (IOException e) {
      err.println("racetrace: analyze failed reading journals: " + e.getMessage());
      return 1;
    }
  }

  private static boolean hasSpanFiles(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.anyMatch(f -> f.getFileName().toString().matches(".*\\.jsonl(\\.gz)?"));
    }
  }
}
