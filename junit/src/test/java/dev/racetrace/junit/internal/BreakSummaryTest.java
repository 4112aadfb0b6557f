package dev.racetrace.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BreakSummaryTest {
  @Test
  void keepsStepFourAndTheResultLine() {
    String report = String.join("\n",
        "1. DIVERGENCE (rules)", "   key-1 ...", "",
        "4. FIRST ORDERING BREAK node-2, key-07, seq 295",
        "   expected   load-metadata < derive < publish  (rule)",
        "   guard      timed-wait-expired: ...", "",
        "5. CONTAINMENT 6 affected keys", "   node-2 key-07 ...", "",
        "RESULT: ordering break on node-2 for key-07: derive before load-metadata (exit 2)", "");
    assertThat(BreakSummary.extract(report)).isEqualTo(String.join("\n",
        "4. FIRST ORDERING BREAK node-2, key-07, seq 295",
        "   expected   load-metadata < derive < publish  (rule)",
        "   guard      timed-wait-expired: ...",
        "RESULT: ordering break on node-2 for key-07: derive before load-metadata (exit 2)"));
  }

  @Test
  void saysWhyWhenThereAreNoSpans(@TempDir Path dir) throws Exception {
    assertThat(BreakSummary.of(dir.resolve("missing"), Long.MIN_VALUE, Long.MAX_VALUE))
        .startsWith("analyzer: no spans (");
    Files.createDirectories(dir.resolve("spans"));
    assertThat(BreakSummary.of(dir.resolve("spans"), Long.MIN_VALUE, Long.MAX_VALUE))
        .startsWith("analyzer: no spans were recorded");
  }
}
