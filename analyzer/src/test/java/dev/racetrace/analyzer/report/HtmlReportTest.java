package dev.racetrace.analyzer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.racetrace.analyzer.testing.CommandRun;
import dev.racetrace.analyzer.testing.HeadlessChromium;
import dev.racetrace.analyzer.testing.SampleScenario;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report: one self-contained file that shows the break in a real browser. */
class HtmlReportTest {
  @TempDir
  Path dir;

  private String report(SampleScenario s, Path html) throws Exception {
    Path spans = s.writeOtlp(dir.resolve("spans-" + System.nanoTime()));
    CommandRun r = CommandRun.of(spans.toString(), "--rule", SampleScenario.RULE, "--html",
        html.toString());
    assertThat(r.exit).isNotEqualTo(1);
    return Files.readString(html);
  }

  @Test
  void isSelfContained() throws Exception {
    String html = report(SampleScenario.broken(), dir.resolve("r.html"));

    assertThat(html).startsWith("<!DOCTYPE html>");
    assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=");
    assertThat(html).doesNotContainPattern("(?i)https?://");
    assertThat(html).doesNotContainPattern("(?i)<link|@import|url\\((?!#)");
    assertThat(html).contains("<style>", "<svg");
  }

  @Test
  void showsBrokenNodeBesideHealthyNodeWithTheBreakHighlighted() throws Exception {
    String html = report(SampleScenario.broken(), dir.resolve("r.html"));

    assertThat(html).contains("first break: derive proceeded (seq 16)");
    int broken = html.indexOf("<span class=\"tag broken\">broken</span><b>node-2</b>");
    int healthy = html.indexOf("<span class=\"tag healthy\">healthy</span><b>node-1</b>");
    assertThat(broken).isPositive();
    assertThat(healthy).isGreaterThan(broken);
    // a lane per thread on each node
    assertThat(count(html, "<text class=\"lane\"[^>]*>worker-1<")).isEqualTo(4);
    assertThat(count(html, "<text class=\"lane\"[^>]*>dispatcher<")).isEqualTo(4);
    // guard checks as markers, the expired one in red
    assertThat(html).contains("condition.await Node.metadataArrived: timed out after 30s (seq 16)");
    assertThat(html).contains("timed-wait-expired");
  }

  @Test
  void healthyRunSaysNoBreak() throws Exception {
    String html = report(SampleScenario.healthy(), dir.resolve("h.html"));

    assertThat(html).contains("NO BREAK &middot; exit 0").doesNotContain("first break:");
  }

  /** Every signal-to-wait edge the enforcement list names has its happens-before arrow. */
  @Test
  void everyEnforcingEdgeTheTextNamesIsDrawn() throws Exception {
    for (SampleScenario s : List.of(SampleScenario.fixed(), SampleScenario.healthy(),
        SampleScenario.broken())) {
      Path spans = s.writeOtlp(dir.resolve("spans-" + System.nanoTime()));
      Path html = dir.resolve("e-" + System.nanoTime() + ".html");
      Path json = dir.resolve("e-" + System.nanoTime() + ".json");
      CommandRun.of(spans.toString(), "--rule", SampleScenario.RULE, "--html", html.toString(),
          "--json", json.toString());
      String page = Files.readString(html);
      String result = Files.readString(json);
      Matcher edge = Pattern.compile("([a-z_.]+) (\\S+) seq (\\d+) -> ([a-z_.]+) seq (\\d+)")
          .matcher(result);
      int edges = 0;
      while (edge.find()) {
        edges++;
        assertThat(page).as("arrow for %s", edge.group())
            .contains("happens-before: " + edge.group(1) + " " + edge.group(2) + " (seq "
                + edge.group(3) + ") -&gt; " + edge.group(4) + " (seq " + edge.group(5) + ")");
      }
      assertThat(edges).as("edges named in the result").isPositive();
    }
  }

  /** No label runs past the right edge of its swimlane picture, and the seq axis shows breaks. */
  @Test
  void labelsStayInsideThePictureAndAxisBreaksAreMarked() throws Exception {
    String html = report(SampleScenario.broken().keys("order-17", "order-18"),
        dir.resolve("l.html"));

    Matcher label = Pattern.compile("<text class=\"bar-label dark\" x=\"([\\d.]+)\"[^>]*>([^<]*)<")
        .matcher(html);
    int labels = 0;
    while (label.find()) {
      labels++;
      double end = Double.parseDouble(label.group(1)) + label.group(2).length() * 7.6;
      assertThat(end).as("right end of label %s", label.group(2)).isLessThanOrEqualTo(1280);
    }
    assertThat(labels).isGreaterThan(5);
    assertThat(html).contains("<g class=\"axis-break\"><title>seq ");
  }

  @Test
  void rendersInAHeadlessBrowserWithTheBreakVisible() throws Exception {
    HeadlessChromium browser = HeadlessChromium.find(dir);
    assumeTrue(browser != null,
        "no chromium on PATH: skipping the headless-browser check of the HTML report "
            + "(apt-get install -y chromium)");
    Path html = dir.resolve("r.html");
    report(SampleScenario.broken(), html);
    BufferedImage img = browser.screenshot(html, dir.resolve("r.png"), 1400, 1300);
    assertThat(img.getWidth()).isEqualTo(1400);
    // The break line, the red outlines and the timed-out guard are #dc2626.
    assertThat(pixelsNear(img, 0xdc, 0x26, 0x26)).isGreaterThan(500);
    // The swimlane bars of the three operations are drawn.
    assertThat(pixelsNear(img, 0x25, 0x63, 0xeb)).as("load-metadata blue").isGreaterThan(500);
    assertThat(pixelsNear(img, 0x05, 0x96, 0x69)).as("derive green").isGreaterThan(500);
  }

  /**
   * The canonical broken run (two keys, raw state) and an unexplained divergence, rendered at
   * 1400 and 1000 px; the screenshots stay in {@code target/html-report/} for a person to look
   * at.
   */
  @Test
  void screenshotsAtTwoWidthsAreKeptForReview() throws Exception {
    HeadlessChromium browser = HeadlessChromium.find(dir);
    assumeTrue(browser != null, "no chromium on PATH: skipping the screenshots of the HTML "
        + "report (apt-get install -y chromium)");
    Path out = Files.createDirectories(Path.of("target", "html-report"));
    SampleScenario s = SampleScenario.broken().keys("order-17", "order-18");
    Path spans = s.writeOtlp(dir.resolve("canonical"));
    Path raw = s.writeRawState(dir.resolve("raw.json"));
    Path canonical = out.resolve("canonical.html");
    assertThat(CommandRun.of(spans.toString(), "--rule", SampleScenario.RULE, "--raw",
        raw.toString(), "--html", canonical.toString()).exit).isEqualTo(2);
    Path healthy = SampleScenario.healthy().writeOtlp(dir.resolve("healthy"));
    Path unexplained = out.resolve("unexplained.html");
    assertThat(CommandRun.of(healthy.toString(), "--rule", SampleScenario.RULE, "--raw",
        raw.toString(), "--html", unexplained.toString()).exit).isEqualTo(3);
    for (Path html : List.of(canonical, unexplained)) {
      for (int width : new int[] {1400, 1000}) {
        String name = html.getFileName().toString().replace(".html", "-" + width + ".png");
        BufferedImage img = browser.screenshot(html, out.resolve(name), width, 2400);
        assertThat(img.getWidth()).isEqualTo(width);
      }
    }
  }

  /**
   * The report as a person sees it, at 1400 and 1000 px and in both axis modes, for a broken,
   * a fixed and a healthy run: no label runs past the right edge of its picture or the window, no
   * happens-before arrow or dashed hand-off link runs through (behind) a label, every signal-to-wait edge the result names as
   * enforcing has a drawn arrow, and the seq axis marks its breaks. Screenshots stay in
   * {@code target/html-report/}.
   */
  @Test
  void layoutHoldsInAHeadlessBrowserAtTwoWidths() throws Exception {
    HeadlessChromium browser = HeadlessChromium.find(dir);
    assumeTrue(browser != null, "no chromium on PATH: skipping the headless-browser layout check "
        + "of the HTML report (apt-get install -y chromium)");
    Path out = Files.createDirectories(Path.of("target", "html-report"));
    Map<String, SampleScenario> runs = new LinkedHashMap<>();
    runs.put("broken", SampleScenario.broken().keys("order-17", "order-18"));
    runs.put("fixed", SampleScenario.fixed().keys("order-17", "order-18"));
    runs.put("healthy", SampleScenario.healthy().keys("order-17", "order-18"));
    for (Map.Entry<String, SampleScenario> run : runs.entrySet()) {
      Path spans = run.getValue().writeOtlp(dir.resolve(run.getKey()));
      Path html = out.resolve("layout-" + run.getKey() + ".html");
      Path json = dir.resolve(run.getKey() + ".json");
      CommandRun.of(spans.toString(), "--rule", SampleScenario.RULE, "--html", html.toString(),
          "--json", json.toString());
      List<String> edges = enforcingEdges(Files.readString(json));
      // The same page opened on the wall-time axis, for the screenshots.
      Path timeAxis = out.resolve("layout-" + run.getKey() + "-time.html");
      Files.writeString(timeAxis, Files.readString(html)
          .replace("id=\"axis-order\" checked>", "id=\"axis-order\">")
          .replace("id=\"axis-time\">", "id=\"axis-time\" checked>"));
      for (int width : new int[] {1400, 1000}) {
        String name = run.getKey() + " at " + width + " px";
        browser.screenshot(html, out.resolve("layout-" + run.getKey() + "-" + width + ".png"),
            width, 2400);
        browser.screenshot(timeAxis, out.resolve("layout-" + run.getKey() + "-time-" + width
            + ".png"), width, 2400);
        List<String> found = browser.layout(html, width);
        assertThat(found).as("panels drawn, %s", name).anyMatch(l -> l.startsWith("PANEL order"))
            .anyMatch(l -> l.startsWith("PANEL time"));
        assertThat(found).as("layout defects, %s", name).noneMatch(l -> l.startsWith("CLIPPED")
            || l.startsWith("THROUGH") || l.startsWith("LINK-BEHIND") || l.startsWith("OVERFLOW"));
        for (String mode : List.of("order", "time")) {
          for (String edge : edges) {
            assertThat(found).as("%s arrow for %s, %s", mode, edge, name).anyMatch(l ->
                l.matches("ARROW " + mode + " \\d+ .*") && l.endsWith(edge)
                    && Integer.parseInt(l.split(" ")[2]) >= 10);
          }
        }
        assertThat(found).as("seq axis breaks, %s", name)
            .noneMatch(l -> l.startsWith("AXIS-BREAK") && !l.startsWith("AXIS-BREAK order visible"));
        if (!run.getKey().equals("healthy")) {
          assertThat(found).as("seq axis breaks, %s", name)
              .anyMatch(l -> l.startsWith("AXIS-BREAK order visible"));
        }
      }
      if (run.getKey().equals("fixed")) {
        assertThat(edges).as("enforcing edges of the fixed run").isNotEmpty();
      }
    }
  }

  /** The signal-to-wait edges the JSON result names, as the report's arrow titles end. */
  private static List<String> enforcingEdges(String json) {
    Matcher edge = Pattern.compile("([a-z_.]+) (\\S+) seq (\\d+) -> ([a-z_.]+) seq (\\d+)")
        .matcher(json);
    List<String> edges = new ArrayList<>();
    while (edge.find()) {
      edges.add(edge.group(1) + " " + edge.group(2) + " (seq " + edge.group(3) + ") -> "
          + edge.group(4) + " (seq " + edge.group(5) + ")");
    }
    return edges;
  }

  private static int pixelsNear(BufferedImage img, int r, int g, int b) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        if (Math.abs(((rgb >> 16) & 0xff) - r) < 24 && Math.abs(((rgb >> 8) & 0xff) - g) < 24
            && Math.abs((rgb & 0xff) - b) < 24) {
          n++;
        }
      }
    }
    return n;
  }

  private static int count(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
