package dev.racetrace.agent.export.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.export.assemble.Ids;
import dev.racetrace.agent.export.assemble.RaceSpan;
import dev.racetrace.agent.export.assemble.SpanSchema;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** racetrace.export.cpu: the share holds, and over it what matters is exported first. */
class LiveExportBudgetTest {
  private static final long MS = 1_000_000L;
  private final List<SpanData> out = new ArrayList<>();
  private long wall;
  private long cpu;
  /** 5 % of a core: 50 ms of CPU per second, at most 50 ms of credit. */
  private final LiveExportBudget budget = new LiveExportBudget(0.05, out::add, () -> wall, () -> cpu);

  private static SpanData span(String name, String trace, Attributes attributes) {
    return new RaceSpan(name, SpanKind.INTERNAL, Ids.context(trace, "00000000000000a1"), SpanContext.getInvalid(),
        StatusData.unset(), 1, 2, attributes, Collections.emptyList(), null, Resource.empty(),
        InstrumentationScopeInfo.create("test"));
  }

  private static String trace(int n) {
    return String.format("%032x", n + 1);
  }

  /** One export cycle {@code wallMs} after the previous one that costs {@code cpuMs} of CPU. */
  private void cycle(long wallMs, long cpuMs, SpanData... spans) {
    wall += wallMs * MS;
    budget.beginCycle();
    for (SpanData s : spans) {
      budget.accept(s);
    }
    cpu += cpuMs * MS;
    budget.endCycle();
  }

  /** The first cycles spend the one-off start allowance (class loading, JIT, first connection). */
  private void spendStartAllowance() {
    cycle(0, LiveExportBudget.START_ALLOWANCE_NANOS / MS);
    assertThat(budget.shedding()).isFalse();
    assertThat(budget.pauseNanos()).isZero();
  }

  private List<String> names() {
    return out.stream().map(SpanData::getName).collect(Collectors.toList());
  }

  @Test
  void withinTheShareEverySpanIsExportedAndNoPauseIsAsked() {
    spendStartAllowance();
    for (int i = 0; i < 20; i++) {
      cycle(100, 4, span("q enqueue", trace(i), Attributes.empty())); // 4 % of a core
    }
    assertThat(out).hasSize(20);
    assertThat(budget.pauseNanos()).isZero();
    assertThat(budget.shedSpans()).isZero();
    assertThat(budget.usedShare()).as("the start allowance and 4 %% after it").isBetween(0.16, 0.18); // (250 + 80) ms over 2 s
  }

  @Test
  void overTheShareOnlyWhatMattersGoesOutWithTheSpansOfItsTrace() {
    spendStartAllowance();
    cycle(100, 60); // 60 ms in 100 ms: over the 50 ms burst allowance
    assertThat(budget.pauseNanos()).as("the debt is repaid by resting").isPositive();
    SpanData before = span("q enqueue", trace(1), Attributes.empty());
    SpanData other = span("q enqueue", trace(2), Attributes.empty());
    SpanData violation = span("q process", trace(1), Attributes.of(SpanSchema.RULE_VIOLATED, true));
    SpanData after = span("q enqueue", trace(1), Attributes.empty());
    SpanData timedOut = span("latch.await x", trace(3), Attributes.of(SpanSchema.GUARD_TIMED_OUT, true));
    cycle(1, 1, before, other, violation, after, timedOut);
    assertThat(budget.shedding()).isTrue();
    assertThat(out).containsExactly(before, violation, after, timedOut);
    assertThat(budget.shedSpans()).isEqualTo(1); // `other`
  }

  @Test
  void guardChecksAndTheStatsSpanMatter() {
    assertThat(LiveExportBudget.matters(span("guard.await startup", trace(1), Attributes.empty()))).isTrue();
    assertThat(LiveExportBudget.matters(span(SpanSchema.STATS_SPAN, trace(1), Attributes.empty()))).isTrue();
    assertThat(LiveExportBudget.matters(span("q enqueue", trace(1), Attributes.empty()))).isFalse();
  }

  @Test
  void theShareHoldsOnAverageWhenTheExporterRestsAsAsked() {
    // every cycle would cost 20 ms; the loop rests as long as asked (at least the 100 ms interval)
    for (int i = 0; i < 200; i++) {
      long rest = Math.max(100 * MS, budget.pauseNanos());
      cycle(rest / MS, 20, span("q enqueue", trace(i), Attributes.empty()));
    }
    // 5 % plus the start allowance and one burst spread over the ~70 s
    assertThat(budget.usedShare()).isBetween(0.045, 0.06);
    assertThat(budget.shedSpans()).isPositive();
  }

  @Test
  void sheddingEndsOnceTheCreditIsBack() {
    spendStartAllowance();
    cycle(100, 120);
    cycle(1, 0, span("a", trace(1), Attributes.empty()));
    assertThat(budget.shedding()).isTrue();
    cycle(3000, 1, span("b", trace(2), Attributes.empty()));
    assertThat(budget.shedding()).isFalse();
    assertThat(names()).containsExactly("b");
    assertThat(budget.shedSpans()).isEqualTo(1);
  }

  @Test
  void theHeldSpansAreBounded() {
    spendStartAllowance();
    cycle(100, 200);
    for (int i = 0; i < LiveExportBudget.HELD + 100; i++) {
      budget.accept(span("q enqueue", trace(i), Attributes.empty()));
    }
    assertThat(out).isEmpty();
    assertThat(budget.shedSpans()).isEqualTo(LiveExportBudget.HELD + 100);
    // only the newest HELD are still held: a late violation of the first trace brings back nothing else
    budget.accept(span("q process", trace(0), Attributes.of(SpanSchema.RULE_VIOLATED, true)));
    assertThat(names()).containsExactly("q process");
  }
}
