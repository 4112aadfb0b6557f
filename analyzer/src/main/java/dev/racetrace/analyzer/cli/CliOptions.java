package dev.racetrace.analyzer.cli;

import dev.racetrace.analyzer.AnalyzerOptions;
import dev.racetrace.analyzer.input.remote.Backend;
import dev.racetrace.analyzer.input.remote.BackendQuery;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code analyze} command line, parsed. Options take their value as the next argument or
 * after {@code =}; {@code --} ends the options.
 */
final class CliOptions {
  final List<Path> inputs = new ArrayList<>();
  final List<String> rules = new ArrayList<>();
  final List<Path> raws = new ArrayList<>();
  String node;
  String key;
  Long fromNanos;
  Long toNanos;
  Path html;
  Path json;
  Path affected;
  Backend backend;
  URI backendUrl;
  String service;
  boolean help;

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
    boolean optionsEnded = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
        o.inputs.add(Path.of(arg));
        continue;
      }
      if (arg.equals("--")) {
        optionsEnded = true;
        continue;
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        o.help = true;
        continue;
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!takesValue(name)) {
        throw new IllegalArgumentException("unknown option " + name);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      o.set(name, value);
    }
    if (!o.help && o.inputs.isEmpty() && o.backend == null && !otherInputs) {
      throw new IllegalArgumentException("no span files or directories given (or a backend: "
          + "--zipkin, --jaeger or --tempo URL)");
    }
    if (o.backend != null && !o.inputs.isEmpty()) {
      throw new IllegalArgumentException(o.backend.option() + " reads spans from the backend: "
          + "give no span files with it (got " + o.inputs.get(0) + ")");
    }
    if (o.backend != null && otherInputs) {
      throw new IllegalArgumentException(o.backend.option() + " reads spans from the backend: "
          + "give no journals with it");
    }
    if (o.service != null && o.backend == null) {
      throw new IllegalArgumentException("--service selects spans in a backend: use it with "
          + "--zipkin, --jaeger or --tempo");
    }
    if (o.fromNanos != null && o.toNanos != null && o.fromNanos > o.toNanos) {
      throw new IllegalArgumentException("--from is after --to");
    }
    return o;
  }

  private static boolean takesValue(String name) {
    switch (name) {
      case "--rule": case "--raw": case "--node": case "--key": case "--from": case "--to":
      case "--html": case "--json": case "--affected":
      case "--zipkin": case "--jaeger": case "--tempo": case "--service":
        return true;
      default:
        return false;
    }
  }

  private void set(String name, String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    switch (name) {
      case "--rule": rules.add(value); break;
      case "--raw": raws.add(Path.of(value)); break;
      case "--node": node = value; break;
      case "--key": key = value; break;
      case "--from": fromNanos = parseTime(name, value); break;
      case "--to": toNanos = parseTime(name, value); break;
      case "--html": html = Path.of(value); break;
      case "--json": json = Path.of(value); break;
      case "--affected": affected = Path.of(value); break;
      case "--zipkin": backend(Backend.ZIPKIN, value); break;
      case "--jaeger": backend(Backend.JAEGER, value); break;
      case "--tempo": backend(Backend.TEMPO, value); break;
      case "--service": service = value; break;
      default: throw new IllegalArgumentException("unknown option " + name);
    }
  }

  private void backend(Backend which, String url) {
    if (backend != null) {
      throw new IllegalArgumentException(which.option() + ": only one backend at a time (already "
          + backend.option() + ")");
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
