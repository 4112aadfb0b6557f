package dev.racetrace.analyzer.report.text;

import dev.racetrace.analyzer.AffectedWindow;
import dev.racetrace.analyzer.Analysis;
import dev.racetrace.analyzer.BreakFinding;
import dev.racetrace.analyzer.DivergenceSource;
import dev.racetrace.analyzer.Focus;
import dev.racetrace.analyzer.KeyDivergence;
import dev.racetrace.analyzer.OrderLabels;
import dev.racetrace.analyzer.UnexplainedDivergence;
import dev.racetrace.analyzer.Verdict;
import dev.racetrace.analyzer.input.SpanRecord;
import dev.racetrace.analyzer.Excerpt;
import dev.racetrace.analyzer.report.Formats;
import dev.racetrace.analyzer.report.Phases;
import dev.racetrace.analyzer.rules.GuardFinding;
import dev.racetrace.analyzer.rules.OrderBreak;
import dev.racetrace.analyzer.rules.OrderGuarantee;
import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.OperationInstance;
import dev.racetrace.schema.OrderingRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text report: the five steps in order, short enough to read at 2 AM. Deterministic for a
 * given input (times in UTC, no "now"), so it can be checked against golden files.
 */
public final class TextReport {
  private static final int MAX_DIVERGENT_ROWS = 15;
  private static final int MAX_OTHER_BREAKS = 5;
  private static final int MAX_AFFECTED_ROWS = 20;
  private static final int COL = 46;
  private static final int MAX_TIMELINE_OPS = 12;

  private final Analysis a;
  private final String rawStateName;
  private final StringBuilder out = new StringBuilder();

  /**
   * @param analysis the result to report
   * @param rawStateName the raw state file's name, shown in step 1, or null
   */
  public TextReport(Analysis analysis, String rawStateName) {
    this.a = analysis;
    this.rawStateName = rawStateName;
  }

  /** The report, lines ending in {@code \n}. */
  public String render() {
    out.setLength(0);
    header();
    divergence();
    narrow();
    timelines();
    firstBreak();
    containment();
    result();
    return out.toString();
  }

  private void line(String s) {
    out.append(s).append('\n');
  }

  private void header() {
    line("racetrace analyze: " + a.nodes().size() + (a.nodes().size() == 1 ? " node" : " nodes")
        + " (" + String.join(", ", a.nodes()) + "), " + a.spansRead() + " spans from "
        + a.files() + (a.files() == 1 ? " file" : " files"));
    if (a.rules().isEmpty()) {
      line("rules: none (comparing with the healthy node's order only)");
    } else {
      List<String> texts = new ArrayList<>();
      for (OrderingRule r : a.rules()) {
        texts.add(r.text());
      }
      line("rules: " + String.join("; ", texts));
    }
    for (String w : a.warnings()) {
      line("WARNING: " + w);
    }
    line("");
  }

  private void divergence() {
    String source;
    if (a.divergenceSource() == DivergenceSource.RAW_STATE) {
      source = "raw state" + (rawStateName == null ? "" : ": " + rawStateName);
    } else if (a.divergenceSource() == DivergenceSource.LAST_PUBLISH) {
      source = "no raw state: what each node's last publish was derived from";
    } else {
      source = "no raw state, no publish: each node's order of operations";
    }
    line("1. DIVERGENCE (" + source + ")");
    List<KeyDivergence> shown = new ArrayList<>();
    int agree = 0;
    for (KeyDivergence d : a.divergence()) {
      if (d.verdict() == Verdict.AGREE) {
        agree++;
      } else {
        shown.add(d);
      }
    }
    shown.sort(Comparator.comparingInt((KeyDivergence d) -> rank(d.verdict()))
        .thenComparing(KeyDivergence::key));
    if (a.divergence().isEmpty()) {
      line("   no values to compare");
    } else if (shown.isEmpty()) {
      // Only the nodes whose values were compared (raw reads loaded), never all span nodes.
      List<String> compared = new ArrayList<>(a.divergence().get(0).values().keySet());
      line("   " + (agree == 1 ? "the only key agrees" : "all " + agree + " keys agree")
          + " across " + String.join(", ", compared) + " (all wrong alike would look the same)");
    } else {
      int valueWidth = 8;
      for (int i = 0; i < shown.size() && i < MAX_DIVERGENT_ROWS; i++) {
        for (Map.Entry<String, String> e : shown.get(i).values().entrySet()) {
          Long version = shown.get(i).versions().get(e.getKey());
          int len = (e.getValue() == null ? 6 : e.getValue().length())
              + (version == null ? 0 : 2 + version.toString().length());
          valueWidth = Math.max(valueWidth, Math.min(40, len + 2));
        }
        for (String n : shown.get(i).values().keySet()) {
          valueWidth = Math.max(valueWidth, n.length() + 2);
        }
      }
      StringBuilder head = new StringBuilder(pad("   key", 16));
      List<String> nodes = new ArrayList<>(shown.get(0).values().keySet());
      for (String n : nodes) {
        head.append(pad(n, valueWidth));
      }
      line(head.append("verdict").toString().stripTrailing());
      for (int i = 0; i < shown.size() && i < MAX_DIVERGENT_ROWS; i++) {
        KeyDivergence d = shown.get(i);
        StringBuilder row = new StringBuilder(pad("   " + d.key(), 16));
        for (String n : nodes) {
          String v = d.values().get(n);
          Long version = d.versions().get(n);
          String cell = v == null ? "(none)" : v + (version == null ? "" : " @" + version);
          row.append(pad(Formats.cut(cell, valueWidth - 2), valueWidth));
        }
        row.append(d.verdict().id()).append(d.oddNode() == null ? "" : ": " + d.oddNode());
        line(row.toString());
      }
      if (shown.size() > MAX_DIVERGENT_ROWS) {
        line("   ... " + (shown.size() - MAX_DIVERGENT_ROWS) + " more keys that do not agree"
            + " (see --json)");
      }
      if (agree > 0) {
        line("   " + agree + (agree == 1 ? " other key agrees" : " other keys agree"));
      }
    }
    line("");
  }

  private static int rank(Verdict v) {
    switch (v) {
      case ONE_DIFFERS: return 0;
      case MISSING: return 1;
      case ALL_DIFFER: return 2;
      default: return 3;
    }
  }

  private void narrow() {
    line("2. NARROW");
    Focus f = a.focus();
    if (f == null) {
      line("   nothing stands out: no key has a single odd node and no rule is broken");
      line("");
      return;
    }
    line("   node     " + f.node() + " (" + f.why() + ")");
    line("   key      " + f.key());
    if (f.hasWindow()) {
      line("   window   " + Formats.iso(f.fromNanos()) + " .. " + Formats.iso(f.toNanos()) + " ("
          + f.node() + " clock)");
    } else {
      line("   window   none: " + f.node() + " recorded no operation on " + f.key());
    }
    line("   compare  " + (f.healthyNode() == null ? "no other node has operations on this key"
        : f.healthyNode() + " (healthy)"));
    line("");
  }

  private void timelines() {
    Focus f = a.focus();
    if (f == null) {
      line("3. TIMELINES: none (nothing to narrow to; use --node and --key to pick one)");
      line("");
      return;
    }
    NodeTimeline left = a.timelines().get(f.node());
    NodeTimeline right = f.healthyNode() == null ? null : a.timelines().get(f.healthyNode());
    List<OperationInstance> allLeft = left == null ? List.of() : left.operations(f.key());
    List<OperationInstance> allRight = right == null ? List.of() : right.operations(f.key());
    OrderBreak brk = a.focusBreak() == null ? null : a.focusBreak().orderBreak();
    List<OperationInstance> lops = Excerpt.around(allLeft, brk, MAX_TIMELINE_OPS);
    List<OperationInstance> rops = Excerpt.counterparts(lops, allRight, MAX_TIMELINE_OPS);
    line("3. TIMELINES " + f.key() + " (aligned by operation; order by race.seq; each node's clock)");
    if (lops.isEmpty() && rops.isEmpty()) {
      line("   no operations recorded on " + f.key());
      line("");
      return;
    }
    line(row("", f.node() + " (" + (a.focusBreak() != null ? "broken" : "focus") + ")",
        right == null ? null : f.healthyNode() + " (healthy)"));
    for (Phases.Phase p : Phases.align(lops, rops, a.rules())) {
      line("   " + p.label());
      OperationInstance l = p.left();
      OperationInstance r = p.right();
      boolean two = right != null;
      line(row("enqueued", enqueued(l), two ? enqueued(r) : null));
      if (handedOff(l) || (two && handedOff(r))) {
        line(row("dequeued", dequeued(l), two ? dequeued(r) : null));
      }
      line(row("started", started(l), two ? started(r) : null));
      line(row("proceeded", proceeded(l), two ? proceeded(r) : null));
      line(row("ended", ended(l), two ? ended(r) : null));
      line(row("queue wait", l == null || l.pending() ? "-" : Formats.duration(l.queueWaitNs()),
          two ? (r == null || r.pending() ? "-" : Formats.duration(r.queueWaitNs())) : null));
      List<String> lg = guards(l);
      List<String> rg = two ? guards(r) : List.of();
      for (int i = 0; i < Math.max(1, Math.max(lg.size(), rg.size())); i++) {
        line(row(i == 0 ? "guards" : "", i < lg.size() ? lg.get(i) : (i == 0 ? "-" : ""),
            two ? (i < rg.size() ? rg.get(i) : (i == 0 ? "-" : "")) : null));
      }
      line(row("state", l == null ? "-" : Formats.state(l.stateAtProceed()),
          two ? (r == null ? "-" : Formats.state(r.stateAtProceed())) : null));
    }
    if (lops.size() < allLeft.size()) {
      line("   (" + lops.size() + " of " + allLeft.size() + " operations on " + f.key()
          + " shown, around the break; narrow with --from and --to to see others)");
    }
    line("   order on " + f.node() + ": " + order(lops));
    if (right != null) {
      line("   order on " + f.healthyNode() + ": " + order(rops));
    }
    line("");
  }

  private static String order(List<OperationInstance> ops) {
    List<String> labels = OrderLabels.of(ops, null);
    if (labels.size() > 20) {
      return String.join(" < ", labels.subList(0, 20)) + " < ... (" + (labels.size() - 20)
          + " more)";
    }
    return String.join(" < ", labels);
  }

  private static String row(String label, String left, String right) {
    String s = "     " + pad(label, 13) + (right == null ? left : pad(left, COL) + right);
    return s.stripTrailing();
  }

  private static String enqueued(OperationInstance o) {
    if (o == null) {
      return "(not seen)";
    }
    return o.hasInitiator() ? at(o.initNanos(), o.initSeq()) : "-";
  }

  /** Whether the work went through a queue and was then handed to another thread. */
  private static boolean handedOff(OperationInstance o) {
    return o != null && o.parts().size() > 1;
  }

  private static String dequeued(OperationInstance o) {
    if (o == null || o.pending()) {
      return o == null ? "" : "(still queued)";
    }
    SpanRecord first = o.parts().get(0);
    return at(first.startNanos(), first.seq()) + " " + first.thread();
  }

  private static String started(OperationInstance o) {
    if (o == null) {
      return "";
    }
    if (o.pending()) {
      return "(still queued)";
    }
    SpanRecord last = o.parts().get(o.parts().size() - 1);
    return at(last.startNanos(), last.seq()) + " " + last.thread();
  }

  private static String proceeded(OperationInstance o) {
    if (o == null || o.pending()) {
      return "";
    }
    return at(o.proceedNanos(), o.proceedSeq());
  }

  private static String ended(OperationInstance o) {
    if (o == null || o.pending()) {
      return "";
    }
    if (!o.ended()) {
      return "(hand-off never ran)";
    }
    return at(o.endNanos(), o.endSeq()) + (o.endInferred() ? " (end not seen)" : "");
  }

  private static String at(long nanos, long seq) {
    return Formats.clock(nanos) + " seq " + seq;
  }

  private static List<String> guards(OperationInstance o) {
    List<String> out = new ArrayList<>();
    if (o == null) {
      return out;
    }
    for (SpanRecord g : o.guards()) {
      out.add(Formats.guardShort(g, COL - 2));
    }
    return out;
  }

  private void firstBreak() {
    BreakFinding b = a.focusBreak();
    if (b == null) {
      if (a.breaks().isEmpty() && !a.unexplained().isEmpty()) {
        line("4. FIRST ORDERING BREAK: none found, but a node diverged: DIVERGENCE UNEXPLAINED");
        unexplained();
      } else if (a.breaks().isEmpty()) {
        line("4. FIRST ORDERING BREAK: none found");
      } else {
        line("4. FIRST ORDERING BREAK: none at the focus; " + a.breaks().size()
            + " elsewhere:");
        otherBreaks(null);
      }
      enforcement("   ");
      line("");
      return;
    }
    OrderBreak ob = b.orderBreak();
    OperationInstance early = ob.early();
    OperationInstance late = ob.late();
    line("4. FIRST ORDERING BREAK " + b.node() + ", " + b.key() + ", seq " + b.seq());
    String expectedFrom = ob.reason() == OrderBreak.Reason.RULE ? "rule"
        : "order on " + b.healthyNode();
    line("   expected   " + String.join(" < ", b.expectedOrder()) + "  (" + expectedFrom + ")");
    line("   observed   " + String.join(" < ", b.observedOrder()) + "  (" + b.node() + ")");
    line("   what       " + early.op() + " proceeded at seq " + early.proceedSeq() + " ("
        + Formats.clock(early.proceedNanos()) + ")");
    line("              " + lateState(b));
    GuardFinding g = b.guard();
    if (g.guard() == null) {
      line("   guard      " + g.kind().id() + ": " + early.op() + " passed no guard");
    } else {
      line("   guard      " + g.kind().id() + ": " + Formats.guard(g.guard())
          + (g.site() == null ? "" : " at " + g.site()));
    }
    line("              " + g.kind().meaning());
    List<String> others = new ArrayList<>();
    for (SpanRecord other : g.allGuards()) {
      if (other != g.guard()) {
        others.add(Formats.guard(other));
      }
    }
    if (!others.isEmpty()) {
      line("              also passed: " + String.join("; ", others));
    }
    stateLine(b);
    if (b.healthyNode() != null) {
      line("   on " + b.healthyNode() + "  " + healthyLine(b));
    }
    otherBreaks(b);
    if (!a.unexplained().isEmpty()) {
      line("   diverged with no break to explain it (" + a.unexplained().size() + "):");
      unexplained();
    }
    line("");
  }

  /** Diverged keys no break explains: why, and the most likely fix. */
  private void unexplained() {
    for (int i = 0; i < a.unexplained().size() && i < MAX_OTHER_BREAKS; i++) {
      UnexplainedDivergence u = a.unexplained().get(i);
      line("   " + u.node() + ", " + u.key() + " [" + u.cause() + "]: " + u.reason());
      line("     fix: " + u.fix());
    }
    if (a.unexplained().size() > MAX_OTHER_BREAKS) {
      line("   ... " + (a.unexplained().size() - MAX_OTHER_BREAKS) + " more (see --json)");
    }
  }

  private static String lateState(BreakFinding b) {
    OrderBreak ob = b.orderBreak();
    OperationInstance late = ob.late();
    if (late == null) {
      return "but " + ob.lateOp() + " never appeared on " + b.node();
    }
    String gap = b.gapNanos() == SpanRecord.NONE ? "" : Formats.duration(b.gapNanos());
    if (late.pending()) {
      return "while " + ob.lateOp() + " was still queued: enqueued seq " + late.initSeq()
          + ", still queued at the end of the trace (" + gap + " later)";
    }
    if (!late.ended()) {
      return "while " + ob.lateOp() + " had not finished: started seq " + late.startSeq()
          + ", not finished at the end of the trace (" + gap + " later)";
    }
    long proceed = ob.early().proceedSeq();
    String when = late.startSeq() > proceed ? "was still queued"
        : late.lastStartSeq() > proceed ? "was still waiting for a worker"
        : "was still running";
    return "while " + ob.lateOp() + " " + when + ": enqueued seq " + late.initSeq()
        + ", started seq " + late.lastStartSeq() + ", ended seq " + late.endSeq() + " (" + gap
        + " later)";
  }

  private void stateLine(BreakFinding b) {
    Set<String> names = new LinkedHashSet<>(b.stateSeen().keySet());
    names.addAll(b.healthyStateSeen().keySet());
    if (names.isEmpty()) {
      line("   state      none recorded (register probes with RaceTrace.state)");
      return;
    }
    boolean first = true;
    for (String name : names) {
      StringBuilder sb = new StringBuilder(first ? "   state      " : "              ");
      sb.append(pad(name, 22)).append(b.node()).append(": ").append(value(b.stateSeen(), name));
      if (b.healthyNode() != null) {
        sb.append("   ").append(b.healthyNode()).append(": ")
            .append(value(b.healthyStateSeen(), name));
      }
      line(sb.toString());
      first = false;
    }
  }

  private static String value(Map<String, Long> state, String name) {
    Long v = state.get(name);
    return v == null ? "-" : v.toString();
  }

  private static String healthyLine(BreakFinding b) {
    OperationInstance he = b.healthyEarly();
    OperationInstance hl = b.healthyLate();
    String lateOp = b.orderBreak().lateOp();
    String earlyOp = b.orderBreak().early().op();
    if (he == null || hl == null) {
      return "no counterpart of " + (he == null ? earlyOp : lateOp) + " to compare with";
    }
    OrderGuarantee g = b.healthyGuarantee();
    if (g == null) {
      return lateOp + " did not end before " + earlyOp + " proceeded either";
    }
    long margin = b.healthyMarginNanos();
    return lateOp + " ended " + (margin == SpanRecord.NONE ? "" : Formats.duration(margin) + " ")
        + "before " + earlyOp + " proceeded: " + g.describe();
  }

  private void otherBreaks(BreakFinding focus) {
    List<BreakFinding> others = new ArrayList<>();
    for (BreakFinding b : a.breaks()) {
      if (b != focus) {
        others.add(b);
      }
    }
    if (others.isEmpty()) {
      return;
    }
    line("   " + (focus == null ? "breaks" : "other breaks") + " (" + others.size() + "):");
    for (int i = 0; i < others.size() && i < MAX_OTHER_BREAKS; i++) {
      BreakFinding b = others.get(i);
      line("     " + b.node() + " " + b.key() + " seq " + b.seq() + ": "
          + b.orderBreak().summary() + " [" + b.guard().kind().id() + "]");
    }
    if (others.size() > MAX_OTHER_BREAKS) {
      line("     ... " + (others.size() - MAX_OTHER_BREAKS) + " more (see --json)");
    }
  }

  private void enforcement(String indent) {
    if (a.guarantees().isEmpty()) {
      return;
    }
    OrderGuarantee first = a.guarantees().get(0);
    line(indent + "enforcement on " + first.node() + ", " + first.second().key() + ":");
    for (OrderGuarantee g : a.guarantees()) {
      line(indent + "  " + g.first().op() + " < " + g.second().op() + ": " + g.describe());
    }
  }

  private void containment() {
    List<AffectedWindow> aff = a.affected();
    line("5. CONTAINMENT " + (aff.isEmpty() ? "nothing affected"
        : aff.size() + (aff.size() == 1 ? " affected key" : " affected keys")
        + " (node, key, window on that node's clock)"));
    for (int i = 0; i < aff.size() && i < MAX_AFFECTED_ROWS; i++) {
      AffectedWindow w = aff.get(i);
      line("   " + pad(w.node(), 10) + pad(w.key(), 16)
          + (w.fromNanos() == Long.MIN_VALUE ? "window unknown (no operations recorded)"
          : Formats.iso(w.fromNanos()) + " .. " + Formats.iso(w.toNanos())));
    }
    if (aff.size() > MAX_AFFECTED_ROWS) {
      line("   ... " + (aff.size() - MAX_AFFECTED_ROWS) + " more (write them all with --affected)");
    }
    line("");
  }

  private void result() {
    BreakFinding b = a.focusBreak() != null ? a.focusBreak()
        : a.breaks().isEmpty() ? null : a.breaks().get(0);
    if (b == null && !a.unexplained().isEmpty()) {
      UnexplainedDivergence u = a.unexplained().get(0);
      line("RESULT: divergence unexplained on " + u.node() + " for " + u.key()
          + ": its value differs and no ordering break explains it (exit " + a.exitCode() + ")");
      line("        why: " + u.reason());
      line("        fix: " + u.fix());
      return;
    }
    if (b == null) {
      line("RESULT: no ordering break found (exit " + a.exitCode() + ")");
      return;
    }
    line("RESULT: ordering break on " + b.node() + " for " + b.key() + ": "
        + b.orderBreak().early().op() + " before " + b.orderBreak().lateOp()
        + ", let through by " + b.guard().kind().id() + " (exit " + a.exitCode() + ")");
    if (!a.unexplained().isEmpty()) {
      line("        also " + a.unexplained().size() + (a.unexplained().size() == 1
          ? " diverged key" : " diverged keys") + " with no break to explain it (see step 4)");
    }
  }

  /** {@code s} padded to {@code width}; a longer {@code s} keeps one space after it. */
  private static String pad(String s, int width) {
    if (s.length() >= width) {
      return s.isEmpty() ? s : s + " ";
    }
    StringBuilder sb = new StringBuilder(s);
    while (sb.length() < width) {
      sb.append(' ');
    }
    return sb.toString();
  }
}
