package dev.racetrace.agent.export.flight;

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
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlightRecorderTest {
  private final List<SpanData> exported = new ArrayList<>();
  private final Ids ids = new Ids("n", 60_000);

  private FlightRecorder recorder(int capacity, String... triggers) {
    return new FlightRecorder(capacity, Set.of(triggers), exported::add, ids, Resource::getDefault,
        InstrumentationScopeInfo.create("t"));
  }

  private SpanData span(long seq, Attributes extra) {
    Attributes a = Attributes.builder().put(SpanSchema.SEQ, seq).putAll(extra).build();
    return new RaceSpan("s" + seq, SpanKind.INTERNAL, Ids.context(ids.chainTrace(1), ids.spanId(seq, 0)),
        SpanContext.getInvalid(), StatusData.unset(), 1, 2, a, Collections.emptyList(), null,
        Resource.getDefault(), InstrumentationScopeInfo.create("t"));
  }

  @Test
  void nothingIsExportedWithoutATrigger() {
    FlightRecorder f = recorder(10, "violation", "timeout");
    for (int i = 0; i < 25; i++) {
      f.accept(span(i, Attributes.empty()));
      f.dumpIfTriggered();
    }
    f.shutdown();
    assertThat(exported).isEmpty();
    assertThat(f.retained()).isEqualTo(10);
  }

  @Test
  void aRuleViolationExportsTheLastSpansAfterADumpSpan() {
    FlightRecorder f = recorder(3, "violation");
    for (int i = 1; i <= 5; i++) {
      f.accept(span(i, Attributes.empty()));
    }
    f.accept(span(6, Attributes.builder().put(SpanSchema.RULE_VIOLATED, true).put(SpanSchema.KEY, "order-7").build()));
    f.dumpIfTriggered();
    assertThat(exported).extracting(SpanData::getName).containsExactly(SpanSchema.FLIGHT_DUMP_SPAN, "s4", "s5", "s6");
    Attributes dump = exported.get(0).getAttributes();
    assertThat(dump.get(SpanSchema.FLIGHT_REASON)).isEqualTo("rule violation on key order-7");
    assertThat(dump.get(SpanSchema.FLIGHT_SPANS)).isEqualTo(3L);
    assertThat(dump.get(SpanSchema.FLIGHT_OVERWRITTEN)).isEqualTo(3L);
    assertThat(f.retained()).isZero();
  }

  @Test
  void anExpiredWaitThatWentOnTriggersOnlyWhenEnabled() {
    Attributes expired = Attributes.builder().put(SpanSchema.GUARD_TIMED_OUT, true)
        .put(SpanSchema.GUARD_WENT_ON, true).put(SpanSchema.GUARD_OBJECT, "Node.metadataArrived").build();
    FlightRecorder off = recorder(10, "violation");
    off.accept(span(1, expired));
    off.dumpIfTriggered();
    assertThat(exported).isEmpty();

    FlightRecorder on = recorder(10, "timeout");
    on.accept(span(1, expired));
    on.dumpIfTriggered();
    assertThat(exported.get(0).getAttributes().get(SpanSchema.FLIGHT_REASON))
        .isEqualTo("timed wait on Node.metadataArrived expired and the code went on");
  }

  @Test
  void expiredWaitsDumpAtMostOncePerIntervalAndTheNextDumpCountsTheOthers() {
    Attributes expired = Attributes.builder().put(SpanSchema.GUARD_TIMED_OUT, true)
        .put(SpanSchema.GUARD_WENT_ON, true).put(SpanSchema.GUARD_OBJECT, "ReservedThread.poll").build();
    long[] now = {0};
    FlightRecorder f = recorder(100, "timeout", "violation");
    f.limitTimeoutDumps(60_000, () -> now[0]);
    f.accept(span(1, expired));
    f.dumpIfTriggered();
    assertThat(exported).extracting(SpanData::getName).containsExactly(SpanSchema.FLIGHT_DUMP_SPAN, "s1");
    // an idle pool thread times out every few seconds: within the minute none of these dumps
    for (int i = 2; i <= 20; i++) {
      now[0] += java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
      f.accept(span(i, expired));
      f.dumpIfTriggered();
    }
    assertThat(exported).hasSize(2);
    assertThat(f.retained()).isEqualTo(19);
    // a violation is not limited, and says how many timeouts it did not dump for
    f.accept(span(21, Attributes.builder().put(SpanSchema.RULE_VIOLATED, true).put(SpanSchema.KEY, "k").build()));
    f.dumpIfTriggered();
    assertThat(exported).hasSize(2 + 1 + 20);
    assertThat(exported.get(2).getAttributes().get(SpanSchema.FLIGHT_SUPPRESSED)).isEqualTo(19L);
    // once the interval has passed since the last timeout dump, the next timeout dumps again
    now[0] += java.util.concurrent.TimeUnit.SECONDS.toNanos(4);
    f.accept(span(22, expired));
    f.dumpIfTriggered();
    assertThat(exported.get(exported.size() - 2).getAttributes().get(SpanSchema.FLIGHT_REASON))
        .isEqualTo("timed wait on ReservedThread.poll expired and the code went on");
    assertThat(exported.get(exported.size() - 2).getAttributes().get(SpanSchema.FLIGHT_SUPPRESSED)).isZero();
  }

  @Test
  void withoutAnIntervalEveryExpiredWaitDumps() {
    Attributes expired = Attributes.builder().put(SpanSchema.GUARD_TIMED_OUT, true)
        .put(SpanSchema.GUARD_WENT_ON, true).put(SpanSchema.GUARD_OBJECT, "q").build();
    FlightRecorder f = recorder(100, "timeout");
    f.limitTimeoutDumps(0, () -> 0L);
    for (int i = 1; i <= 3; i++) {
      f.accept(span(i, expired));
      f.dumpIfTriggered();
    }
    assertThat(exported).extracting(SpanData::getName).filteredOn(SpanSchema.FLIGHT_DUMP_SPAN::equals).hasSize(3);
  }

  @Test
  void shutdownExportsWhatIsRetainedWhenItIsATrigger() {
    FlightRecorder f = recorder(10, "shutdown");
    f.accept(span(1, Attributes.empty()));
    f.shutdown();
    assertThat(exported).extracting(SpanData::getName).containsExactly(SpanSchema.FLIGHT_DUMP_SPAN, "s1");
  }

  @Test
  void aRequestedDumpExportsImmediately() {
    FlightRecorder f = recorder(10);
    f.accept(span(1, Attributes.empty()));
    f.dump("dump requested");
    assertThat(exported).hasSize(2);
    assertThat(exported.get(0).getAttributes().get(SpanSchema.FLIGHT_REASON)).isEqualTo("dump requested");
  }

  @Test
  void onTheJournalSpansAreOnlyCheckedForTriggersAndTheDumpGoesToTheChunkRing() {
    List<String> dumps = new ArrayList<>();
    boolean[] holds = {true};
    FlightRecorder f = recorder(10, "violation", "timeout", "shutdown");
    f.dumpTo(new FlightRecorder.Dumps() {
      @Override
      public void dump(String reason, long suppressedTimeouts) {
        dumps.add(reason + "/" + suppressedTimeouts);
      }

      @Override
      public boolean holdsAnything() {
        return holds[0];
      }
    });
    for (int i = 1; i <= 25; i++) {
      f.accept(span(i, Attributes.empty()));
      f.dumpIfTriggered();
    }
    assertThat(f.retained()).as("no span is kept").isZero();
    assertThat(dumps).isEmpty();
    f.accept(span(26, Attributes.builder().put(SpanSchema.RULE_VIOLATED, true).put(SpanSchema.KEY, "order-7").build()));
    f.dumpIfTriggered();
    assertThat(dumps).containsExactly("rule violation on key order-7/0");
    assertThat(exported).as("no span reaches the exporters").isEmpty();
    f.dump("dump requested");
    f.shutdown();
    assertThat(dumps).containsExactly("rule violation on key order-7/0", "dump requested/0", "shutdown/0");
    holds[0] = false;
    f.shutdown();
    assertThat(dumps).as("nothing recorded since: no shutdown dump").hasSize(3);
    assertThat(f.retained()).isZero();
  }
}
