package dev.racetrace.analyzer.cli;

/** The {@code analyze --help} text. */
final class Usage {
  private Usage() {}

  static final String TEXT = String.join("\n",
      "Usage: analyze <span files or directories>... [options]",
      "       analyze --zipkin URL | --jaeger URL | --tempo URL [--service S] [options]",
      "",
      "Finds the node whose state diverged, the first ordering break on it and the guard that",
      "let it through, from racetrace spans (OTLP JSON lines, a Jaeger or Zipkin JSON export).",
      "Directories contribute every *.jsonl (and *.jsonl.gz) file below them.",
      "",
      "Options:",
      "  --rule \"A < B < C per key\"  ordering rule (repeatable); rules recorded by the agent",
      "                              (resource attribute racetrace.rules) are added",
      "  --raw FILE                  node-local raw reads: [{\"node\",\"key\",\"value\",\"version\"}]",
      "  --node NODE                 focus on this node (service.instance.id)",
      "  --key KEY                   focus on this key (race.key); other keys are not read",
      "  --from TIME, --to TIME      only operations in this window: ISO-8601 instant",
      "                              (2024-05-01T14:30:00Z) or epoch milliseconds; each node's clock",
      "  --html FILE                 write a self-contained HTML report (swimlanes)",
      "  --json FILE                 write the result as JSON",
      "  --affected FILE             write affected keys and windows as CSV (node,key,from,to)",
      "  --zipkin URL                read the spans from Zipkin's API (http://host:9411)",
      "  --jaeger URL                ... from Jaeger's query API (http://host:16686)",
      "  --tempo URL                 ... from Tempo's API (http://host:3200), by TraceQL",
      "  --service NAME              with a backend: only this service.name (Jaeger needs it);",
      "                              --key and --from/--to narrow the query too (default",
      "                              window: the last 24 hours)",
      "  --help                      this text",
      "",
      "Exit codes: 0 no ordering break found, 2 ordering break found, 1 error.",
      "");
}
