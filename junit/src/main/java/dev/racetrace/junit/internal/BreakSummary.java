package dev.racetrace.junit.internal;

import dev.racetrace.analyzer.Analysis;
import dev.racetrace.analyzer.Analyzer;
import dev.racetrace.analyzer.AnalyzerOptions;
import dev.racetrace.analyzer.input.InputException;
import dev.racetrace.analyzer.report.text.TextReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The analyzer's verdict on one test run's spans, short enough for a failure message: the
 * report's step 4 (first ordering break, the guard that let it through, the state seen) and its
 * RESULT line. The rules are those the agent recorded in the spans ({@code racetrace.rules}).
 */
public final class BreakSummary {
  private BreakSummary() {}

  /**
   * @param spans the fork's span directory
   * @param fromNanos start of the run (epoch ns), {@link Long#MIN_VALUE} for all
   * @param toNanos end of the run (epoch ns), {@link Long#MAX_VALUE} for all
   * @return the summary, or one line saying why there is none; never throws
   */
  public static String of(Path spans, long fromNanos, long toNanos) {
    if (!Files.isDirectory(spans)) {
      return "analyzer: no spans (" + spans + " does not exist)";
    }
    try (Stream<Path> files = Files.list(spans)) {
      if (files.noneMatch(f -> f.getFileName().toString().endsWith(".jsonl"))) {
        return "analyzer: no spans were recorded (no instrumented code ran, or racetrace.include misses it)";
      }
    } catch (IOException e) {
      return "analyzer: cannot list " + spans + ": " + e;
    }
    Analysis analysis;
    try {
      analysis = new Analyzer().analyze(AnalyzerOptions.builder().addInput(spans)
          .fromNanos(fromNanos).toNanos(toNanos).build());
    } catch (InputException | RuntimeException e) {
      return "analyzer: could not analyse " + spans + ": " + e.getMessage();
    }
    return extract(new TextReport(analysis, null).render());
  }

  /** Step 4 and the RESULT line of a text report (visible for testing). */
  static String extract(String report) {
    List<String> out = new ArrayList<>();
    boolean inBreak = false;
    for (String line : report.split("\n", -1)) {
      if (line.startsWith("4. ")) {
        inBreak = true;
      } else if (line.matches("[0-9]\\. .*")) {
        inBreak = false;
      }
      if (inBreak || line.startsWith("RESULT:")) {
        out.add(line);
      }
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
      out.remove(out.size() - 1);
    }
    return out.isEmpty() ? "analyzer: (no summary in its report)" : String.join("\n", trimBlank(out));
  }

  private static List<String> trimBlank(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      if (!l.isBlank()) {
        out.add(l);
      }
    }
    return out;
  }
}
