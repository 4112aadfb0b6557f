package dev.racetrace.agent.export;

import dev.racetrace.agent.export.assemble.SpanAssembler;
import dev.racetrace.agent.export.assemble.StateLimits;
import dev.racetrace.agent.export.assemble.StatsSpans;
import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.InOrderRelease;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.flight.FlightDumpSender;
import dev.racetrace.agent.export.flight.FlightRecorder;
import dev.racetrace.agent.export.sink.LiveExportBudget;
import dev.racetrace.agent.export.sink.SpanSink;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the export cycles of every mode share: the drain, the seq ordering, the span assembler
 * (created at its first use), the sink, the flight recorder and the racetrace.stats spans. It
 * exists so that each {@link ExportCycle} holds only its own mode's parts. Exporter thread only,
 * except where a method says otherwise.
 */
final class CycleContext {
  /**
   * Events handled per cycle before the rings are drained again: small enough that a burst
   * cannot hold the exporter in encoding long enough for a default-sized ring to overflow, and
   * within racetrace.memory.max ({@link StateLimits#eventsPerCycle}).
   */
  final int maxEventsPerCycle;
  final long intervalNanos;
  /** Events of a cut-short drain waiting for their predecessors; bounded at two cycles' worth. */
  final InOrderRelease order;
  final RingDrainer drainer;
  final SpanSink sink;
  /** The racetrace.stats spans: what was lost or failed, when it changed. */
  final StatsSpans stats;
  /** racetrace.export.cpu, when spans go live to an OTel exporter; null: not limited. */
  final LiveExportBudget live;
  /** Where assembled spans go: the flight recorder, or the live export. */
  final Consumer<SpanData> entry;
  /** Flight mode's recorder; null in streaming mode and once racetrace stopped itself. */
  private FlightRecorder flight;
  private FlightDumpSender flightDumpSender;
  private volatile String requestedDump;

  /**
   * Created when first needed ({@link #assembler()}): never in journal modes that build no span here
   * (the journal alone; flight mode on the journal unless a rule violation trigger needs it). Null
   * before that and once racetrace stopped itself after an Error: its state is let go.
   */
  private SpanAssembler assembler;
  private final Function<Consumer<SpanData>, SpanAssembler> newAssembler;
  private int assemblersCreated;
  private volatile boolean stopped;
  /** The converter of racetrace.otel.link, handed to the assembler when it is created. */
  private Function<Object, SpanContext> appSpanConverter;
  private Runnable appSpanResolver;

  /** @param newAssembler a new span assembler handing its spans to the given entry */
  CycleContext(int maxEventsPerCycle, long intervalNanos, RingDrainer drainer, SpanSink sink, StatsSpans stats,
      FlightRecorder flight, LiveExportBudget live, Function<Consumer<SpanData>, SpanAssembler> newAssembler) {
    this.maxEventsPerCycle = maxEventsPerCycle;
    this.intervalNanos = intervalNanos;
    this.order = new InOrderRelease(2 * maxEventsPerCycle);
    this.drainer = drainer;
    this.sink = sink;
    this.stats = stats;
    this.flight = flight;
    this.live = live;
    this.entry = flight != null ? flight : this::toSink;
    this.newAssembler = newAssembler;
  }

  private void toSink(SpanData span) {
    if (live != null) {
      live.accept(span);
    } else {
      sink.accept(span);
    }
  }

  /** Flight mode on the journal with OTel exporters: what sends each dump's spans; else null. */
  FlightDumpSender flightDumpSender() {
    return flightDumpSender;
  }

  void flightDumpSender(FlightDumpSender sender) {
    this.flightDumpSender = sender;
  }

  /** Flight mode's recorder, or null. */
  FlightRecorder flight() {
    return flight;
  }

  /** Links spans to the application's own OTel spans (racetrace.otel.link); see {@link ExportLoop#linkAppSpans}. */
  void linkAppSpans(Runnable resolver, Function<Object, SpanContext> converter) {
    this.appSpanResolver = resolver;
    this.appSpanConverter = converter;
    if (assembler != null) {
      assembler.linkAppSpans(converter);
    }
  }

  /** Runs the resolver of racetrace.otel.link, if set, until the application's API is usable. */
  void resolveAppSpans() {
    if (appSpanResolver != null) {
      appSpanResolver.run();
    }
  }

  /** The span assembler, created at its first use. */
  SpanAssembler assembler() {
    SpanAssembler a = assembler;
    if (a == null) {
      if (stopped) {
        throw new IllegalStateException("racetrace stopped itself");
      }
      a = newAssembler.apply(entry);
      if (appSpanConverter != null) {
        a.linkAppSpans(appSpanConverter);
      }
      assembler = a;
      assemblersCreated++;
    }
    return a;
  }

  /** The span assembler if one was created (and not let go), else null. */
  SpanAssembler assemblerIfCreated() {
    return assembler;
  }

  /** Span assemblers created so far. */
  int assemblersCreated() {
    return assemblersCreated;
  }

  /** Assembles released events in seq order, then the ends of threads with nothing held. */
  void assemble(List<Event> events, List<Long> endedNow) {
    if (events.isEmpty() && endedNow.isEmpty()) {
      return; // nothing to assemble: the assembler is not created for it
    }
    SpanAssembler assembler = assembler();
    for (Event e : events) {
      assembler.accept(e);
    }
    for (Long id : endedNow) {
      assembler.threadEnded(id);
    }
  }

  /** At exit: whatever is still held is released, in seq order. */
  void releaseHeld() {
    List<Long> endedNow = new ArrayList<>();
    assemble(order.release(new ArrayList<>(), Long.MAX_VALUE, new ArrayList<>(), endedNow), endedNow);
  }

  /** Flight mode: asks for a dump at the next cycle (any thread). @return false outside flight mode */
  boolean requestDump(String reason) {
    if (flight == null) {
      return false;
    }
    requestedDump = reason;
    return true;
  }

  /** Flight mode: a requested dump, then one a trigger asked for. */
  void dumpIfDue() {
    if (flight != null) {
      String requested = requestedDump;
      if (requested != null) {
        requestedDump = null;
        flight.dump(requested);
      }
      flight.dumpIfTriggered();
    }
  }

  /**
   * How long to wait before the next span pass: the configured interval while the rings are nearly
   * empty, less as they fill, none when one is an eighth full (a default ring fills in tens of
   * milliseconds at 100k events/s, well within one interval).
   */
  long spanPauseNanos() {
    double fill = drainer.maxFill();
    if (fill >= 0.125) {
      return 0;
    }
    return fill > 0 ? Math.min(intervalNanos, 2_000_000L) : intervalNanos;
  }

  /** From now on no assembler is created: racetrace stopped itself (any thread). */
  void stop() {
    stopped = true;
  }

  /** After an Error: the assembly state, the events held and the flight recorder are let go. */
  void letGo() {
    assembler = null;
    order.discard();
    flight = null;
  }
}
