package dev.racetrace.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.analyzer.testing.CommandRun;
import dev.racetrace.analyzer.testing.ScaleGenerator;
import dev.racetrace.analyzer.testing.SampleScenario;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One million spans in under 30 s in a 512 MB heap. Not part of the default build: run with
 * {@code mvn -B -pl analyzer verify -Pscale} (which sets {@code -Xmx512m}).
 */
@Tag("scale")
class ScaleTest {
  @TempDir
  Path dir;

  @Test
  void oneMillionSpansInUnderThirtySeconds() throws Exception {
    long spans = ScaleGenerator.generate(dir.resolve("spans"), 1_000_000L);
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }

    long t0 = System.nanoTime();
    CommandRun r = CommandRun.of(dir.resolve("spans").toString(), "--rule", SampleScenario.RULE,
        "--json", dir.resolve("result.json").toString(), "--html",
        dir.resolve("report.html").toString(), "--affected", dir.resolve("a.csv").toString());
    double seconds = (System.nanoTime() - t0) / 1e9;

    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf("scale: %d spans analysed in %.1f s, peak heap %d MB (max heap %d MB)%n",
        spans, seconds, peakHeap >> 20, Runtime.getRuntime().maxMemory() >> 20);
    assertThat(r.exit).as(r.err).isEqualTo(2);
    assertThat(r.out).contains("RESULT: ordering break on node-2");
    assertThat(seconds).isLessThan(30);
  }
}
