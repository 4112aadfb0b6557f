package dev.racetrace.analyzer.testing;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * A headless Chromium for checks of the HTML report as a person sees it: screenshots, and a
 * layout script ({@code browser/layout-check.js}) whose findings come back through
 * {@code --dump-dom}.
 */
public final class HeadlessChromium {
  private final String binary;
  private final Path work;

  private HeadlessChromium(String binary, Path work) {
    this.binary = binary;
    this.work = work;
  }

  /** The first of chromium, chromium-browser, google-chrome on PATH, or null. */
  public static HeadlessChromium find(Path work) {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
          return new HeadlessChromium(Path.of(d, name).toString(), work);
        }
      }
    }
    return null;
  }

  /** A screenshot of {@code html} in a window {@code width} x {@code height} px. */
  public BufferedImage screenshot(Path html, Path png, int width, int height)
      throws IOException, InterruptedException {
    run(html, width, height, "--screenshot=" + png.toAbsolutePath());
    return ImageIO.read(png.toFile());
  }

  /**
   * Runs the layout script over {@code html} in a window {@code width} px wide and returns its
   * findings, one per line: {@code PANEL}, {@code ARROW}, {@code AXIS-BREAK} describe what was
   * drawn; {@code CLIPPED}, {@code THROUGH}, {@code OVERFLOW} are defects.
   */
  public List<String> layout(Path html, int width) throws IOException, InterruptedException {
    String script;
    try (InputStream in = HeadlessChromium.class.getResourceAsStream("/browser/layout-check.js")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String page = Files.readString(html);
    int end = page.lastIndexOf("</body>");
    Path checked = Files.createTempFile(work, "checked-", ".html");
    Files.writeString(checked, page.substring(0, end) + "<script>" + script + "</script>"
        + page.substring(end));
    String dom = run(checked, width, 2400, "--dump-dom");
    int from = dom.lastIndexOf("<pre id=\"layout-check\">");
    if (from < 0) {
      throw new AssertionError("the layout script wrote nothing; browser output:\n"
          + dom.substring(Math.max(0, dom.length() - 2000)));
    }
    from += "<pre id=\"layout-check\">".length();
    String body = dom.substring(from, dom.indexOf("</pre>", from))
        .replace("&gt;", ">").replace("&lt;", "<").replace("&quot;", "\"").replace("&amp;", "&");
    List<String> lines = new ArrayList<>();
    for (String l : body.split("\n")) {
      if (!l.isBlank()) {
        lines.add(l);
      }
    }
    return lines;
  }

  private String run(Path html, int width, int height, String what)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(work, "browser-", ".log");
    Path stdout = Files.createTempFile(work, "browser-", ".out");
    Process p = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
        "--user-data-dir=" + Files.createTempDirectory(work, "profile"),
        "--window-size=" + width + "," + height, what,
        html.toAbsolutePath().toUri().toString())
        .redirectError(log.toFile()).redirectOutput(stdout.toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 90s; see " + log);
    }
    return Files.readString(stdout);
  }
}
