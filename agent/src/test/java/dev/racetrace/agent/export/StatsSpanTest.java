package dev.racetrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.agent.fixtures.CapturingExporter;
import dev.racetrace.agent.internal.Counters;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What racetrace's budgets cost reaches the backend: the periodic racetrace.stats span carries the
 * entries dropped at the racetrace.memory.max caps and the spans not written or rotated out under
 * racetrace.out.max, as soon as they change, not only in the exit summary.
 */
class StatsSpanTest {
  private final List<SpanData> exported = new CopyOnWriteArrayList<>();

  @Test
  void theStatsSpanCarriesStateDropsAndSpansLostToTheDiskBudget() {
    Counters counters = new Counters();
    ExportLoop loop = ExportLoop.builder().resource(Resource.empty()).scope(InstrumentationScopeInfo.create("racetrace"))
        .nodeId("n1").traceWindowMillis(60_000).exporters(List.of(new CapturingExporter(exported))).counters(counters)
        .intervalMillis(10).exportTimeoutMillis(5_000).stateBytes(8 << 20).build();
    loop.start(null);
    try {
      counters.droppedState().addAndGet(7);
      await().atMost(Duration.ofSeconds(10)).until(() -> last() != null
          && last().getAttributes().get(SpanSchema.DROPPED_STATE) == 7L);
      counters.outRotatedSpans().addAndGet(300);
      counters.outDroppedSpans().addAndGet(2);
      await().atMost(Duration.ofSeconds(10)).until(() -> last().getAttributes().get(SpanSchema.ROTATED_SPANS) == 300L);
      assertThat(last().getAttributes().get(SpanSchema.UNWRITTEN_SPANS)).isEqualTo(2L);
      assertThat(last().getAttributes().get(SpanSchema.DROPPED_STATE)).isEqualTo(7L);
    } finally {
      loop.shutdown(5_000);
    }
  }

  /** The newest racetrace.stats span exported, or null. */
  private SpanData last() {
    SpanData found = null;
    for (SpanData s : exported) {
      if (s.getName().equals(SpanSchema.STATS_SPAN)) {
        found = s;
      }
    }
    return found;
  }

}
