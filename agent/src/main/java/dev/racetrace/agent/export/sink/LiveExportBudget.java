package dev.racetrace.agent.export.sink;

import dev.racetrace.agent.export.assemble.Ids;
import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.agent.internal.BoundedMap;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * racetrace.export.cpu: the CPU the exporter thread may spend assembling and exporting spans live
 * (to an OTel exporter such as OTLP), as a share of one core; beside the journal the exports run on
 * a sender thread ({@link OffThreadExporter}), whose CPU time counts too. Exporter thread only.
 *
 * <p>A credit of CPU time grows with wall time at the configured share (at most one second's worth,
 * the burst allowance; once, at the start, {@link #START_ALLOWANCE_NANOS} more) and each export
 * cycle's CPU time is taken from it. From a cycle that
 * leaves the credit below zero until it has recovered to half the allowance, spans are
 * <em>shed</em>: only what
 * matters goes to the exporters (rule violations, expired timed waits, guard checks, the stats
 * span) together with the spans of their trace (one key's trace window: {@link Ids}), the ones held
 * back before and the ones that follow; the rest is held in a bounded buffer for a while and then
 * counted as not exported live. Shedding saves the encoding and export; when the assembly alone is
 * over the share, the exporter also pauses until the debt is repaid, and full rings drop events
 * (counted as dropped, as always), so the share holds on average with at most the burst on top.
 */
public final class LiveExportBudget implements Consumer<SpanData> {
  /** Spans held back while shedding, waiting to see whether their trace turns out to matter. */
  static final int HELD = 4096;
  /** Traces that had a span that matters, whose other spans are exported while shedding. */
  static final int HOT_TRACES = 1024;
  /**
   * CPU allowed once at the start on top of the share: the first cycles load the exporter's classes
   * (the OTLP marshalling, the HTTP client), open its connection and run the assembly before the JIT
   * has compiled it, about 120 ms on a loaded 2-core machine for work that later costs a few
   * milliseconds.
   */
  static final long START_ALLOWANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  /** The longest single pause, so that shutdown and dump requests are seen in time. */
  private static final long MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final double share;
  private final long burstNanos;
  private final LongSupplier wallNanos;
  private final LongSupplier cpuNanos;
  private final Consumer<SpanData> out;
  private final ArrayDeque<SpanData> held = new ArrayDeque<>();
  private final Map<String, Boolean> hot = BoundedMap.lru(HOT_TRACES);
  private long credit;
  private long lastWall;
  private long cycleCpu;
  private boolean shedding;
  /** Written by the exporter thread once per cycle, read by the shutdown hook. */
  private volatile long usedNanos;
  private final long startWall;
  private long shedSpans;
  private long shedCycles;

  /** The calling thread's CPU time (the exporter thread's, read there), or wall time where unsupported. */
  public static LongSupplier exporterThreadCpu() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    return mx.isCurrentThreadCpuTimeSupported() ? mx::getCurrentThreadCpuTime : System::nanoTime;
  }

  /**
   * @param cpuNanos the live export's CPU time: the exporter thread's (read only on that thread),
   *     with any sender thread's added
   */
  public LiveExportBudget(double share, Consumer<SpanData> out, LongSupplier wallNanos, LongSupplier cpuNanos) {
    this.share = share;
    this.burstNanos = (long) (share * TimeUnit.SECONDS.toNanos(1));
    this.out = out;
    this.wallNanos = wallNanos;
    this.cpuNanos = cpuNanos;
    this.lastWall = wallNanos.getAsLong();
    this.startWall = lastWall;
    this.credit = burstNanos + START_ALLOWANCE_NANOS;
  }

  /** Before an export cycle: the credit grows with the wall time since the last one. */
  public void beginCycle() {
    long now = wallNanos.getAsLong();
    credit = Math.max(credit, Math.min(burstNanos, credit + (long) ((now - lastWall) * share)));
    lastWall = now;
    if (credit < 0) {
      shedding = true;
    } else if (shedding && credit >= burstNanos / 2) {
      shedding = false;
      held.clear(); // their moment has passed; counted when they were held
    }
    if (shedding) {
      shedCycles++;
    }
    cycleCpu = cpuNanos.getAsLong();
  }

  /** After an export cycle: its CPU time is taken from the credit. */
  public void endCycle() {
    long used = Math.max(0, cpuNanos.getAsLong() - cycleCpu);
    usedNanos += used;
    credit -= used;
    if (credit < 0) {
      shedding = true;
    }
  }

  /** How long the exporter must rest before its next cycle to repay its debt (0 when in credit). */
  public long pauseNanos() {
    if (credit >= 0) {
      return 0;
    }
    return Math.min(MAX_PAUSE_NANOS, (long) (-credit / share));
  }

  /**
   * Whether the export is still repaying its debt now: the credit, grown with the wall time since
   * the last cycle began, is below zero. With the journal the exporter does not pause then; it
   * drains the rings for the journal and leaves the assembler resting
   * ({@link dev.racetrace.agent.export.journal.LiveJournal}).
   */
  public boolean resting() {
    if (credit >= 0) {
      return false;
    }
    return credit + (long) ((wallNanos.getAsLong() - lastWall) * share) < 0;
  }

  /** A finished span: exported, or while shedding exported only if it (or its trace) matters. */
  @Override
  public void accept(SpanData span) {
    if (!shedding) {
      out.accept(span);
      return;
    }
    String trace = span.getTraceId();
    if (matters(span)) {
      hot.put(trace, Boolean.TRUE);
      releaseHeld(trace);
      out.accept(span);
    } else if (hot.containsKey(trace)) {
      out.accept(span);
    } else {
      if (held.size() >= HELD) {
        held.pollFirst();
      }
      held.addLast(span);
      shedSpans++; // uncounted again if its trace turns out to matter
    }
  }

  /** The held spans of {@code trace} go out after all: the window before what matters. */
  private void releaseHeld(String trace) {
    for (Iterator<SpanData> it = held.iterator(); it.hasNext(); ) {
      SpanData s = it.next();
      if (s.getTraceId().equals(trace)) {
        it.remove();
        shedSpans--;
        out.accept(s);
      }
    }
  }

  /** Rule violations, expired timed waits, guard checks, and racetrace's own stats. */
  static boolean matters(SpanData span) {
    Attributes a = span.getAttributes();
    if (Boolean.TRUE.equals(a.get(SpanSchema.RULE_VIOLATED))
        || Boolean.TRUE.equals(a.get(SpanSchema.GUARD_TIMED_OUT))
        || a.get(SpanSchema.GUARD_KIND) != null
        || span.getName().startsWith("guard.")
        || span.getName().equals(SpanSchema.STATS_SPAN)) {
      return true;
    }
    for (EventData e : span.getEvents()) {
      if (e.getName().equals(SpanSchema.RULE_VIOLATION_EVENT)) {
        return true;
      }
    }
    return false;
  }

  /** Spans not exported live because the export was over its CPU share. */
  public long shedSpans() {
    return shedSpans;
  }

  /** Cycles run while shedding. */
  long shedCycles() {
    return shedCycles;
  }

  /** The exporter thread's CPU over the wall time since start, as a share of one core. */
  public double usedShare() {
    long wall = Math.max(1, wallNanos.getAsLong() - startWall);
    return usedNanos / (double) wall;
  }

  /** CPU time the export cycles used, in nanoseconds. */
  long usedNanos() {
    return usedNanos;
  }

  boolean shedding() {
    return shedding;
  }
}
