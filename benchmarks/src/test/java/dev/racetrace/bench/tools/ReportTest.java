package dev.racetrace.bench.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir
  Path dir;

  @Test
  void ratiosAgainstTheTargets() throws IOException {
    Files.writeString(dir.resolve("results.txt"), String.join("\n",
        "flight available=0",
        "workload config=none rep=1 ops_per_s=1000 cpu_ms=100 checksum=ab rss_kb=102400",
        "workload config=none rep=2 ops_per_s=1200 cpu_ms=100 checksum=ab rss_kb=102400",
        "workload config=racetrace rep=1 ops_per_s=500 cpu_ms=250 exporter_cpu_ms=50 checksum=ab rss_kb=204800",
        "workload config=racetrace-off rep=1 ops_per_s=1100 cpu_ms=101 checksum=ab rss_kb=112640",
        "startup config=none rep=1 wall_ms=100 rss_kb=40960",
        "startup config=racetrace rep=1 wall_ms=300 rss_kb=61440",
        "startup config=otel rep=1 wall_ms=2100 rss_kb=143360",
        "export sink=file label=burst events=1000 rate=0 done_ms=10 events_per_s=250000 exporter_cpu_ms=5 "
            + "dropped=0 exported=1000 stats_dropped=0 bytes=10",
        "export sink=file label=paced events=1000 rate=200000 done_ms=5 events_per_s=200000 exporter_cpu_ms=5 "
            + "dropped=250 exported=750 stats_dropped=250 bytes=10",
        ""));

    String report = new Report(dir).render();

    assertThat(report)
        .contains("| whole process: throughput, racetrace recording the package | 0.455× | ≥ 0.93× | MISSED by 0.475 |")
        .contains("| whole process: throughput, racetrace attached, package not enabled | 1.000× | ≥ 0.995× | met |")
        .contains("| whole process: throughput, racetrace flight mode | — | ≥ 0.93× | pending: flight mode not built yet |")
        .contains("| start-up: racetrace's added wall time / OTel agent's | 0.100 (+200 ms vs +2000 ms) | ≤ 0.15 | met |")
        .contains("| start-up: racetrace's added peak RSS / OTel agent's | 0.200 (+20 MiB vs +100 MiB) | ≤ 0.25 | met |")
        .contains("| memory: added peak RSS of the queue workload, default buffer | +100 MiB | ≤ 64 MiB | MISSED by 36 MiB |")
        .contains("250,000 events/s, 0 dropped, 1,000 spans exported | ≥ 200k events/s, 0 dropped | met |")
        .contains("offered 200,000 events/s: 250 dropped (25%), 750 spans exported | 0 dropped | MISSED: 25% of the events dropped |")
        .contains("| hot path: enqueue (offer), 1 thread | not measured |");
  }
}
