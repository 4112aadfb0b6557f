package dev.racetrace.analyzer.report.html;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The HTML report's page skeleton ({@code report.html}) and stylesheet ({@code report.css}),
 * classpath resources next to this class, read once.
 *
 * <p>Both files are laid out one element or rule per line for reading; the line breaks are
 * dropped when they are read (the page carries no whitespace between elements), so a line break
 * must never be the only separator between two tokens. The skeleton's placeholders are
 * {@code {{title}}} (escaped here), {@code {{css}}} and {@code {{body}}}.
 */
final class PageTemplate {
  private static final String TITLE = "{{title}}";
  private static final String CSS = "{{css}}";
  private static final String BODY = "{{body}}";

  private static final String STYLESHEET = read("report.css");
  private static final String HEAD;
  private static final String TAIL;

  static {
    String page = read("report.html");
    int body = page.indexOf(BODY);
    int css = page.indexOf(CSS);
    if (body < 0 || css < 0 || css > body || page.indexOf(TITLE) < 0) {
      throw new IllegalStateException("report.html lacks " + TITLE + ", " + CSS + " or " + BODY);
    }
    HEAD = page.substring(0, css) + STYLESHEET + page.substring(css + CSS.length(), body);
    TAIL = page.substring(body + BODY.length()) + "\n";
  }

  private PageTemplate() {}

  /** Appends everything before the page's own content: head, title, stylesheet, body start. */
  static void head(StringBuilder sb, String title) {
    int t = HEAD.indexOf(TITLE);
    sb.append(HEAD, 0, t).append(Html.esc(title)).append(HEAD, t + TITLE.length(), HEAD.length());
  }

  /** Appends everything after the page's own content: the footer and the closing tags. */
  static void tail(StringBuilder sb) {
    sb.append(TAIL);
  }

  /** The stylesheet, as inlined into the page. */
  static String stylesheet() {
    return STYLESHEET;
  }

  private static String read(String name) {
    try (InputStream in = PageTemplate.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " next to "
            + PageTemplate.class.getName());
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
          .collect(Collectors.joining());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
