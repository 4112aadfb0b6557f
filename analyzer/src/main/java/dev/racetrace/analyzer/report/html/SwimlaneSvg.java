package dev.racetrace.analyzer.report.html;

import dev.racetrace.analyzer.input.SpanRecord;
import dev.racetrace.analyzer.report.Formats;
import dev.racetrace.analyzer.timeline.HbPath;
import dev.racetrace.analyzer.timeline.OperationInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One node's swimlanes for one key as inline SVG: a lane per thread, each operation's work as
 * bars (a hand-off as a dashed link between its parts), its queue wait as a thin line from the
 * enqueue, guard checks as diamonds (red: timed out; amber: a flag read true or a latch already
 * open), signals as triangles. On the broken node the operation that proceeded too early and the
 * one it overtook are outlined in red, and a red line marks the break.
 *
 * <p>Two x axes: {@link Axis#ORDER} spaces the node's events evenly by {@code race.seq} (what
 * happened before what, readable whatever the durations); {@link Axis#TIME} uses the node's own
 * clock.
 */
final class SwimlaneSvg {

  /** How x is computed. */
  enum Axis {
    ORDER, TIME
  }

  /**
   * What to emphasise on a panel.
   *
   * @param early the operation that proceeded too early, or null
   * @param late the operation it overtook, or null
   * @param lateOp the late operation's name (for the label when it never appeared)
   */
  record Highlight(OperationInstance early, OperationInstance late, String lateOp) {
    static final Highlight NONE = new Highlight(null, null, null);
  }

  static final String BREAK_RED = "#dc2626";
  private static final int WIDTH = 1280;
  private static final int LABEL_W = 190;
  private static final int RIGHT_PAD = 40;
  private static final int LANE_H = 46;
  private static final int BAR_H = 20;
  private static final int AXIS_H = 34;
  private static final String QUEUED_LANE = "not started (queued)";

  private final List<OperationInstance> ops;
  private final Map<String, String> colors;
  private final Highlight highlight;
  private final Axis axis;
  private final List<String> lanes = new ArrayList<>();
  private final TreeSet<Long> seqs = new TreeSet<>();
  private long tMin = Long.MAX_VALUE;
  private long tMax = Long.MIN_VALUE;
  private final Map<Long, Integer> rank = new LinkedHashMap<>();
  private double step;
  private final int top;
  /** Per lane, the x ranges already taken by labels. */
  private final Map<String, List<double[]>> labels = new LinkedHashMap<>();
  /** Signal-to-wait edges the report names as enforcing an order: each gets an arrow. */
  private final List<HbPath.Step> enforcing;
  /** Labels, drawn last (with a white halo) so that no line runs through one. */
  private final StringBuilder labelLayer = new StringBuilder();
  /** The happens-before arrows to draw, as (signal, wait) pairs, planned before any label. */
  private final List<SpanRecord[]> arrows = new ArrayList<>();
  /** Points along those arrows (x, y pairs): no label is placed over one. */
  private final List<double[]> arrowPoints = new ArrayList<>();
  /**
   * The same and points along the dashed hand-off links between an operation's parts: a label
   * avoids these too where the bar leaves room.
   */
  private final List<double[]> allLines = new ArrayList<>();

  SwimlaneSvg(List<OperationInstance> ops, Map<String, String> colors, Highlight highlight,
      Axis axis) {
    this(ops, colors, highlight, axis, List.of());
  }

  /**
   * @param enforcing signal-to-wait steps of the happens-before paths the report names for this
   *     node and key; each is drawn as an arrow, its signal's thread getting a lane if needed
   */
  SwimlaneSvg(List<OperationInstance> ops, Map<String, String> colors, Highlight highlight,
      Axis axis, List<HbPath.Step> enforcing) {
    this.ops = ops;
    this.colors = colors;
    this.highlight = highlight;
    this.axis = axis;
    this.enforcing = enforcing;
    this.top = highlight.early() != null ? 44 : 18;
    collect();
  }

  private void collect() {
    Map<String, Long> laneFirst = new LinkedHashMap<>();
    boolean anyQueued = false;
    for (OperationInstance o : ops) {
      point(o.initSeq(), o.initNanos());
      if (o.pending()) {
        anyQueued = true;
        continue;
      }
      for (SpanRecord p : o.parts()) {
        point(p.seq(), p.startNanos());
        point(partEndSeq(o, p), p.endNanos());
        laneFirst.merge(p.thread(), p.seq(), Math::min);
      }
      for (SpanRecord g : o.guards()) {
        point(g.seq(), g.endNanos());
      }
      for (SpanRecord s : o.signals()) {
        point(s.seq(), s.startNanos());
      }
    }
    for (HbPath.Step e : enforcing) {
      // The signal may come from work on another key (a boot latch): give its thread a lane.
      point(e.from().seq(), e.from().startNanos());
      point(e.to().seq(), e.to().endNanos());
      if (e.from().thread() != null) {
        laneFirst.merge(e.from().thread(), e.from().seq(), Math::min);
      }
      if (e.to().thread() != null) {
        laneFirst.merge(e.to().thread(), e.to().seq(), Math::min);
      }
    }
    laneFirst.entrySet().stream().sorted(Map.Entry.comparingByValue())
        .forEach(e -> lanes.add(e.getKey()));
    if (anyQueued) {
      lanes.add(QUEUED_LANE);
    }
    int i = 0;
    for (Long s : seqs) {
      rank.put(s, i++);
    }
    double usable = WIDTH - LABEL_W - RIGHT_PAD - 40;
    step = seqs.size() <= 1 ? 0 : usable / (seqs.size() - 1);
    planArrows();
  }

  private void point(long seq, long nanos) {
    if (seq != SpanRecord.NONE) {
      seqs.add(seq);
    }
    if (nanos > 0) {
      tMin = Math.min(tMin, nanos);
      tMax = Math.max(tMax, nanos);
    }
  }

  private static long partEndSeq(OperationInstance o, SpanRecord p) {
    if (p.endSeq() != SpanRecord.NONE) {
      return p.endSeq();
    }
    List<SpanRecord> parts = o.parts();
    return p == parts.get(parts.size() - 1) && o.endSeq() != SpanRecord.NONE ? o.endSeq() : p.seq();
  }

  private double x(long seq, long nanos) {
    double left = LABEL_W + 20;
    if (axis == Axis.ORDER) {
      Integer r = rank.get(seq);
      return r == null ? left : left + r * step;
    }
    if (tMax <= tMin) {
      return left;
    }
    double usable = WIDTH - LABEL_W - RIGHT_PAD - 40;
    return left + (nanos - tMin) * usable / (double) (tMax - tMin);
  }

  private double rightEdge() {
    return WIDTH - RIGHT_PAD + 10;
  }

  private int laneY(String lane) {
    return top + lanes.indexOf(lane) * LANE_H;
  }

  int height() {
    return top + Math.max(1, lanes.size()) * LANE_H + AXIS_H;
  }

  String render() {
    StringBuilder sb = new StringBuilder();
    int h = height();
    sb.append("<svg class=\"lanes-svg\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(h)
        .append("\" width=\"100%\" role=\"img\" preserveAspectRatio=\"xMinYMin meet\">");
    sb.append("<defs><pattern id=\"hatch-").append(axis.name()).append("\" width=\"6\" "
        + "height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
        + "<rect width=\"6\" height=\"6\" fill=\"#fee2e2\"/><line x1=\"0\" y1=\"0\" x2=\"0\" "
        + "y2=\"6\" stroke=\"#fca5a5\" stroke-width=\"3\"/></pattern>"
        + "<marker id=\"arrow-").append(axis.name()).append("\" viewBox=\"0 0 10 10\" refX=\"9\" "
        + "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
        + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#0f172a\"/></marker></defs>");
    for (int i = 0; i < lanes.size(); i++) {
      int y = top + i * LANE_H;
      sb.append("<rect x=\"0\" y=\"").append(y).append("\" width=\"").append(WIDTH)
          .append("\" height=\"").append(LANE_H).append("\" fill=\"")
          .append(i % 2 == 0 ? "#f8fafc" : "#ffffff").append("\"/>");
      sb.append("<text class=\"lane\" x=\"12\" y=\"").append(y + LANE_H / 2 + 4).append("\">")
          .append(Html.esc(Formats.cut(lanes.get(i), 26))).append("<title>")
          .append(Html.esc(lanes.get(i))).append("</title></text>");
    }
    sb.append("<line x1=\"").append(LABEL_W).append("\" y1=\"").append(top - 6)
        .append("\" x2=\"").append(LABEL_W).append("\" y2=\"").append(h - AXIS_H)
        .append("\" stroke=\"#cbd5e1\"/>");
    axisTicks(sb, h);
    breakLine(sb, h);
    for (OperationInstance o : ops) {
      operation(sb, o);
    }
    syncEdges(sb);
    sb.append(labelLayer);
    sb.append("</svg>");
    return sb.toString();
  }

  private void axisTicks(StringBuilder sb, int h) {
    int y = h - AXIS_H + 14;
    sb.append("<line x1=\"").append(LABEL_W).append("\" y1=\"").append(h - AXIS_H + 2)
        .append("\" x2=\"").append(WIDTH - RIGHT_PAD + 10).append("\" y2=\"")
        .append(h - AXIS_H + 2).append("\" stroke=\"#94a3b8\"/>");
    if (axis == Axis.ORDER) {
      sb.append("<text class=\"axis\" x=\"12\" y=\"").append(y + 4).append("\">race.seq</text>");
      int every = Math.max(1, (int) Math.ceil(seqs.size() / 16.0));
      axisBreaks(sb, h - AXIS_H + 2);
      int i = 0;
      for (Long s : seqs) {
        if (i++ % every == 0) {
          double x = x(s, 0);
          sb.append("<text class=\"tick\" x=\"").append(Html.num(x)).append("\" y=\"")
              .append(y + 4).append("\" text-anchor=\"middle\">").append(s).append("</text>");
        }
      }
    } else {
      sb.append("<text class=\"axis\" x=\"12\" y=\"").append(y + 4).append("\">")
          .append(tMin == Long.MAX_VALUE ? "" : Formats.clock(tMin) + " +").append("</text>");
      if (tMax > tMin) {
        for (int k = 0; k <= 8; k++) {
          long t = tMin + (tMax - tMin) * k / 8;
          sb.append("<text class=\"tick\" x=\"").append(Html.num(x(0, t))).append("\" y=\"")
              .append(y + 4).append("\" text-anchor=\"middle\">")
              .append(t == tMin ? "0" : Formats.duration(t - tMin)).append("</text>");
        }
      }
    }
  }

  /**
   * The logical axis spaces the shown seqs evenly, so where seqs were skipped (events of other
   * keys or threads) the axis is broken: a double slash between the two ticks says so.
   */
  private void axisBreaks(StringBuilder sb, int y) {
    Long prev = null;
    for (Long s : seqs) {
      if (prev != null && s - prev > 1) {
        double x = (x(prev, 0) + x(s, 0)) / 2;
        sb.append("<g class=\"axis-break\"><title>").append("seq ").append(prev + 1)
            .append(s - prev > 2 ? ".." + (s - 1) : "").append(" not shown (other keys or "
            + "threads)</title><rect x=\"").append(Html.num(x - 5)).append("\" y=\"")
            .append(y - 5).append("\" width=\"10\" height=\"10\" fill=\"#fff\"/>")
            .append("<path d=\"M").append(Html.num(x - 5)).append(',').append(y + 5)
            .append(" L").append(Html.num(x - 1)).append(',').append(y - 5).append(" M")
            .append(Html.num(x + 1)).append(',').append(y + 5).append(" L")
            .append(Html.num(x + 5)).append(',').append(y - 5)
            .append("\" stroke=\"#64748b\" stroke-width=\"1.5\"/></g>");
      }
      prev = s;
    }
  }

  private void breakLine(StringBuilder sb, int h) {
    OperationInstance early = highlight.early();
    if (early == null || early.pending()) {
      return;
    }
    double x = x(early.proceedSeq(), early.proceedNanos());
    sb.append("<line x1=\"").append(Html.num(x)).append("\" y1=\"").append(top - 24)
        .append("\" x2=\"").append(Html.num(x)).append("\" y2=\"").append(h - AXIS_H)
        .append("\" stroke=\"").append(BREAK_RED)
        .append("\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>");
    String label = "first break: " + early.op() + " proceeded (seq " + early.proceedSeq() + ")";
    boolean rightSide = x < WIDTH - 380;
    sb.append("<text class=\"break-label\" x=\"").append(Html.num(rightSide ? x + 8 : x - 8))
        .append("\" y=\"").append(top - 12).append("\" text-anchor=\"")
        .append(rightSide ? "start" : "end").append("\">").append(Html.esc(label))
        .append("</text>");
  }

  private void operation(StringBuilder sb, OperationInstance o) {
    String color = colors.getOrDefault(o.op(), "#64748b");
    boolean isEarly = highlight.early() != null && highlight.early().id() == o.id()
        && highlight.early().node().equals(o.node());
    boolean isLate = highlight.late() != null && highlight.late().id() == o.id()
        && highlight.late().node().equals(o.node());
    String label = o.label(o.index() > 1 || ops.stream()
        .filter(x -> x.op().equals(o.op())).count() > 1);
    String tip = tooltip(o);
    if (o.pending()) {
      int y = laneY(QUEUED_LANE) + (LANE_H - BAR_H) / 2;
      double x0 = x(o.initSeq(), o.initNanos());
      double x1 = rightEdge();
      sb.append("<g class=\"op\"><title>").append(Html.esc(tip)).append("</title>");
      sb.append("<rect x=\"").append(Html.num(x0)).append("\" y=\"").append(y)
          .append("\" width=\"").append(Html.num(Math.max(6, x1 - x0))).append("\" height=\"")
          .append(BAR_H).append("\" rx=\"4\" fill=\"url(#hatch-").append(axis.name())
          .append(")\" stroke=\"").append(isLate ? BREAK_RED : color).append("\" stroke-width=\"")
          .append(isLate ? "2.5" : "1.5").append("\" stroke-dasharray=\"5 3\"/>");
      enqueueMark(sb, x0, y + BAR_H / 2.0, color);
      sb.append("</g>");
      // The queued lane is the last and holds no thread: no arrow ends at or crosses it.
      String text = label + " - still queued";
      labelLayer.append("<text class=\"bar-label dark\" x=\"")
          .append(Html.num(inside(x0 + 12, text))).append("\" y=\"").append(y + BAR_H / 2 + 4)
          .append("\">").append(Html.esc(text)).append("</text>");
      return;
    }
    sb.append("<g class=\"op\"><title>").append(Html.esc(tip)).append("</title>");
    List<SpanRecord> parts = o.parts();
    SpanRecord first = parts.get(0);
    double startX = x(first.seq(), first.startNanos());
    int firstY = laneY(first.thread()) + (LANE_H - BAR_H) / 2;
    if (o.hasInitiator()) {
      double ex = x(o.initSeq(), o.initNanos());
      if (startX - ex > 1) {
        sb.append("<line x1=\"").append(Html.num(ex)).append("\" y1=\"")
            .append(Html.num(firstY + BAR_H / 2.0)).append("\" x2=\"").append(Html.num(startX))
            .append("\" y2=\"").append(Html.num(firstY + BAR_H / 2.0)).append("\" stroke=\"")
            .append(color).append("\" stroke-width=\"2\" stroke-opacity=\"0.45\"/>");
      }
      enqueueMark(sb, ex, firstY + BAR_H / 2.0, color);
    }
    SpanRecord previous = null;
    for (SpanRecord p : parts) {
      int y = laneY(p.thread()) + (LANE_H - BAR_H) / 2;
      double x0 = x(p.seq(), p.startNanos());
      double x1 = x(partEndSeq(o, p), p.endNanos());
      if (previous != null) {
        double[] c = handOff(previous, p);
        sb.append("<path d=\"M").append(Html.num(c[0])).append(',').append(Html.num(c[1]))
            .append(" L").append(Html.num(c[2])).append(',').append(Html.num(c[3]))
            .append("\" stroke=\"").append(color).append("\" stroke-width=\"1.5\" fill=\"none\" "
            + "stroke-dasharray=\"4 3\"/>");
      }
      sb.append("<rect x=\"").append(Html.num(x0)).append("\" y=\"").append(y)
          .append("\" width=\"").append(Html.num(Math.max(8, x1 - x0))).append("\" height=\"")
          .append(BAR_H).append("\" rx=\"4\" fill=\"").append(color).append("\" fill-opacity=\"")
          .append(p.role().name().equals("PROCESS") && parts.size() > 1 ? "0.45" : "0.9")
          .append('"');
      if (isEarly) {
        sb.append(" stroke=\"").append(BREAK_RED).append("\" stroke-width=\"3\"");
      } else if (isLate) {
        sb.append(" stroke=\"").append(BREAK_RED).append("\" stroke-width=\"3\" "
            + "stroke-dasharray=\"6 3\"");
      }
      sb.append("/>");
      double[] at = placeLabel(p.thread(), x0 + 2, x1, y, label);
      if (at != null) {
        labelLayer.append("<text class=\"bar-label dark\" x=\"").append(Html.num(at[0]))
            .append("\" y=\"").append(Html.num(at[1])).append("\">").append(Html.esc(label))
            .append("</text>");
      }
      previous = p;
    }
    for (SpanRecord g : o.guards()) {
      int y = laneY(g.thread() != null && lanes.contains(g.thread()) ? g.thread()
          : o.thread()) + LANE_H / 2;
      guardMark(sb, x(g.seq(), g.endNanos()), y, g);
    }
    for (SpanRecord s : o.signals()) {
      int y = laneY(s.thread() != null && lanes.contains(s.thread()) ? s.thread()
          : o.thread()) + LANE_H / 2;
      double x = x(s.seq(), s.startNanos());
      sb.append("<path d=\"M").append(Html.num(x - 6)).append(',').append(y + 14).append(" L")
          .append(Html.num(x + 6)).append(',').append(y + 14).append(" L").append(Html.num(x))
          .append(',').append(y + 3).append(" Z\" fill=\"#0f172a\"><title>")
          .append(Html.esc(s.event() + " " + s.resource() + " (seq " + s.seq() + ")"))
          .append("</title></path>");
    }
    sb.append("</g>");
  }

  /**
   * Chooses the recorded happens-before edges to draw, before any label is placed: the
   * enforcing steps the report names, and a signal to the wait on the same object that it
   * released (the wait did not time out).
   */
  private void planArrows() {
    java.util.Set<String> drawn = new java.util.HashSet<>();
    for (HbPath.Step e : enforcing) {
      if (e.edge() == HbPath.Edge.SIGNAL && lanes.contains(e.from().thread())
          && lanes.contains(e.to().thread()) && drawn.add(e.from().seq() + ">" + e.to().seq())) {
        arrows.add(new SpanRecord[] {e.from(), e.to()});
      }
    }
    List<SpanRecord> signals = new ArrayList<>();
    for (OperationInstance o : ops) {
      signals.addAll(o.signals());
    }
    for (OperationInstance o : ops) {
      for (SpanRecord w : o.guards()) {
        if (w.timedOut() || w.resource() == null || !w.role().name().equals("GUARD_WAIT")
            || w.trivial()) {
          continue;
        }
        SpanRecord from = null;
        for (SpanRecord sig : signals) {
          if (sig.resource().equals(w.resource()) && sig.seq() < w.seq()
              && (from == null || sig.seq() > from.seq())) {
            from = sig;
          }
        }
        if (from != null && lanes.contains(from.thread()) && lanes.contains(w.thread())
            && drawn.add(from.seq() + ">" + w.seq())) {
          arrows.add(new SpanRecord[] {from, w});
        }
      }
    }
    for (OperationInstance o : ops) {
      if (o.pending()) {
        continue;
      }
      SpanRecord previous = null;
      for (SpanRecord p : o.parts()) {
        if (previous != null) {
          double[] c = handOff(previous, p);
          for (int i = 0; i <= 64; i++) {
            double t = i / 64.0;
            allLines.add(new double[] {c[0] + t * (c[2] - c[0]), c[1] + t * (c[3] - c[1])});
          }
        }
        previous = p;
      }
    }
    for (SpanRecord[] a : arrows) {
      double[] c = curve(a[0], a[1]);
      for (int i = 0; i <= 64; i++) {
        double t = i / 64.0;
        double u = 1 - t;
        arrowPoints.add(new double[] {
            u * u * u * c[0] + 3 * u * u * t * c[2] + 3 * u * t * t * c[4] + t * t * t * c[6],
            u * u * u * c[1] + 3 * u * u * t * c[3] + 3 * u * t * t * c[5] + t * t * t * c[7]});
      }
    }
    allLines.addAll(arrowPoints);
  }

  private void syncEdges(StringBuilder sb) {
    for (SpanRecord[] a : arrows) {
      arrow(sb, a[0], a[1]);
    }
  }

  /** The dashed link from one part of an operation to the next: start and end (x, y each). */
  private double[] handOff(SpanRecord previous, SpanRecord p) {
    int py = laneY(previous.thread()) + (LANE_H - BAR_H) / 2;
    double px = x(previous.seq(), previous.startNanos()) + 4;
    return new double[] {px, py + BAR_H, x(p.seq(), p.startNanos()),
        laneY(p.thread()) + (LANE_H - BAR_H) / 2};
  }

  /** The arrow's cubic Bezier: start, two control points, end (x, y each). */
  private double[] curve(SpanRecord from, SpanRecord w) {
    double x0 = x(from.seq(), from.startNanos());
    double y0 = laneY(from.thread()) + LANE_H / 2.0 + 6;
    double x1 = x(w.seq(), w.endNanos());
    double y1 = laneY(w.thread()) + LANE_H / 2.0 + (y0 < laneY(w.thread()) ? -10 : 10);
    double mid = (x0 + x1) / 2;
    return new double[] {x0, y0, mid, y0, mid, y1, x1, y1};
  }

  /** A dotted happens-before arrow from a signal to the wait it released. */
  private void arrow(StringBuilder sb, SpanRecord from, SpanRecord w) {
    double[] c = curve(from, w);
    sb.append("<path d=\"M").append(Html.num(c[0])).append(',').append(Html.num(c[1]))
        .append(" C").append(Html.num(c[2])).append(',').append(Html.num(c[3])).append(' ')
        .append(Html.num(c[4])).append(',').append(Html.num(c[5])).append(' ')
        .append(Html.num(c[6])).append(',').append(Html.num(c[7]))
        .append("\" fill=\"none\" stroke=\"#0f172a\" stroke-width=\"1.5\" "
            + "stroke-dasharray=\"2 3\" marker-end=\"url(#arrow-").append(axis.name())
        .append(")\"><title>").append(Html.esc("happens-before: " + from.event() + " "
            + from.resource() + " (seq " + from.seq() + ") -> " + w.event() + " (seq "
            + w.seq() + ")")).append("</title></path>");
  }

  /** A generous width of {@code text} in the 12 px bold label font. */
  static double textWidth(String text) {
    return text.length() * 7.6;
  }

  /** {@code x}, moved left as far as needed for {@code text} to end inside the picture. */
  static double inside(double x, String text) {
    return Math.max(4, Math.min(x, WIDTH - 6 - textWidth(text)));
  }

  /**
   * Where a bar's label goes (x, baseline y), or null when it has no spot: above the bar from its
   * start, else the first spot further along the bar, above or below it, that no arrow or hand-off
   * link crosses, else such a spot near the bar in its lane. No line ever passes behind a label's
   * halo: a bar with no such spot goes unlabelled (its tooltip and its operation's other parts
   * still name it). Takes the room it returns.
   */
  private double[] placeLabel(String lane, double x, double barEnd, int barTop, String text) {
    double w = textWidth(text);
    double start = inside(x, text);
    if (!labelFree(lane, start - 2, start + w + 4)) {
      return null;
    }
    double[] at = clearSpot(lane, start, Math.max(start, barEnd - 12), barTop, text);
    if (at == null) {
      at = clearSpot(lane, Math.max(LABEL_W + 4, start - NEAR), Math.min(WIDTH, barEnd + NEAR), barTop,
          text);
    }
    return at;
  }

  /** How far from its bar a label may go when the bar itself leaves no room. */
  private static final double NEAR = 160;

  /**
   * The first spot from {@code from} to {@code to}, above the bar or below it, where the label
   * crosses no line and no other label; takes its room.
   */
  private double[] clearSpot(String lane, double from, double to, int barTop, String text) {
    double w = textWidth(text);
    double stride = Math.max(6, (to - from) / 40);
    for (int row = 0; row < 2; row++) {
      double y = row == 0 ? barTop - 4 : barTop + BAR_H + 12;
      String band = row == 0 ? lane : lane + "/below";
      List<double[]> near = new ArrayList<>(); // only points at this height can be in the way
      for (double[] p : allLines) {
        if (p[1] >= y - 14 && p[1] <= y + 5) {
          near.add(p);
        }
      }
      for (double lx = from; lx <= to; lx += stride) {
        double cx = inside(lx, text);
        if (clear(near, cx - 3, cx + w + 3, y - 14, y + 5) && labelFits(band, cx - 2, cx + w + 4)) {
          return new double[] {cx, y};
        }
        if (cx < lx) {
          break; // held back by the right edge: further along is the same spot
        }
      }
    }
    return null;
  }

  /** Whether no point of {@code obstacles} is inside the box. */
  private static boolean clear(List<double[]> obstacles, double left, double right, double top,
      double bottom) {
    for (double[] p : obstacles) {
      if (p[0] >= left && p[0] <= right && p[1] >= top && p[1] <= bottom) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code [from, to]} on {@code lane} is free of labels. */
  private boolean labelFree(String lane, double from, double to) {
    for (double[] r : labels.getOrDefault(lane, List.of())) {
      if (from < r[1] && to > r[0]) {
        return false;
      }
    }
    return true;
  }

  /** Whether a label fits in {@code [from, to]} on {@code lane}; if so, takes the range. */
  private boolean labelFits(String lane, double from, double to) {
    if (!labelFree(lane, from, to)) {
      return false;
    }
    labels.computeIfAbsent(lane, l -> new ArrayList<>()).add(new double[] {from, to});
    return true;
  }

  private static void enqueueMark(StringBuilder sb, double x, double y, String color) {
    sb.append("<circle cx=\"").append(Html.num(x)).append("\" cy=\"").append(Html.num(y))
        .append("\" r=\"4.5\" fill=\"#fff\" stroke=\"").append(color)
        .append("\" stroke-width=\"2\"/>");
  }

  private static void guardMark(StringBuilder sb, double x, int y, SpanRecord g) {
    String fill = g.timedOut() ? BREAK_RED
        : g.trivial() || "true".equalsIgnoreCase(g.valueSeen()) ? "#f59e0b" : "#475569";
    sb.append("<path class=\"guard\" d=\"M").append(Html.num(x)).append(',').append(y - 9)
        .append(" L").append(Html.num(x + 7)).append(',').append(y).append(" L")
        .append(Html.num(x)).append(',').append(y + 9).append(" L").append(Html.num(x - 7))
        .append(',').append(y).append(" Z\" fill=\"").append(fill)
        .append("\" stroke=\"#fff\" stroke-width=\"1.5\"><title>")
        .append(Html.esc(Formats.guard(g) + " (seq " + g.seq() + ")")).append("</title></path>");
  }

  private static String tooltip(OperationInstance o) {
    StringBuilder sb = new StringBuilder(o.op() + " #" + o.index() + " on " + o.key());
    if (o.hasInitiator()) {
      sb.append("\nenqueued ").append(Formats.clock(o.initNanos())).append(" seq ")
          .append(o.initSeq());
    }
    if (o.pending()) {
      return sb.append("\nnever started (still queued)").toString();
    }
    sb.append("\nstarted ").append(Formats.clock(o.startNanos())).append(" seq ")
        .append(o.startSeq());
    sb.append("\nproceeded ").append(Formats.clock(o.proceedNanos())).append(" seq ")
        .append(o.proceedSeq());
    if (o.ended()) {
      sb.append("\nended ").append(Formats.clock(o.endNanos())).append(" seq ").append(o.endSeq());
    }
    sb.append("\nqueue wait ").append(Formats.duration(o.queueWaitNs()));
    sb.append("\nstate ").append(Formats.state(o.stateAtProceed()));
    return sb.toString();
  }
}
