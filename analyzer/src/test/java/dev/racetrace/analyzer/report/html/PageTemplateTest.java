package dev.racetrace.analyzer.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's skeleton and stylesheet resources (the page itself: GoldenReportTest). */
class PageTemplateTest {
  private static List<String> lines(String resource) throws Exception {
    try (InputStream in = PageTemplate.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  void everyStylesheetLineIsWholeRulesSoDroppingLineBreaksIsSafe() throws Exception {
    for (String line : lines("report.css")) {
      assertThat(line).as("report.css line").endsWith("}").doesNotStartWith(" ")
          .doesNotContain("/*");
    }
    assertThat(PageTemplate.stylesheet()).doesNotContain("\n").contains(".badge.bad{");
  }

  @Test
  void headEscapesTheTitleAndInlinesTheStylesheet() {
    StringBuilder sb = new StringBuilder();
    PageTemplate.head(sb, "a <b> & \"c\"");
    PageTemplate.tail(sb);

    assertThat(sb.toString())
        .startsWith("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .contains("<title>a &lt;b&gt; &amp; &quot;c&quot;</title><style>"
            + PageTemplate.stylesheet() + "</style></head><body>")
        .doesNotContain("{{")
        .endsWith("</footer></body></html>\n");
  }
}
