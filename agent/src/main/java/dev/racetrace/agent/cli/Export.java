package dev.racetrace.agent.cli;

import dev.racetrace.agent.export.journal.JournalExport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code export <journal files or dirs> --otlp-json DIR | --otlp [endpoint]}: spans built from
 * journals ({@code racetrace.exporter=journal}) after the fact.
 */
final class Export {
  static final String USAGE = "usage: java -jar racetrace-agent.jar export <journal files or dirs> "
      + "(--otlp-json DIR | --otlp [http://host:4318])";
  static final String DEFAULT_ENDPOINT = "http://localhost:4318";

  private Export() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    List<Path> inputs = new ArrayList<>();
    Path jsonDir = null;
    String endpoint = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--otlp-json")) {
        if (i + 1 >= args.length) {
          err.println("racetrace: --otlp-json needs a directory; " + USAGE);
          return 1;
        }
        jsonDir = Paths.get(args[++i]);
      } else if (a.equals("--otlp")) {
        endpoint = i + 1 < args.length && args[i + 1].matches("https?://.*") ? args[++i] : DEFAULT_ENDPOINT;
      } else if (a.equals("--help") || a.equals("-h")) {
        out.println(USAGE);
        return 0;
      } else if (a.startsWith("--")) {
        err.println("racetrace: unknown option " + a + "; " + USAGE);
        return 1;
      } else {
        inputs.add(Paths.get(a));
      }
    }
    if (inputs.isEmpty() || (jsonDir == null) == (endpoint == null)) {
      err.println(USAGE);
      return 1;
    }
    List<Path> journals;
    try {
      journals = JournalExport.journals(inputs);
    } catch (IOException e) {
      err.println("racetrace: " + e.getMessage());
      return 1;
    }
    if (journals.isEmpty()) {
      err.println("racetrace: no *.rtj journal files in " + inputs);
      return 1;
    }
    JournalExport export = new JournalExport(err);
    if (jsonDir != null) {
      export.toOtlpJson(journals, jsonDir);
    } else {
      export.toOtlp(journals, endpoint);
    }
    return export.problems() == 0 ? 0 : 1;
  }
}
