package dev.racetrace.analyzer.cli;

import dev.racetrace.analyzer.AnalyzerOptions;
import dev.racetrace.analyzer.input.remote.Backend;
import dev.racetrace.analyzer.input.remote.BackendQuery;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code analyze} command line, declared for picocli, which parses it and generates
 * {@code --help}. Options take their value as the next argument or after {@code =}; {@code --}
 * ends the options. Every parse error becomes one {@link IllegalArgumentException} whose message
 * names the option (and the value), as the hand-written parser before it did.
 */
@Command(name = "analyze",
    synopsisHeading = "Usage: ",
    customSynopsis = {
        "analyze <span files or directories>... [options]",
        "       analyze --zipkin URL | --jaeger URL | --tempo URL [--service S] [options]"},
    descriptionHeading = "%n",
    description = {
        "Finds the node whose state diverged, the first ordering break on it and the guard that "
            + "let it through, from racetrace spans (OTLP JSON lines, a Jaeger or Zipkin JSON "
            + "export). Directories contribute every *.jsonl (and *.jsonl.gz) file below them."},
    optionListHeading = "%nOptions:%n",
    sortOptions = false,
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  no divergence and no ordering break found",
        "  1  usage or input error (the message names the option, or the file and line)",
        "  2  ordering break found",
        "  3  divergence unexplained: a node's state differs and no ordering break explains it",
        "     (the report says why and what to fix: node ids, keys, operations never seen)"},
    usageHelpWidth = 100)
final class CliOptions {
  @Parameters(paramLabel = "FILE|DIR", hidden = true)
  final List<Path> inputs = new ArrayList<>();

  @Option(names = "--rule", paramLabel = "\"A < B < C per key\"", description = {
      "ordering rule (repeatable); rules recorded by the agent (resource attribute "
          + "racetrace.rules) are added"})
  final List<String> rules = new ArrayList<>();

  @Option(names = "--raw", paramLabel = "FILE|DIR", description = {
      "node-local raw reads: [{\"node\",\"key\",\"value\",\"version\"}]; repeatable (one file per "
          + "node is fine), merged; a directory contributes its *.json files"})
  final List<Path> raws = new ArrayList<>();

  @Option(names = "--node", paramLabel = "NODE", description = {
      "focus on this node (service.instance.id); an error if no node has that id"})
  String node;

  @Option(names = "--key", paramLabel = "KEY", description = {
      "focus on this key (race.key); other keys are not read; an error if neither spans nor raw "
          + "state have it"})
  String key;

  @Option(names = "--from", paramLabel = "TIME", description = {
      "only operations in this window (with --to), by each node's clock: an ISO-8601 instant "
          + "such as 2024-05-01T14:30:00Z, or epoch milliseconds"})
  private String from;

  @Option(names = "--to", paramLabel = "TIME", description = "end of that window, as --from")
  private String to;

  @Option(names = "--html", paramLabel = "FILE",
      description = "write a self-contained HTML report (swimlanes)")
  Path html;

  @Option(names = "--json", paramLabel = "FILE", description = "write the result as JSON")
  Path json;

  @Option(names = "--affected", paramLabel = "FILE",
      description = "write affected keys and windows as CSV (node,key,from,to)")
  Path affected;

  @Option(names = "--zipkin", paramLabel = "URL",
      description = "read the spans from Zipkin's API (http://host:9411)")
  private final List<String> zipkin = new ArrayList<>();

  @Option(names = "--jaeger", paramLabel = "URL",
      description = "... from Jaeger's query API (http://host:16686)")
  private final List<String> jaeger = new ArrayList<>();

  @Option(names = "--tempo", paramLabel = "URL",
      description = "... from Tempo's API (http://host:3200), by TraceQL")
  private final List<String> tempo = new ArrayList<>();

  @Option(names = "--service", paramLabel = "NAME", description = {
      "with a backend: only this service.name (Jaeger needs it); --key and --from/--to narrow "
          + "the query too (default window: the last 24 hours)"})
  String service;

  @Option(names = {"--help", "-h"}, usageHelp = true, description = "this text")
  boolean help;

  Long fromNanos;
  Long toNanos;
  Backend backend;
  URI backendUrl;

  private CliOptions() {}

  /**
   * @throws IllegalArgumentException with a message naming the option and the value
   */
  static CliOptions parse(String[] args) {
    return parse(args, false);
  }

  /** @param otherInputs spans come from elsewhere too, so no span file is needed */
  static CliOptions parse(String[] args, boolean otherInputs) {
    CliOptions o = new CliOptions();
    try {
      commandLine(o).parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(message(e), e);
    }
    if (o.help) {
      return o;
    }
    o.check(otherInputs);
    return o;
  }

  /** The {@code --help} text, generated from the declarations above. */
  static String usage() {
    StringWriter text = new StringWriter();
    commandLine(new CliOptions()).usage(new PrintWriter(text), CommandLine.Help.Ansi.OFF);
    return text.toString();
  }

  private static CommandLine commandLine(CliOptions o) {
    return new CommandLine(o)
        .setOverwrittenOptionsAllowed(true) // a repeated --node or --key: the last one counts
        .setExpandAtFiles(false) // "@name" is a file name, not a file of more arguments
        .setUnmatchedOptionsArePositionalParams(false)
        .setTrimQuotes(false);
  }

  /** picocli's message, in the words the command has always used. */
  private static String message(CommandLine.ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException) {
      List<String> unmatched = ((CommandLine.UnmatchedArgumentException) e).getUnmatched();
      if (!unmatched.isEmpty()) {
        String name = unmatched.get(0);
        int eq = name.indexOf('=');
        return "unknown option " + (eq > 0 ? name.substring(0, eq) : name);
      }
    }
    if (e instanceof CommandLine.MissingParameterException) {
      for (ArgSpec missing : ((CommandLine.MissingParameterException) e).getMissing()) {
        if (missing instanceof OptionSpec) {
          return ((OptionSpec) missing).longestName() + " needs a value";
        }
      }
    }
    return e.getMessage();
  }

  private void check(boolean otherInputs) {
    requireValue("--rule", rules);
    requireValue("--node", node);
    requireValue("--key", key);
    requireValue("--service", service);
    requireValue("--from", from);
    requireValue("--to", to);
    backend(Backend.ZIPKIN, zipkin);
    backend(Backend.JAEGER, jaeger);
    backend(Backend.TEMPO, tempo);
    fromNanos = from == null ? null : parseTime("--from", from);
    toNanos = to == null ? null : parseTime("--to", to);
    if (inputs.isEmpty() && backend == null && !otherInputs) {
      throw new IllegalArgumentException("no span files or directories given (or a backend: "
          + "--zipkin, --jaeger or --tempo URL)");
    }
    if (backend != null && !inputs.isEmpty()) {
      throw new IllegalArgumentException(backend.option() + " reads spans from the backend: "
          + "give no span files with it (got " + inputs.get(0) + ")");
    }
    if (backend != null && otherInputs) {
      throw new IllegalArgumentException(backend.option() + " reads spans from the backend: "
          + "give no journals with it");
    }
    if (service != null && backend == null) {
      throw new IllegalArgumentException("--service selects spans in a backend: use it with "
          + "--zipkin, --jaeger or --tempo");
    }
    if (fromNanos != null && toNanos != null && fromNanos > toNanos) {
      throw new IllegalArgumentException("--from is after --to");
    }
  }

  private static void requireValue(String option, String value) {
    if (value != null && value.isEmpty()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
  }

  private static void requireValue(String option, List<String> values) {
    values.forEach(v -> requireValue(option, v));
  }

  private void backend(Backend which, List<String> urls) {
    for (String url : urls) {
      requireValue(which.option(), url);
      if (backend != null) {
        throw new IllegalArgumentException(which.option() + ": only one backend at a time "
            + "(already " + backend.option() + ")");
      }
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        uri = null;
      }
      if (uri == null || uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalArgumentException(which.option() + "=" + url
            + ": not an http(s) URL such as http://localhost:"
            + (which == Backend.ZIPKIN ? "9411" : which == Backend.JAEGER ? "16686" : "3200"));
      }
      backend = which;
      backendUrl = uri;
    }
  }

  /** ISO-8601 instant ({@code 2024-05-01T14:30:00Z}, or with an offset) or epoch milliseconds. */
  static long parseTime(String option, String value) {
    if (value.matches("\\d{1,16}")) {
      return Long.parseLong(value) * 1_000_000L;
    }
    try {
      Instant t = Instant.parse(value);
      return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    } catch (DateTimeParseException e) {
      try {
        Instant t = OffsetDateTime.parse(value).toInstant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException(option + "=" + value
            + ": not an ISO-8601 instant (2024-05-01T14:30:00Z) or epoch milliseconds");
      }
    }
  }

  /** The analyzer options these arguments ask for, to build (more inputs may be added). */
  AnalyzerOptions.Builder toAnalyzerOptions() {
    AnalyzerOptions.Builder b = AnalyzerOptions.builder();
    inputs.forEach(b::addInput);
    rules.forEach(b::addRule);
    raws.forEach(b::rawState);
    b.node(node).key(key);
    if (backend != null) {
      b.backend(new BackendQuery(backend, backendUrl, service, key,
          fromNanos != null ? fromNanos : Long.MIN_VALUE,
          toNanos != null ? toNanos : Long.MAX_VALUE, BackendQuery.DEFAULT_LIMIT));
    }
    if (fromNanos != null) {
      b.fromNanos(fromNanos);
    }
    if (toNanos != null) {
      b.toNanos(toNanos);
    }
    return b;
  }

  List<Path> inputs() {
    return Collections.unmodifiableList(inputs);
  }
}
