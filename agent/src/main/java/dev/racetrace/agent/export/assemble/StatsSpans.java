package dev.racetrace.agent.export.assemble;

import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.Recorder;
import dev.racetrace.schema.EventType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.Collections;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@code racetrace.stats} spans of a recording: what was dropped, unmatched, lost or failed,
 * as counted so far. One is emitted when a count changes (not every pass), and one at exit.
 * Exporter thread only.
 */
public final class StatsSpans {
  private final Ids ids;
  private final Supplier<Resource> resource;
  private final InstrumentationScopeInfo scope;
  private final Counters counters;
  private final LongSupplier droppedEvents;
  private long lastStatsSignature = -1;
  private long statsSeq;

  /** @param droppedEvents events dropped because a ring was full, over all rings ever registered */
  /** @param resource asked for when a stats span is first built */
  public StatsSpans(Ids ids, Supplier<Resource> resource, InstrumentationScopeInfo scope, Counters counters,
      LongSupplier droppedEvents) {
    this.ids = ids;
    this.resource = resource;
    this.scope = scope;
    this.counters = counters;
    this.droppedEvents = droppedEvents;
  }

  /**
   * Hands {@code to} a stats span when a count changed since the last one and something was lost
   * or failed; with {@code force} (at exit), whatever the counts.
   */
  public void emit(boolean force, Consumer<SpanData> to) {
    long dropped = droppedEvents.getAsLong();
    long unmatched = counters.unmatchedDequeues().get();
    long internal = Recorder.internalErrors();
    long failures = counters.exportFailures().get();
    long lostLinks = dev.racetrace.core.task.TaskRuns.lostLinks();
    Losses losses = Losses.of(counters);
    long signature = dropped * 31 + unmatched * 17 + internal * 13 + failures + lostLinks * 7 + losses.signature();
    if (!force && signature == lastStatsSignature) {
      return;
    }
    if (!force && dropped == 0 && unmatched == 0 && internal == 0 && failures == 0 && lostLinks == 0
        && losses.none()) {
      lastStatsSignature = signature;
      return;
    }
    lastStatsSignature = signature;
    statsSeq++;
    to.accept(statsSpan(ids, resource.get(), scope, statsSeq, dev.racetrace.core.Clock.now(), dropped,
        counters.exportedSpans().get(), unmatched, internal, failures, lostLinks, losses));
  }

  /** The {@code racetrace.stats} span: what was lost or failed, as counted so far. */
  public static RaceSpan statsSpan(Ids ids, Resource resource, InstrumentationScopeInfo scope, long statsSeq,
      long epochNanos, long dropped, long recorded, long unmatched, long internal, long failures,
      long lostLinks, Losses losses) {
    Attributes attributes = Attributes.builder()
        .put(SpanSchema.EVENT, EventType.STATS.eventName())
        .put(SpanSchema.DROPPED_EVENTS, dropped)
        .put(SpanSchema.RECORDED_EVENTS, recorded)
        .put(SpanSchema.UNMATCHED_DEQUEUES, unmatched)
        .put(SpanSchema.INTERNAL_ERRORS, internal)
        .put(SpanSchema.EXPORT_FAILURES, failures)
        .put(SpanSchema.LOST_TASK_LINKS, lostLinks)
        .put(SpanSchema.DROPPED_STATE, losses.droppedState)
        .put(SpanSchema.UNWRITTEN_SPANS, losses.unwrittenSpans)
        .put(SpanSchema.ROTATED_SPANS, losses.rotatedSpans)
        .put(SpanSchema.ROTATED_EVENTS, losses.rotatedEvents)
        .build();
    return new RaceSpan(SpanSchema.STATS_SPAN, SpanKind.INTERNAL,
        Ids.context(ids.chainTrace(0), ids.spanId(statsSeq, 0x7F)), io.opentelemetry.api.trace.SpanContext.getInvalid(),
        StatusData.unset(), epochNanos, epochNanos, attributes, Collections.emptyList(), null, resource, scope);
  }
}
