package dev.racetrace.analyzer.report.html;

import dev.racetrace.analyzer.AffectedWindow;
import dev.racetrace.analyzer.Analysis;
import dev.racetrace.analyzer.BreakFinding;
import dev.racetrace.analyzer.DivergenceSource;
import dev.racetrace.analyzer.Focus;
import dev.racetrace.analyzer.KeyDivergence;
import dev.racetrace.analyzer.OrderLabels;
import dev.racetrace.analyzer.Outcome;
import dev.racetrace.analyzer.UnexplainedDivergence;
import dev.racetrace.analyzer.Verdict;
import dev.racetrace.analyzer.input.SpanRecord;
import dev.racetrace.analyzer.Excerpt;
import dev.racetrace.analyzer.report.Formats;
import dev.racetrace.analyzer.rules.GuardFinding;
import dev.racetrace.analyzer.rules.OrderBreak;
import dev.racetrace.analyzer.rules.OrderGuarantee;
import dev.racetrace.analyzer.timeline.HbPath;
import dev.racetrace.analyzer.timeline.NodeTimeline;
import dev.racetrace.analyzer.timeline.OperationInstance;
import dev.racetrace.schema.OrderingRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --html FILE}: one self-contained page (inline CSS and SVG, no script, nothing fetched):
 * the verdict, the divergence table, the broken node's swimlanes for the focus key above the
 * healthy node's, the first break with its guard and the state on both nodes, and the affected
 * keys. A switch (pure CSS) flips the swimlanes between logical order and wall time.
 */
public final class HtmlReport {
  private static final String[] PALETTE = {
      "#2563eb", "#059669", "#7c3aed", "#d97706", "#db2777", "#0891b2", "#65a30d", "#9333ea"};
  private static final int MAX_DIVERGENT_ROWS = 50;
  private static final int MAX_OTHER_PANELS = 10;
  private static final int MAX_LANE_OPS = 40;

  private final Analysis a;
  private final StringBuilder sb = new StringBuilder(64 * 1024);
  private final Map<String, String> colors = new LinkedHashMap<>();

  /** @param analysis the result to render */
  public HtmlReport(Analysis analysis) {
    this.a = analysis;
  }

  /** The page. */
  public String render() {
    sb.setLength(0);
    assignColors();
    PageTemplate.head(sb, title()); // report.html and report.css, resources beside this class
    header();
    sb.append("<main>");
    verdictCard();
    divergence();
    narrow();
    timelines();
    breakDetails();
    containment();
    otherBreaks();
    sb.append("</main>");
    PageTemplate.tail(sb);
    return sb.toString();
  }

  private String title() {
    BreakFinding b = a.focusBreak();
    if (b == null && a.outcome() == Outcome.DIVERGENCE_UNEXPLAINED) {
      UnexplainedDivergence u = a.unexplained().get(0);
      return "racetrace: divergence unexplained on " + u.node() + " / " + u.key();
    }
    return b == null ? "racetrace: no ordering break"
        : "racetrace: ordering break on " + b.node() + " / " + b.key();
  }

  private void assignColors() {
    Set<String> ops = new LinkedHashSet<>();
    for (OrderingRule r : a.rules()) {
      ops.addAll(r.ops());
    }
    for (NodeTimeline t : a.timelines().values()) {
      if (a.focus() != null) {
        t.operations(a.focus().key()).forEach(o -> ops.add(o.op()));
      }
    }
    for (BreakFinding b : a.breaks()) {
      a.timelines().get(b.node()).operations(b.key()).forEach(o -> ops.add(o.op()));
    }
    int i = 0;
    for (String op : ops) {
      colors.put(op, PALETTE[i++ % PALETTE.length]);
    }
  }

  private void header() {
    sb.append("<header><div class=\"brand\">racetrace</div><div class=\"hdr-main\"><h1>")
        .append(Html.esc(title().substring("racetrace: ".length()))).append("</h1><div class=\"sub\">")
        .append(a.nodes().size()).append(" nodes (").append(Html.esc(String.join(", ", a.nodes())))
        .append(") &middot; ").append(a.spansRead()).append(" spans &middot; rules: ");
    if (a.rules().isEmpty()) {
      sb.append("none");
    } else {
      List<String> t = new ArrayList<>();
      a.rules().forEach(r -> t.add(r.text()));
      sb.append(Html.esc(String.join("; ", t)));
    }
    String badge;
    String text;
    switch (a.outcome()) {
      case ORDERING_BREAK:
        badge = "bad";
        text = "BREAK FOUND";
        break;
      case DIVERGENCE_UNEXPLAINED:
        badge = "unexplained";
        text = "DIVERGENCE UNEXPLAINED";
        break;
      default:
        badge = "good";
        text = "NO BREAK";
    }
    sb.append("</div></div><div class=\"badge ").append(badge).append("\">").append(text)
        .append(" &middot; exit ").append(a.exitCode()).append("</div></header>");
  }

  private void verdictCard() {
    for (String w : a.warnings()) {
      sb.append("<div class=\"warn\">&#9888; ").append(Html.esc(w)).append("</div>");
    }
    unexplainedCard();
    BreakFinding b = a.focusBreak();
    if (b == null) {
      return;
    }
    OrderBreak ob = b.orderBreak();
    sb.append("<section class=\"card verdict\"><p class=\"lead\"><b>").append(Html.esc(b.node()))
        .append("</b>, key <b>").append(Html.esc(b.key())).append("</b>: <b>")
        .append(Html.esc(ob.early().op())).append("</b> proceeded before <b>")
        .append(Html.esc(ob.lateOp())).append("</b> ").append(ob.late() == null ? "appeared"
            : ob.late().pending() ? "was even dequeued" : "ended")
        .append(", let through by <span class=\"pill red\">").append(b.guard().kind().id())
        .append("</span></p><div class=\"orders\"><div><span class=\"k\">expected</span>");
    chips(b.expectedOrder(), false);
    sb.append("<span class=\"src\">").append(ob.reason() == OrderBreak.Reason.RULE ? "rule"
        : "order on " + Html.esc(b.healthyNode())).append("</span></div><div><span class=\"k\">"
        + "observed</span>");
    chips(b.observedOrder(), true);
    sb.append("<span class=\"src\">").append(Html.esc(b.node())).append("</span></div></div>")
        .append("</section>");
  }

  /** Diverged keys no break explains: why, and the most likely fix. */
  private void unexplainedCard() {
    if (a.unexplained().isEmpty()) {
      return;
    }
    sb.append("<section class=\"card verdict unexplained\"><p class=\"lead\">")
        .append(a.breaks().isEmpty() ? "Divergence unexplained: no ordering break found"
            : "Also diverged, with no break to explain it")
        .append("</p><ul class=\"unexplained\">");
    for (int i = 0; i < a.unexplained().size() && i < MAX_DIVERGENT_ROWS; i++) {
      UnexplainedDivergence u = a.unexplained().get(i);
      sb.append("<li><b>").append(Html.esc(u.node())).append("</b>, key <b>")
          .append(Html.esc(u.key())).append("</b> <span class=\"pill amber\">")
          .append(Html.esc(u.cause())).append("</span>: ").append(Html.esc(u.reason()))
          .append("<br><b>fix:</b> ").append(Html.esc(u.fix()))
          .append("</li>");
    }
    if (a.unexplained().size() > MAX_DIVERGENT_ROWS) {
      sb.append("<li>... ").append(a.unexplained().size() - MAX_DIVERGENT_ROWS)
          .append(" more (see --json)</li>");
    }
    sb.append("</ul></section>");
  }

  private void chips(List<String> order, boolean observed) {
    for (int i = 0; i < order.size(); i++) {
      String label = order.get(i);
      String op = label.replaceAll(" (#\\d+|\\(queued\\)|\\(not finished\\)).*$", "")
          .replaceAll(" #\\d+$", "");
      String color = colors.getOrDefault(op, "#64748b");
      if (i > 0) {
        sb.append("<span class=\"lt\">&lt;</span>");
      }
      sb.append("<span class=\"chip").append(observed && label.contains("(") ? " queued" : "")
          .append("\" style=\"border-color:").append(color).append(";color:").append(color)
          .append("\">").append(Html.esc(label)).append("</span>");
    }
  }

  private void divergence() {
    sb.append("<section class=\"card\"><h2><span class=\"n\">1</span>Divergence</h2><p class=\"muted\">");
    if (a.divergenceSource() == DivergenceSource.RAW_STATE) {
      sb.append("From node-local raw reads.");
    } else if (a.divergenceSource() == DivergenceSource.LAST_PUBLISH) {
      sb.append("No raw state given: each node's last publish per key, shown as the operations it"
          + " was derived from.");
    } else {
      sb.append("No raw state and no publish: each node's order of operations per key.");
    }
    List<KeyDivergence> rows = new ArrayList<>();
    int agree = 0;
    for (KeyDivergence d : a.divergence()) {
      if (d.verdict() == Verdict.AGREE) {
        agree++;
      } else if (rows.size() < MAX_DIVERGENT_ROWS) {
        rows.add(d);
      }
    }
    if (agree > 0 || rows.isEmpty()) {
      // Only the nodes whose values were compared (raw reads loaded), never all span nodes.
      List<String> compared = a.divergence().isEmpty() ? a.nodes()
          : new ArrayList<>(a.divergence().get(0).values().keySet());
      sb.append(' ').append(agree).append(agree == 1 ? " key agrees" : " keys agree")
          .append(" across ").append(Html.esc(String.join(", ", compared))).append(rows.isEmpty() ? "" : "; the others:");
    }
    sb.append("</p>");
    if (!rows.isEmpty()) {
      List<String> nodes = new ArrayList<>(rows.get(0).values().keySet());
      sb.append("<table><thead><tr><th>key</th>");
      nodes.forEach(n -> sb.append("<th>").append(Html.esc(n)).append("</th>"));
      sb.append("<th>verdict</th></tr></thead><tbody>");
      for (KeyDivergence d : rows) {
        boolean focus = a.focus() != null && d.key().equals(a.focus().key());
        sb.append("<tr").append(focus ? " class=\"focus\"" : "").append("><td class=\"mono\">")
            .append(Html.esc(d.key())).append("</td>");
        for (String n : nodes) {
          String v = d.values().get(n);
          Long version = d.versions().get(n);
          boolean odd = n.equals(d.oddNode());
          sb.append("<td class=\"mono").append(odd ? " odd" : "").append("\">")
              .append(v == null ? "<i>none</i>" : Html.esc(Formats.cut(v, 48)))
              .append(version == null ? "" : " <span class=\"muted\">@" + version + "</span>")
              .append("</td>");
        }
        String pill = d.verdict() == Verdict.ONE_DIFFERS ? "red"
            : d.verdict() == Verdict.MISSING ? "amber" : "violet";
        sb.append("<td><span class=\"pill ").append(pill).append("\">").append(d.verdict().id())
            .append("</span>").append(d.oddNode() == null ? ""
                : " <b>" + Html.esc(d.oddNode()) + "</b>").append("</td></tr>");
      }
      sb.append("</tbody></table>");
    }
    sb.append("</section>");
  }

  private void narrow() {
    Focus f = a.focus();
    sb.append("<section class=\"card\"><h2><span class=\"n\">2</span>Narrow</h2>");
    if (f == null) {
      sb.append("<p>Nothing stands out: no key has a single odd node and no rule is broken.</p>"
          + "</section>");
      return;
    }
    sb.append("<dl class=\"facts\"><dt>node</dt><dd><b>").append(Html.esc(f.node()))
        .append("</b> <span class=\"muted\">").append(Html.esc(f.why())).append("</span></dd>")
        .append("<dt>key</dt><dd class=\"mono\">").append(Html.esc(f.key())).append("</dd>")
        .append("<dt>window</dt><dd class=\"mono\">")
        .append(f.hasWindow() ? Html.esc(Formats.iso(f.fromNanos()) + " .. "
            + Formats.iso(f.toNanos())) + " <span class=\"muted\">(" + Html.esc(f.node())
            + " clock)</span>" : "no operations recorded")
        .append("</dd><dt>compare with</dt><dd>")
        .append(f.healthyNode() == null ? "no other node" : "<b>" + Html.esc(f.healthyNode())
            + "</b> (healthy)").append("</dd></dl></section>");
  }

  private void timelines() {
    Focus f = a.focus();
    if (f == null && !a.guarantees().isEmpty()) {
      // Nothing to narrow to, but the enforcement named in step 4 is drawn on its key.
      OrderGuarantee g = a.guarantees().get(0);
      String key = g.second().key();
      sb.append("<section class=\"card\"><h2><span class=\"n\">3</span>Timelines: <span "
          + "class=\"mono\">").append(Html.esc(key)).append("</span></h2><p class=\"muted\">"
          + "Nothing stands out; shown: the key whose enforcement step 4 reports. Rerun with "
          + "<span class=\"mono\">--node</span> and <span class=\"mono\">--key</span> to see "
          + "another.</p>");
      axisSwitch();
      panels(g.node(), key, null, null);
      legend();
      sb.append("</section>");
      return;
    }
    if (f == null) {
      sb.append("<section class=\"card\"><h2><span class=\"n\">3</span>Timelines</h2><p>"
          + "Nothing to narrow to: rerun with <span class=\"mono\">--node</span> and <span "
          + "class=\"mono\">--key</span> to see one key's swimlanes.</p></section>");
      return;
    }
    sb.append("<section class=\"card\"><h2><span class=\"n\">3</span>Timelines: <span "
        + "class=\"mono\">").append(Html.esc(f.key())).append("</span></h2>");
    axisSwitch();
    panels(f.node(), f.key(), f.healthyNode(), a.focusBreak());
    legend();
    sb.append("</section>");
  }

  private void axisSwitch() {
    sb.append("<div class=\"switch\"><label for=\"axis-order\" class=\"sw-order\">logical order "
        + "(race.seq)</label><label for=\"axis-time\" class=\"sw-time\">wall time (each node's "
        + "clock)</label></div>");
  }

  private void panels(String node, String key, String healthyNode, BreakFinding b) {
    SwimlaneSvg.Highlight h = b == null ? SwimlaneSvg.Highlight.NONE
        : new SwimlaneSvg.Highlight(b.orderBreak().early(), b.orderBreak().late(),
            b.orderBreak().lateOp());
    NodeTimeline t = a.timelines().get(node);
    List<OperationInstance> all = t == null ? List.of() : t.operations(key);
    List<OperationInstance> shown = Excerpt.around(all, b == null ? null : b.orderBreak(),
        MAX_LANE_OPS);
    panel(node, b != null ? "broken" : "focus", h, shown, all.size());
    if (healthyNode != null) {
      NodeTimeline ht = a.timelines().get(healthyNode);
      List<OperationInstance> hall = ht == null ? List.of() : ht.operations(key);
      panel(healthyNode, "healthy", SwimlaneSvg.Highlight.NONE,
          Excerpt.counterparts(shown, hall, MAX_LANE_OPS), hall.size());
    }
  }

  private void panel(String node, String role, SwimlaneSvg.Highlight h,
      List<OperationInstance> ops, int total) {
    sb.append("<div class=\"panel ").append(role).append("\"><div class=\"panel-h\"><span "
        + "class=\"tag ").append(role).append("\">").append(role).append("</span><b>")
        .append(Html.esc(node)).append("</b><span class=\"muted\">order: ")
        .append(Html.esc(Formats.cut(String.join(" < ", OrderLabels.of(ops, null)), 160)))
        .append(ops.size() < total ? " (" + ops.size() + " of " + total + " operations, around "
            + "the break)" : "").append("</span></div>");
    if (ops.isEmpty()) {
      sb.append("<p class=\"muted\">no operations on this key</p></div>");
      return;
    }
    List<HbPath.Step> enforcing = enforcingSteps(node);
    sb.append("<div class=\"mode-order\">")
        .append(new SwimlaneSvg(ops, colors, h, SwimlaneSvg.Axis.ORDER, enforcing).render())
        .append("</div><div class=\"mode-time\">")
        .append(new SwimlaneSvg(ops, colors, h, SwimlaneSvg.Axis.TIME, enforcing).render())
        .append("</div></div>");
  }

  /**
   * The signal-to-wait edges of every happens-before path the report names on {@code node} (the
   * enforcement list and the healthy node's order at the focus break), so each gets an arrow.
   */
  private List<HbPath.Step> enforcingSteps(String node) {
    List<OrderGuarantee> named = new ArrayList<>(a.guarantees());
    if (a.focusBreak() != null && a.focusBreak().healthyGuarantee() != null) {
      named.add(a.focusBreak().healthyGuarantee());
    }
    List<HbPath.Step> steps = new ArrayList<>();
    for (OrderGuarantee g : named) {
      if (g.path() != null && g.node().equals(node)) {
        for (HbPath.Step st : g.path().steps()) {
          if (st.edge() == HbPath.Edge.SIGNAL) {
            steps.add(st);
          }
        }
      }
    }
    return steps;
  }

  private void legend() {
    sb.append("<div class=\"legend\">");
    for (Map.Entry<String, String> e : colors.entrySet()) {
      sb.append("<span><i class=\"sw\" style=\"background:").append(e.getValue()).append("\"></i>")
          .append(Html.esc(e.getKey())).append("</span>");
    }
    sb.append("<span><i class=\"dot\"></i>enqueued &rarr; thin line = queue wait</span>")
        .append("<span><i class=\"dia\" style=\"background:#475569\"></i>guard passed</span>")
        .append("<span><i class=\"dia\" style=\"background:#f59e0b\"></i>flag read true / latch "
            + "already open</span>")
        .append("<span><i class=\"dia\" style=\"background:#dc2626\"></i>timed wait expired</span>")
        .append("<span><i class=\"tri\"></i>signal</span>")
        .append("<span><i class=\"hb\"></i>happens-before (signal &rarr; wait)</span>")
        .append("<span><i class=\"axbr\">//</i>seq axis break (seqs of other keys or threads "
            + "not shown)</span>")
        .append("<span><i class=\"hatch\"></i>still queued</span>")
        .append("<span><i class=\"early\"></i>proceeded too early</span>")
        .append("<span><i class=\"late\"></i>overtaken</span>")
        .append("<span><i class=\"redline\"></i>first break</span></div>");
  }

  private void breakDetails() {
    BreakFinding b = a.focusBreak();
    sb.append("<section class=\"card\"><h2><span class=\"n\">4</span>First ordering break</h2>");
    if (b == null) {
      sb.append("<p>").append(!a.breaks().isEmpty()
          ? "None at the focus; see the other breaks below."
          : a.unexplained().isEmpty() ? "None found."
          : "None found, but a node diverged: the divergence is unexplained (why and what to fix:"
              + " at the top).").append("</p>");
      enforcement();
      sb.append("</section>");
      return;
    }
    OrderBreak ob = b.orderBreak();
    OperationInstance early = ob.early();
    GuardFinding g = b.guard();
    sb.append("<dl class=\"facts\"><dt>where</dt><dd><b>").append(Html.esc(b.node()))
        .append("</b>, seq <b>").append(b.seq()).append("</b> (")
        .append(Formats.clock(early.proceedNanos())).append(")</dd><dt>what</dt><dd>")
        .append(Html.esc(ob.summary())).append(b.gapNanos() == SpanRecord.NONE ? ""
            : "; " + (b.lateStillPending() ? "still not done " : "it ended ")
            + Html.esc(Formats.duration(b.gapNanos())) + " later")
        .append("</dd><dt>guard</dt><dd><span class=\"pill red\">").append(g.kind().id())
        .append("</span> ").append(g.guard() == null ? "no guard at all"
            : Html.esc(Formats.guard(g.guard())) + (g.site() == null ? ""
            : " <span class=\"mono muted\">at " + Html.esc(g.site()) + "</span>"))
        .append("<div class=\"muted\">").append(Html.esc(g.kind().meaning())).append("</div>");
    if (g.allGuards().size() > 1) {
      sb.append("<div class=\"muted\">all guards passed: ");
      List<String> all = new ArrayList<>();
      g.allGuards().forEach(x -> all.add(Formats.guard(x)));
      sb.append(Html.esc(String.join("; ", all))).append("</div>");
    }
    sb.append("</dd></dl>");
    Set<String> names = new LinkedHashSet<>(b.stateSeen().keySet());
    names.addAll(b.healthyStateSeen().keySet());
    if (!names.isEmpty()) {
      sb.append("<table class=\"state\"><thead><tr><th>visible state when ")
          .append(Html.esc(early.op())).append(" proceeded</th><th>").append(Html.esc(b.node()))
          .append(" (broken)</th>");
      if (b.healthyNode() != null) {
        sb.append("<th>").append(Html.esc(b.healthyNode())).append(" (healthy)</th>");
      }
      sb.append("</tr></thead><tbody>");
      for (String name : names) {
        Long bv = b.stateSeen().get(name);
        Long hv = b.healthyStateSeen().get(name);
        boolean differs = bv == null || !bv.equals(hv);
        sb.append("<tr><td class=\"mono\">").append(Html.esc(name)).append("</td><td class=\"mono")
            .append(differs && b.healthyNode() != null ? " odd" : "").append("\">")
            .append(bv == null ? "-" : bv).append("</td>");
        if (b.healthyNode() != null) {
          sb.append("<td class=\"mono\">").append(hv == null ? "-" : hv).append("</td>");
        }
        sb.append("</tr>");
      }
      sb.append("</tbody></table>");
    }
    enforcement();
    sb.append("</section>");
  }

  private void enforcement() {
    if (a.guarantees().isEmpty()) {
      return;
    }
    OrderGuarantee first = a.guarantees().get(0);
    sb.append("<p class=\"muted\">Enforcement on ").append(Html.esc(first.node())).append(", ")
        .append(Html.esc(first.second().key())).append(":</p><ul class=\"enf\">");
    for (OrderGuarantee g : a.guarantees()) {
      sb.append("<li><span class=\"pill ").append(g.guaranteed() ? "green" : "amber")
          .append("\">").append(g.guaranteed() ? "guaranteed"
          : g.timedWait() != null ? "timing: timed wait" : "timing only").append("</span> ")
          .append(Html.esc(g.first().op() + " < " + g.second().op())).append(": ")
          .append(Html.esc(g.describe())).append("</li>");
    }
    sb.append("</ul>");
  }

  private void containment() {
    List<AffectedWindow> aff = a.affected();
    sb.append("<section class=\"card\"><h2><span class=\"n\">5</span>Containment</h2>");
    if (aff.isEmpty()) {
      sb.append("<p>Nothing affected.</p></section>");
      return;
    }
    sb.append("<p class=\"muted\">").append(aff.size()).append(aff.size() == 1 ? " key" : " keys")
        .append(" to repair; windows on each node's own clock.</p><table><thead><tr><th>node"
            + "</th><th>key</th><th>from</th><th>to</th><th>why</th></tr></thead><tbody>");
    for (int i = 0; i < aff.size() && i < 200; i++) {
      AffectedWindow w = aff.get(i);
      sb.append("<tr><td>").append(Html.esc(w.node())).append("</td><td class=\"mono\">")
          .append(Html.esc(w.key())).append("</td><td class=\"mono\">")
          .append(Html.esc(Formats.iso(w.fromNanos()))).append("</td><td class=\"mono\">")
          .append(Html.esc(Formats.iso(w.toNanos()))).append("</td><td>")
          .append(Html.esc(w.reason())).append("</td></tr>");
    }
    sb.append("</tbody></table>");
    if (aff.size() > 200) {
      sb.append("<p class=\"muted\">... ").append(aff.size() - 200)
          .append(" more: write them all with --affected.</p>");
    }
    sb.append("</section>");
  }

  private void otherBreaks() {
    List<BreakFinding> others = new ArrayList<>();
    for (BreakFinding b : a.breaks()) {
      if (b != a.focusBreak()) {
        others.add(b);
      }
    }
    if (others.isEmpty()) {
      return;
    }
    sb.append("<section class=\"card\"><h2>Other breaks (").append(others.size()).append(")</h2>");
    for (int i = 0; i < others.size(); i++) {
      BreakFinding b = others.get(i);
      sb.append("<details><summary><b>").append(Html.esc(b.node())).append("</b> <span "
          + "class=\"mono\">").append(Html.esc(b.key())).append("</span> seq ").append(b.seq())
          .append(": ").append(Html.esc(b.orderBreak().summary())).append(" <span class=\"pill "
          + "red\">").append(b.guard().kind().id()).append("</span></summary>");
      if (i < MAX_OTHER_PANELS) {
        panels(b.node(), b.key(), b.healthyNode(), b);
      } else {
        sb.append("<p class=\"muted\">rerun with --node ").append(Html.esc(b.node()))
            .append(" --key ").append(Html.esc(b.key())).append(" to see its timeline</p>");
      }
      sb.append("</details>");
    }
    sb.append("</section>");
  }
}
