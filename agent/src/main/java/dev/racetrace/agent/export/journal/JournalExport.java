package dev.racetrace.agent.export.journal;

import dev.racetrace.agent.config.ConfigException;
import dev.racetrace.agent.export.sink.OtlpJsonFileExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds spans from journals after the fact and sends them on: one OTLP JSON lines file per journal
 * (what the live file export writes, so the analyzer and {@code otel-cli}-style tools read it), or
 * an OTLP/HTTP endpoint (Jaeger, Tempo, any collector).
 */
public final class JournalExport {
  /** Spans per export call. */
  private static final int BATCH = 512;
  private static final long TIMEOUT_SECONDS = 30;

  private final PrintStream err;
  private long spans;
  private int problems;

  public JournalExport(PrintStream err) {
    this.err = err;
  }

  /** How to turn the journals in {@code dir} into spans, for the start and exit lines. */
  public static String exportHint(Path dir) {
    return "spans from it: java -jar racetrace-agent.jar export " + dir + " --otlp [endpoint] | --otlp-json DIR";
  }

  /** {@code paths}: journal files, or directories searched for {@code *.rtj} files. */
  public static List<Path> journals(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          out.addAll(walk.filter(Files::isRegularFile)
              .filter(f -> f.getFileName().toString().endsWith(JournalFormat.EXTENSION))
              .sorted().collect(Collectors.toList()));
        }
      } else if (Files.isRegularFile(p)) {
        out.add(p);
      } else {
        throw new IOException(p + ": no such file or directory");
      }
    }
    return out;
  }

  private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile(
      "(.*)\\.([0-9]+)" + java.util.regex.Pattern.quote(JournalFormat.EXTENSION));

  /**
   * {@code journals} grouped by recording: the parts of a journal rotated under racetrace.out.max
   * ({@code node.rtj}, {@code node.1.rtj}, ..., the oldest perhaps deleted) in part order, to be
   * replayed as one; every other journal alone.
   */
  public static List<List<Path>> nodes(List<Path> journals) {
    java.util.Map<Path, java.util.TreeMap<Integer, Path>> byBase = new java.util.TreeMap<>();
    for (Path j : journals) {
      String name = j.getFileName().toString();
      java.util.regex.Matcher m = PART.matcher(name);
      Path base = m.matches() ? j.resolveSibling(m.group(1) + JournalFormat.EXTENSION) : j;
      int part = m.matches() ? Integer.parseInt(m.group(2)) : 0;
      byBase.computeIfAbsent(base, b -> new java.util.TreeMap<>()).put(part, j);
    }
    List<List<Path>> out = new ArrayList<>();
    for (java.util.TreeMap<Integer, Path> parts : byBase.values()) {
      out.add(new ArrayList<>(parts.values()));
    }
    return out;
  }

  /** The base name of a node's parts ({@code node.3.rtj} -> {@code node}). */
  static String baseName(Path part) {
    String name = part.getFileName().toString();
    java.util.regex.Matcher m = PART.matcher(name);
    if (m.matches()) {
      return m.group(1);
    }
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** A node's parts for a message: the first, and how many follow. */
  static String describe(List<Path> parts) {
    return parts.get(0) + (parts.size() > 1 ? " and " + (parts.size() - 1) + " later part(s)" : "");
  }

  /** Whether {@code p} is a journal file or a directory holding one. */
  public static boolean holdsJournals(Path p) {
    try {
      if (Files.isRegularFile(p)) {
        return p.getFileName().toString().endsWith(JournalFormat.EXTENSION);
      }
      return Files.isDirectory(p) && !journals(List.of(p)).isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Writes {@code <dir>/<journal name>.jsonl} for each journal.
   *
   * @return the files written
   */
  public List<Path> toOtlpJson(List<Path> journals, Path dir) {
    List<Path> written = new ArrayList<>();
    for (List<Path> j : nodes(journals)) {
      Path target = dir.resolve(baseName(j.get(0)) + ".jsonl");
      OtlpJsonFileExporter exporter = new OtlpJsonFileExporter(target);
      if (export(j, exporter, target.toString())) {
        written.add(target);
      }
    }
    return written;
  }

  /**
   * Sends every journal's spans to the OTLP/HTTP traces URL {@code url} with {@code headers} on
   * every request; {@code where} names the target in what is printed (never a header's value).
   */
  public void toOtlp(List<Path> journals, String url, Map<String, String> headers, String where) {
    for (List<Path> j : nodes(journals)) {
      OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder().setEndpoint(url)
          .setTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      headers.forEach(builder::addHeader);
      export(j, builder.build(), where);
    }
  }

  /**
   * Replays one journal (the parts of one rotated journal, in order) into {@code exporter}, then
   * shuts it down. @return whether it all went
   */
  private boolean export(List<Path> parts, SpanExporter exporter, String where) {
    try {
      return send(parts, exporter, where);
    } finally {
      exporter.shutdown().join(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /**
   * Replays one journal (the parts of one rotated journal, in order) into {@code exporter}, which
   * stays open (flight mode sends each dump through the same exporters), and says on {@code err}
   * what went where. @return whether it all went
   */
  public boolean send(List<Path> parts, SpanExporter exporter, String where) {
    String journal = describe(parts);
    List<SpanData> batch = new ArrayList<>(BATCH);
    boolean[] ok = {true};
    Function<List<SpanData>, Boolean> send = spansOut -> {
      CompletableResultCode r = exporter.export(new ArrayList<>(spansOut)).join(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return r.isSuccess();
    };
    long before = spans;
    JournalReplay replay = new JournalReplay(span -> {
      batch.add(span);
      spans++;
      if (batch.size() >= BATCH) {
        ok[0] &= send.apply(batch);
        batch.clear();
      }
    });
    try {
      replay.replayParts(parts, err);
      if (!batch.isEmpty()) {
        ok[0] &= send.apply(batch);
      }
    } catch (IOException | ConfigException | RuntimeException e) {
      problems++;
      err.println("racetrace: " + (e instanceof JournalReader.NotAJournal ? e.getMessage() : journal + ": " + e));
      return false;
    }
    if (!ok[0]) {
      problems++;
      err.println("racetrace: " + journal + ": some spans were not accepted by " + where);
      return false;
    }
    err.println("racetrace: " + journal + ": " + (replay.flightReason() != null
        ? "flight dump (" + replay.flightReason() + "): " : "") + replay.events() + " events -> " + (spans - before)
        + " spans -> " + where);
    return true;
  }

  public long spans() {
    return spans;
  }

  /** Journals that could not be read or exported. */
  public int problems() {
    return problems;
  }
}
