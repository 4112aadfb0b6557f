package dev.racetrace.analyzer.cli;

/** The {@code analyze --help} text. */
final class Usage {
  private Usage() {}

  static final String TEXT = String.join("\n",
      "Usage: analyze <span files or directories>... [options]",
      "",
      "Finds the node whose state diverged, the first ordering break on it and the guard that",
      "let it through, from racetrace spans (OTLP JSON lines, or a Jaeger JSON export).",
      "Directories contribute every *.jsonl (and *.jsonl.gz) file below them.",
      "",
      "Options:",
      "  --rule \"A < B < C per key\"  ordering rule (repeatable); rules recorded by the agent",
      "                              (resource attribute racetrace.rules) are added",
      "  --raw FILE|DIR              node-local raw reads: [{\"node\",\"key\",\"value\",\"version\"}];",
      "                              repeatable (one file per node is fine), merged; a",
      "                              directory contributes its *.json files",
      "  --node NODE                 focus on this node (service.instance.id); an error if no",
      "                              node has that id",
      "  --key KEY                   focus on this key (race.key); other keys are not read;",
      "                              an error if neither spans nor raw state have it",
      "  --from TIME, --to TIME      only operations in this window: ISO-8601 instant",
      "                              (2024-05-01T14:30:00Z) or epoch milliseconds; each node's clock",
      "  --html FILE                 write a self-contained HTML report (swimlanes)",
      "  --json FILE                 write the result as JSON",
      "  --affected FILE             write affected keys and windows as CSV (node,key,from,to)",
      "  --help                      this text",
      "",
      "Exit codes:",
      "  0  no divergence and no ordering break found",
      "  1  usage or input error (the message names the option, or the file and line)",
      "  2  ordering break found",
      "  3  divergence unexplained: a node's state differs and no ordering break explains it",
      "     (the report says why and what to fix: node ids, keys, operations never seen)",
      "");
}
