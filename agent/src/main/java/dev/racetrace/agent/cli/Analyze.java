package dev.racetrace.agent.cli;

import java.io.PrintStream;
import java.lang.reflect.Method;

/** Runs the timeline analyzer ({@code analyze} subcommand). */
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
    try {
      return (Integer) run.invoke(null, args, out, err);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("racetrace: analyze failed: " + cause);
      return 1;
    }
  }
}
