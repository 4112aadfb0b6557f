package dev.racetrace.analyzer.report.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.racetrace.analyzer.AffectedWindow;
import dev.racetrace.analyzer.Analysis;
import dev.racetrace.analyzer.BreakFinding;
import dev.racetrace.analyzer.DivergenceSource;
import dev.racetrace.analyzer.Focus;
import dev.racetrace.analyzer.KeyDivergence;
import dev.racetrace.analyzer.UnexplainedDivergence;
import dev.racetrace.analyzer.input.SpanRecord;
import dev.racetrace.analyzer.report.Formats;
import dev.racetrace.analyzer.rules.GuardFinding;
import dev.racetrace.analyzer.rules.OrderBreak;
import dev.racetrace.analyzer.rules.OrderGuarantee;
import dev.racetrace.analyzer.timeline.OperationInstance;
import dev.racetrace.schema.OrderingRule;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * {@code --json FILE}: the analysis as JSON, streamed. Top-level fields: {@code nodes},
 * {@code divergence} ({@code [{key, values:{node:value}, versions, verdict, odd_node}]}),
 * {@code focus}, {@code breaks} ({@code [{node, healthy_node, key, expected_order,
 * observed_order, first_break_seq, guard:{kind, site, object, event, state_seen,
 * healthy_state_seen}, ...}]}), {@code enforcement}, {@code affected}
 * ({@code [{node, key, from, to, reason}]}) and {@code exit_code}. Times are ISO-8601 UTC on the
 * node's own clock; seqs are per node.
 */
public final class JsonReport {
  /** Version of this JSON layout. */
  public static final int FORMAT_VERSION = 1;

  private final JsonFactory factory = JsonFactory.builder().build();

  /** Writes {@code analysis} to {@code out} (not closed). */
  public void write(Analysis analysis, OutputStream out) throws IOException {
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeNumberField("format_version", FORMAT_VERSION);
      g.writeArrayFieldStart("nodes");
      for (String n : analysis.nodes()) {
        g.writeString(n);
      }
      g.writeEndArray();
      stringMap(g, "services", analysis.services());
      g.writeNumberField("spans", analysis.spansRead());
      g.writeNumberField("files", analysis.files());
      g.writeArrayFieldStart("warnings");
      for (String w : analysis.warnings()) {
        g.writeString(w);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("rules");
      for (OrderingRule r : analysis.rules()) {
        g.writeString(r.text());
      }
      g.writeEndArray();
      g.writeStringField("divergence_source", sourceId(analysis.divergenceSource()));
      g.writeArrayFieldStart("divergence");
      for (KeyDivergence d : analysis.divergence()) {
        divergence(g, d);
      }
      g.writeEndArray();
      focus(g, analysis.focus());
      g.writeArrayFieldStart("breaks");
      for (BreakFinding b : analysis.breaks()) {
        breakFinding(g, b);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("enforcement");
      for (OrderGuarantee og : analysis.guarantees()) {
        g.writeStartObject();
        g.writeStringField("node", og.node());
        g.writeStringField("key", og.second().key());
        g.writeStringField("first", og.first().op());
        g.writeStringField("second", og.second().op());
        g.writeBooleanField("guaranteed", og.guaranteed());
        g.writeStringField("detail", og.describe());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("affected");
      for (AffectedWindow w : analysis.affected()) {
        g.writeStartObject();
        g.writeStringField("node", w.node());
        g.writeStringField("key", w.key());
        nullableString(g, "from", Formats.iso(w.fromNanos()));
        nullableString(g, "to", Formats.iso(w.toNanos()));
        g.writeStringField("reason", w.reason());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("raw_nodes");
      for (String n : analysis.rawNodes()) {
        g.writeString(n);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("unexplained");
      for (UnexplainedDivergence u : analysis.unexplained()) {
        g.writeStartObject();
        g.writeStringField("node", u.node());
        g.writeStringField("key", u.key());
        g.writeStringField("cause", u.cause());
        g.writeStringField("reason", u.reason());
        g.writeStringField("fix", u.fix());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("rule_violations_without_divergence");
      for (BreakFinding b : analysis.agreeingBreaks()) {
        breakFinding(g, b);
      }
      g.writeEndArray();
      g.writeStringField("verdict", analysis.outcome().id());
      UnexplainedDivergence first = analysis.breaks().isEmpty() && !analysis.unexplained().isEmpty()
          ? analysis.unexplained().get(0) : null;
      nullableString(g, "reason", first == null ? null : first.reason());
      nullableString(g, "fix", first == null ? null : first.fix());
      g.writeNumberField("exit_code", analysis.exitCode());
      g.writeEndObject();
    }
  }

  /** {@code raw-state}, {@code last-publish} or {@code operation-order}. */
  public static String sourceId(DivergenceSource s) {
    switch (s) {
      case RAW_STATE: return "raw-state";
      case LAST_PUBLISH: return "last-publish";
      default: return "operation-order";
    }
  }

  private static void divergence(JsonGenerator g, KeyDivergence d) throws IOException {
    g.writeStartObject();
    g.writeStringField("key", d.key());
    g.writeObjectFieldStart("values");
    for (Map.Entry<String, String> e : d.values().entrySet()) {
      nullableString(g, e.getKey(), e.getValue());
    }
    g.writeEndObject();
    if (!d.versions().isEmpty()) {
      g.writeObjectFieldStart("versions");
      for (String node : d.values().keySet()) {
        Long v = d.versions().get(node);
        if (v != null) {
          g.writeNumberField(node, v);
        }
      }
      g.writeEndObject();
    }
    g.writeStringField("verdict", d.verdict().id());
    nullableString(g, "odd_node", d.oddNode());
    g.writeEndObject();
  }

  private static void focus(JsonGenerator g, Focus f) throws IOException {
    if (f == null) {
      g.writeNullField("focus");
      return;
    }
    g.writeObjectFieldStart("focus");
    g.writeStringField("node", f.node());
    g.writeStringField("key", f.key());
    nullableString(g, "healthy_node", f.healthyNode());
    nullableString(g, "from", f.hasWindow() ? Formats.iso(f.fromNanos()) : null);
    nullableString(g, "to", f.hasWindow() ? Formats.iso(f.toNanos()) : null);
    g.writeStringField("why", f.why());
    g.writeEndObject();
  }

  private static void breakFinding(JsonGenerator g, BreakFinding b) throws IOException {
    OrderBreak ob = b.orderBreak();
    g.writeStartObject();
    g.writeStringField("node", b.node());
    nullableString(g, "healthy_node", b.healthyNode());
    g.writeStringField("key", b.key());
    g.writeStringField("reason", ob.reason() == OrderBreak.Reason.RULE ? "rule" : "healthy-order");
    nullableString(g, "rule", ob.rule() == null ? null : ob.rule().text());
    g.writeStringField("expected_order", String.join(" < ", b.expectedOrder()));
    g.writeStringField("observed_order", String.join(" < ", b.observedOrder()));
    g.writeNumberField("first_break_seq", b.seq());
    g.writeStringField("early_op", ob.early().op());
    g.writeStringField("late_op", ob.lateOp());
    g.writeStringField("summary", ob.summary());
    g.writeFieldName("early");
    instance(g, ob.early());
    g.writeFieldName("late");
    instance(g, ob.late());
    g.writeBooleanField("late_still_queued", b.lateStillPending());
    if (b.gapNanos() == SpanRecord.NONE) {
      g.writeNullField("time_gap_ms");
    } else {
      g.writeNumberField("time_gap_ms", b.gapNanos() / 1_000_000L);
    }
    GuardFinding gf = b.guard();
    g.writeObjectFieldStart("guard");
    g.writeStringField("kind", gf.kind().id());
    nullableString(g, "event", gf.guard() == null ? null : gf.guard().event());
    nullableString(g, "object", gf.object());
    nullableString(g, "site", gf.site());
    longMap(g, "state_seen", b.stateSeen());
    longMap(g, "healthy_state_seen", b.healthyStateSeen());
    g.writeArrayFieldStart("passed");
    for (SpanRecord s : gf.allGuards()) {
      g.writeString(Formats.guard(s));
    }
    g.writeEndArray();
    g.writeEndObject();
    OrderGuarantee hg = b.healthyGuarantee();
    if (hg == null) {
      g.writeNullField("healthy_order_guaranteed");
    } else {
      g.writeBooleanField("healthy_order_guaranteed", hg.guaranteed());
    }
    nullableString(g, "healthy_order_detail", hg == null ? null : hg.describe());
    g.writeEndObject();
  }

  private static void instance(JsonGenerator g, OperationInstance o) throws IOException {
    if (o == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    g.writeStringField("op", o.op());
    g.writeNumberField("index", o.index());
    g.writeBooleanField("queued", o.pending());
    g.writeNumberField("enqueue_seq", o.initSeq());
    g.writeStringField("enqueued", Formats.iso(o.initNanos()));
    if (!o.pending()) {
      g.writeNumberField("start_seq", o.startSeq());
      g.writeStringField("started", Formats.iso(o.startNanos()));
      g.writeNumberField("proceed_seq", o.proceedSeq());
      g.writeStringField("proceeded", Formats.iso(o.proceedNanos()));
      if (o.ended()) {
        g.writeNumberField("end_seq", o.endSeq());
        g.writeStringField("ended", Formats.iso(o.endNanos()));
      }
      g.writeStringField("thread", o.thread());
      if (o.queueWaitNs() != SpanRecord.NONE) {
        g.writeNumberField("queue_wait_ms", o.queueWaitNs() / 1_000_000L);
      }
    }
    longMap(g, "state", o.stateAtProceed());
    g.writeEndObject();
  }

  private static void longMap(JsonGenerator g, String name, Map<String, Long> m)
      throws IOException {
    g.writeObjectFieldStart(name);
    for (Map.Entry<String, Long> e : m.entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private static void stringMap(JsonGenerator g, String name, Map<String, String> m)
      throws IOException {
    g.writeObjectFieldStart(name);
    for (Map.Entry<String, String> e : m.entrySet()) {
      nullableString(g, e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private static void nullableString(JsonGenerator g, String name, String v) throws IOException {
    if (v == null || v.isEmpty()) {
      g.writeNullField(name);
    } else {
      g.writeStringField(name, v);
    }
  }
}
