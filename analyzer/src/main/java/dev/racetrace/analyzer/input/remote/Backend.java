package dev.racetrace.analyzer.input.remote;

import java.util.Locale;

/** A tracing backend with a query API the analyzer can read from. */
public enum Backend {
  /** Zipkin: {@code GET /api/v2/traces} (Zipkin v2 JSON). */
  ZIPKIN,
  /** Jaeger: {@code GET /api/traces} (the query service's JSON, as the UI downloads it). */
  JAEGER,
  /** Grafana Tempo: TraceQL {@code GET /api/search}, then {@code GET /api/traces/<id>} (OTLP JSON). */
  TEMPO;

  /** The command-line option, e.g. {@code --zipkin}. */
  public String option() {
    return "--" + name().toLowerCase(Locale.ROOT);
  }
}
