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
 * journals ({@code racetrace.exporter=journal}) after the fact. Where {@code --otlp} sends them:
 * {@link OtlpTarget}.
 */
final class Export {
  static final String USAGE = "usage: java -jar racetrace-agent.jar export <journal files or dirs> "
      + "(--otlp-json DIR | --otlp [http://host:4318]); --otlp without a URL reads OTEL_EXPORTER_OTLP_ENDPOINT "
      + "(else http://localhost:4318), headers from OTEL_EXPORTER_OTLP_HEADERS";

  private Export() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    List<Path> inputs = new ArrayList<>();
    Path jsonDir = null;
    boolean otlp = false;
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
        otlp = true;
        endpoint = i + 1 < args.length && args[i + 1].matches("https?://.*") ? args[++i] : null;
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
    if (inputs.isEmpty() || (jsonDir == null) == !otlp) {
      err.println(USAGE);
      return 1;
    }
    OtlpTarget target = null;
    if (otlp) {
      try {
        target = OtlpTarget.of(endpoint, System.getenv(), System.getProperties());
      } catch (IllegalArgumentException e) {
        err.println("racetrace: " + e.getMessage());
        return 1;
      }
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
      export.toOtlp(journals, target.url, target.headers, target.describe());
    }
    return export.problems() == 0 ? 0 : 1;
  }
}
