package dev.racetrace.agent.export.flight;

import dev.racetrace.agent.export.assemble.Ids;
import dev.racetrace.agent.export.assemble.RaceSpan;
import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.schema.EventType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Flight-recorder mode: keeps the last {@code capacity} spans in memory and hands them to the
 * exporters only when a trigger fires: a rule violation, a timed wait that expired while the code
 * went on, a dump request, or shutdown. Each dump is preceded by a {@code racetrace.flight.dump}
 * span saying why and how many spans follow. Exporter thread only.
 *
 * <p>On the journal ({@link #dumpTo}), the spans it is given (only with racetrace.rules, for the
 * violation trigger) are only checked for a trigger and let go: the journal's chunk ring ({@link
 * FlightJournal}) holds the recording, and a dump writes that instead; expired timed waits are
 * found on the records ({@link FlightTriggers} calls {@link #timedWaitWentOn}).
 */
public final class FlightRecorder implements Consumer<SpanData> {
  private final int capacity;
  private final Set<String> triggers;
  private final Consumer<SpanData> export;
  private final Ids ids;
  private final Supplier<Resource> resource;
  private final InstrumentationScopeInfo scope;
  private final ArrayDeque<SpanData> retained;
  private long overwritten;
  private long dumps;
  private String pendingReason;
  private boolean pendingIsTimeout;
  /** Least nanos between two timeout-triggered dumps; 0: no limit. */
  private long timeoutIntervalNanos;
  private java.util.function.LongSupplier nanoClock = System::nanoTime;
  private boolean timeoutDumped;
  private long lastTimeoutDumpNanos;
  private long suppressedTimeouts;
  /** Flight mode on the journal: where dumps go; no span is retained. Null: the span ring. */
  private Dumps dumpTarget;

  /** Where the dumps of flight mode on the journal go: the ring of journal chunks. */
  interface Dumps {
    /** Writes what the ring holds, marked with {@code reason}, and empties it. */
    void dump(String reason, long suppressedTimeouts);

    /** Whether a dump would write anything. */
    boolean holdsAnything();
  }

  /** @param resource asked for when the first span of a dump is built */
  public FlightRecorder(int capacity, Set<String> triggers, Consumer<SpanData> export, Ids ids,
      Supplier<Resource> resource, InstrumentationScopeInfo scope) {
    this.capacity = capacity;
    this.triggers = triggers;
    this.export = export;
    this.ids = ids;
    this.resource = resource;
    this.scope = scope;
    this.retained = new ArrayDeque<>(Math.min(capacity, 4096));
  }

  private long checkedSpans;

  /** Flight mode on the journal: the spans given to be checked for a trigger (visible for testing). */
  public long checkedSpans() {
    return checkedSpans;
  }

  /** Flight mode on the journal: spans are only checked for triggers, dumps go to {@code to}. */
  public void dumpTo(Dumps to) {
    this.dumpTarget = to;
    retained.clear();
  }

  @Override
  public void accept(SpanData span) {
    if (dumpTarget != null) {
      checkedSpans++;
      checkTrigger(span); // the journal holds the recording: the span is let go
      return;
    }
    if (retained.size() == capacity) {
      retained.pollFirst();
      overwritten++;
    }
    retained.addLast(span);
    checkTrigger(span);
  }

  private void checkTrigger(SpanData span) {
    Attributes a = span.getAttributes();
    if (pendingReason == null) {
      if (triggers.contains("violation") && Boolean.TRUE.equals(a.get(SpanSchema.RULE_VIOLATED))) {
        pendingReason = "rule violation on key " + a.get(SpanSchema.KEY);
      } else if (!timeoutsFromRecords && Boolean.TRUE.equals(a.get(SpanSchema.GUARD_TIMED_OUT))
          && Boolean.TRUE.equals(a.get(SpanSchema.GUARD_WENT_ON))) {
        timedWaitWentOn(() -> a.get(SpanSchema.GUARD_OBJECT));
      }
    }
  }

  /**
   * The timeout trigger: a timed wait on {@code object} expired and the code went on. Fires unless
   * the trigger is off, another trigger is pending, or a timeout dumped within
   * racetrace.flight.timeout.interval (then it is counted as suppressed); {@code object} is asked
   * for only when it fires.
   */
  void timedWaitWentOn(java.util.function.Supplier<String> object) {
    if (pendingReason != null || !triggers.contains("timeout")) {
      return;
    }
    if (timeoutDumped && nanoClock.getAsLong() - lastTimeoutDumpNanos < timeoutIntervalNanos) {
      suppressedTimeouts++; // an idle pool thread timing out every keep-alive must not dump each time
    } else {
      pendingReason = "timed wait on " + object.get() + " expired and the code went on";
      pendingIsTimeout = true;
    }
  }

  /**
   * Flight mode on the journal: expired timed waits are found on the records ({@link
   * FlightTriggers}), so the spans given to {@link #accept} (if any: only for rule violations) are
   * not checked for them again.
   */
  public void timeoutsFromRecords() {
    this.timeoutsFromRecords = true;
  }

  private boolean timeoutsFromRecords;

  /** Whether a trigger fired and waits for {@link #dumpIfTriggered} (visible for testing). */
  String pendingReason() {
    return pendingReason;
  }

  /**
   * Limits dumps triggered by expired timed waits to one per interval (racetrace.flight.timeout.interval).
   *
   * @param intervalMillis 0: no limit
   * @param clock nanosecond clock (visible for testing)
   */
  public void limitTimeoutDumps(long intervalMillis, java.util.function.LongSupplier clock) {
    this.timeoutIntervalNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    this.nanoClock = clock;
  }

  /** Dumps if a trigger fired since the last call. Called once per export cycle. */
  public void dumpIfTriggered() {
    if (pendingReason != null) {
      dump(pendingReason);
    }
  }

  /** Exports everything retained, preceded by a dump span; then starts retaining afresh. */
  public void dump(String reason) {
    if (pendingIsTimeout) {
      timeoutDumped = true;
      lastTimeoutDumpNanos = nanoClock.getAsLong();
    }
    pendingIsTimeout = false;
    pendingReason = null;
    if (dumpTarget != null) {
      long suppressed = suppressedTimeouts;
      suppressedTimeouts = 0;
      dumpTarget.dump(reason, suppressed);
      return;
    }
    long now = dev.racetrace.core.Clock.now();
    dumps++;
    Attributes a = Attributes.builder()
        .put(SpanSchema.EVENT, EventType.FLIGHT_DUMP.eventName())
        .put(SpanSchema.FLIGHT_REASON, reason)
        .put(SpanSchema.FLIGHT_SPANS, (long) retained.size())
        .put(SpanSchema.FLIGHT_OVERWRITTEN, overwritten)
        .put(SpanSchema.FLIGHT_SUPPRESSED, suppressedTimeouts)
        .build();
    suppressedTimeouts = 0;
    export.accept(new RaceSpan(SpanSchema.FLIGHT_DUMP_SPAN, SpanKind.INTERNAL,
        Ids.context(ids.chainTrace(0), ids.spanId(dumps, 0x7E)), SpanContext.getInvalid(),
        StatusData.unset(), now, now, a, Collections.emptyList(), null, resource.get(), scope));
    while (!retained.isEmpty()) {
      export.accept(retained.pollFirst());
    }
    overwritten = 0;
  }

  /** At JVM exit: dump if shutdown is a trigger (or a trigger is pending). */
  public void shutdown() {
    if (pendingReason != null) {
      dump(pendingReason);
    } else if (triggers.contains("shutdown")
        && (dumpTarget != null ? dumpTarget.holdsAnything() : !retained.isEmpty())) {
      dump("shutdown");
    }
  }

  int retained() {
    return retained.size();
  }
}
