package dev.racetrace.analyzer.cli;

import dev.racetrace.analyzer.Analysis;
import dev.racetrace.analyzer.Analyzer;
import dev.racetrace.analyzer.AnalyzerOptions;
import dev.racetrace.analyzer.input.InputException;
import dev.racetrace.analyzer.input.SpanProducer;
import dev.racetrace.analyzer.report.html.HtmlReport;
import dev.racetrace.analyzer.report.json.JsonReport;
import dev.racetrace.analyzer.report.text.AffectedCsv;
import dev.racetrace.analyzer.report.text.TextReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code analyze} command: reads spans, prints the text report, writes the optional HTML,
 * JSON and CSV files. The agent jar's {@code analyze} subcommand calls {@link #run}.
 */
public final class AnalyzeCommand {
  private AnalyzeCommand() {}

  /**
   * Runs the command.
   *
   * @param args command-line arguments after {@code analyze}
   * @param out where the report goes
   * @param err where errors go (one line: {@code racetrace analyze: <file>:<line>: <problem>})
   * @return 0 no divergence and no break, 2 an ordering break found, 3 a node diverged and no
   *     break explains it, 1 error
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, List.of(), out, err);
  }

  /**
   * Runs the command over the span files in {@code args} and the spans of {@code producers}
   * (e.g. journals the agent replays), as if those were more span files.
   */
  public static int run(String[] args, List<SpanProducer> producers, PrintStream out,
      PrintStream err) {
    CliOptions options;
    try {
      options = CliOptions.parse(args, !producers.isEmpty());
    } catch (IllegalArgumentException e) {
      err.println("racetrace analyze: " + e.getMessage());
      err.println("run with --help for usage");
      return Analysis.ERROR;
    }
    if (options.help) {
      out.print(CliOptions.usage());
      return Analysis.NO_BREAK;
    }
    try {
      AnalyzerOptions.Builder analyzerOptions = options.toAnalyzerOptions();
      producers.forEach(analyzerOptions::addProducer);
      Analysis analysis = new Analyzer().analyze(analyzerOptions.build());
      out.print(new TextReport(analysis, rawStateName(options)).render());
      if (options.json != null) {
        try (OutputStream o = Files.newOutputStream(prepare(options.json))) {
          new JsonReport().write(analysis, o);
        }
        out.println("wrote " + options.json);
      }
      if (options.affected != null) {
        Files.writeString(prepare(options.affected), AffectedCsv.render(analysis.affected()),
            StandardCharsets.UTF_8);
        out.println("wrote " + options.affected);
      }
      if (options.html != null) {
        Files.writeString(prepare(options.html), new HtmlReport(analysis).render(),
            StandardCharsets.UTF_8);
        out.println("wrote " + options.html);
      }
      out.flush();
      return analysis.exitCode();
    } catch (InputException e) {
      err.println("racetrace analyze: " + e.getMessage());
      return Analysis.ERROR;
    } catch (IllegalArgumentException e) {
      err.println("racetrace analyze: " + e.getMessage());
      return Analysis.ERROR;
    } catch (IOException e) {
      err.println("racetrace analyze: cannot write output: " + e);
      return Analysis.ERROR;
    } catch (RuntimeException e) {
      err.println("racetrace analyze: internal error: " + e);
      e.printStackTrace(err);
      return Analysis.ERROR;
    }
  }

  /** The raw state files' names as given, for step 1's heading; null without {@code --raw}. */
  private static String rawStateName(CliOptions options) {
    if (options.raws.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (Path p : options.raws) {
      sb.append(sb.length() == 0 ? "" : ", ").append(p.getFileName());
    }
    return sb.toString();
  }

  private static Path prepare(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return file;
  }

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }
}
