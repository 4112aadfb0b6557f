package dev.racetrace.agent.export;

import dev.racetrace.agent.export.assemble.Ids;
import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.agent.export.assemble.SpanAssembler;
import dev.racetrace.agent.export.assemble.StateLimits;
import dev.racetrace.agent.export.assemble.StatsSpans;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.agent.export.flight.FlightDumpSender;
import dev.racetrace.agent.export.flight.FlightJournal;
import dev.racetrace.agent.export.flight.FlightJournalPath;
import dev.racetrace.agent.export.flight.FlightRecorder;
import dev.racetrace.agent.export.flight.FlightTriggers;
import dev.racetrace.agent.export.journal.JournalChunkRing;
import dev.racetrace.agent.export.journal.JournalFile;
import dev.racetrace.agent.export.journal.JournalWriter;
import dev.racetrace.agent.export.journal.LiveJournal;
import dev.racetrace.agent.export.journal.LiveWarmup;
import dev.racetrace.agent.export.rules.RuleChecker;
import dev.racetrace.agent.export.sink.LiveExportBudget;
import dev.racetrace.agent.export.sink.OffThreadExporter;
import dev.racetrace.agent.export.sink.OutBudget;
import dev.racetrace.agent.export.sink.SpanSink;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.Recorder;
import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The settings of an {@link ExportLoop} by name, and the wiring of its parts for the mode they
 * select: spans, the journal, both (live export with the journal), or flight mode on the journal.
 * The mode is fixed when the loop is built, so the loop runs one {@link ExportCycle} throughout.
 *
 * <p>About 380 lines: half are the named settings, the rest is {@link #build()}, the one place that
 * decides which parts each mode gets; split, two places would have to agree on the modes.
 */
public final class ExportLoopBuilder {
  /** Tests: live export's warm-up in place of LiveWarmup's; null: LiveWarmup's. */
  private Runnable liveWarmUp;
  private Supplier<Resource> resource = Resource::empty;
  private InstrumentationScopeInfo scope = InstrumentationScopeInfo.create("racetrace");
  private String nodeId;
  private long traceWindowMillis = 60_000;
  private OpNames ops = OpNames.none();
  private List<OrderingRule> rules = List.of();
  private List<SpanExporter> exporters = List.of();
  private Counters counters;
  private long intervalMillis = 100;
  private long exportTimeoutMillis = 5_000;
  private int flightSize;
  private Set<String> flightTriggers = Set.of();
  private long stateBytes = 8 << 20;
  private long timeoutDumpIntervalMillis;
  private boolean liveCpu;
  private double liveCpuShare;
  private LongSupplier liveWallNanos = System::nanoTime;
  private LongSupplier liveCpuNanos;
  private JournalWriter.Output journalOut;
  private Path journalFile;
  private Map<String, String> journalHeader;
  private long outMaxBytes = Long.MAX_VALUE;
  private String outMaxConfigured = "unlimited";
  private Path flightJournal;
  private long flightMaxBytes;
  private long flightMaxAgeMillis;
  /** Flight mode on the journal with OTel exporters: how the start line names them; null: none. */
  private String flightDumpsSentTo;

  ExportLoopBuilder() {}

  /** The resource of every span. */
  public ExportLoopBuilder resource(Resource resource) {
    return resource(() -> resource);
  }

  /**
   * The resource of every span, asked for when the first span is built (a journal-only recording
   * builds none in its process: the SDK's Resource need not be loaded).
   */
  public ExportLoopBuilder resource(Supplier<Resource> resource) {
    this.resource = resource;
    return this;
  }

  /** The instrumentation scope of every span. */
  public ExportLoopBuilder scope(InstrumentationScopeInfo scope) {
    this.scope = scope;
    return this;
  }

  /** The node ({@code service.instance.id}), salt of its span ids; required. */
  public ExportLoopBuilder nodeId(String nodeId) {
    this.nodeId = nodeId;
    return this;
  }

  /** Spans of one key within one window share a trace (racetrace.trace.window). */
  public ExportLoopBuilder traceWindowMillis(long millis) {
    this.traceWindowMillis = millis;
    return this;
  }

  /** The names of guarded operations. */
  public ExportLoopBuilder ops(OpNames ops) {
    this.ops = ops;
    return this;
  }

  /** racetrace.rules, checked on the spans. */
  public ExportLoopBuilder rules(List<OrderingRule> rules) {
    this.rules = rules;
    return this;
  }

  /** Where spans are exported. */
  public ExportLoopBuilder exporters(List<SpanExporter> exporters) {
    this.exporters = exporters;
    return this;
  }

  /** The agent's counters, for the exit summary; fresh ones if not set. */
  public ExportLoopBuilder counters(Counters counters) {
    this.counters = counters;
    return this;
  }

  /** The pause between passes while the rings are nearly empty (racetrace.export.interval). */
  public ExportLoopBuilder intervalMillis(long millis) {
    this.intervalMillis = millis;
    return this;
  }

  /** How long an export may take before it counts as failed. */
  public ExportLoopBuilder exportTimeoutMillis(long millis) {
    this.exportTimeoutMillis = millis;
    return this;
  }

  /**
   * Flight-recorder mode.
   *
   * @param size spans retained; 0 for streaming mode
   * @param triggers automatic flight triggers (violation, timeout, shutdown)
   */
  public ExportLoopBuilder flight(int size, Set<String> triggers) {
    this.flightSize = size;
    this.flightTriggers = triggers;
    return this;
  }

  /** Bytes for the matching and assembly state (racetrace.memory.max). */
  public ExportLoopBuilder stateBytes(long bytes) {
    this.stateBytes = bytes;
    return this;
  }

  /** Flight mode: at most one dump per interval triggered by expired timed waits; 0: no limit. */
  public ExportLoopBuilder timeoutDumpIntervalMillis(long millis) {
    this.timeoutDumpIntervalMillis = millis;
    return this;
  }

  /**
   * Live export (streaming to an OTel exporter): the span assembly and export of the exporter
   * thread use at most {@code share} of one core (racetrace.export.cpu), shedding what matters
   * least when over it ({@link LiveExportBudget}). Not in flight mode. With the journal too, every
   * record is journaled whatever the budget ({@link LiveJournal}).
   */
  public ExportLoopBuilder liveCpu(double share) {
    this.liveCpu = true;
    this.liveCpuShare = share;
    return this;
  }

  /** Live export's warm-up in place of {@link LiveWarmup}'s (tests). */
  ExportLoopBuilder liveWarmUp(Runnable warmUp) {
    this.liveWarmUp = warmUp;
    return this;
  }

  /** As {@link #liveCpu(double)}, on the given clocks (tests). */
  ExportLoopBuilder liveCpu(double share, LongSupplier wallNanos, LongSupplier cpuNanos) {
    liveCpu(share);
    this.liveWallNanos = wallNanos;
    this.liveCpuNanos = cpuNanos;
    return this;
  }

  /**
   * Records go to a binary journal file instead of being assembled into spans here
   * ({@code racetrace.exporter=journal}), writing at most {@code outMaxBytes} (racetrace.out.max,
   * {@code configured} as the user wrote it).
   *
   * @param header the chunk header's entries (node, resource, config, rules)
   */
  public ExportLoopBuilder journalTo(Path file, Map<String, String> header, long outMaxBytes, String configured) {
    this.journalFile = file;
    this.journalHeader = header;
    this.outMaxBytes = outMaxBytes;
    this.outMaxConfigured = configured;
    return this;
  }

  /** The journal to {@code out}, which writes {@code file} (tests). */
  ExportLoopBuilder journalTo(JournalWriter.Output out, Path file, Map<String, String> header) {
    this.journalOut = out;
    this.journalFile = file;
    this.journalHeader = header;
    return this;
  }

  /**
   * Flight mode on the journal: records go to a ring of journal chunks in memory
   * ({@code maxBytes} = racetrace.flight.maxsize, {@code maxAgeMillis} = racetrace.flight.maxage),
   * written as {@code <journal name>-flight-<n>.rtj} on a trigger or dump request. Expired timed
   * waits are found on the records themselves ({@link FlightTriggers}); spans are assembled only
   * for the violation trigger when racetrace.rules are set (the rule checker works on them), and
   * let go at once. Ignored outside flight mode.
   */
  public ExportLoopBuilder flightJournalTo(Path journalPath, Map<String, String> header, long maxBytes,
      long maxAgeMillis, long outMaxBytes, String outMaxConfigured) {
    this.flightJournal = journalPath;
    this.journalHeader = header;
    this.flightMaxBytes = maxBytes;
    this.flightMaxAgeMillis = maxAgeMillis;
    this.outMaxBytes = outMaxBytes;
    this.outMaxConfigured = outMaxConfigured;
    return this;
  }

  /**
   * Flight mode on the journal with the OTel exporters given to {@link #exporters} (an OTLP endpoint
   * configured): each dump, once written, is also replayed into spans and sent to them
   * ({@link FlightDumpSender}); {@code where} names them in its lines. Ignored without exporters.
   */
  public ExportLoopBuilder flightDumpsSentTo(String where) {
    this.flightDumpsSentTo = where;
    return this;
  }

  /** The loop, its exporter thread not yet started. */
  public ExportLoop build() {
    Objects.requireNonNull(nodeId, "nodeId");
    Counters counters = this.counters != null ? this.counters : new Counters();
    StateLimits limits = StateLimits.of(stateBytes);
    Ids ids = new Ids(nodeId, traceWindowMillis);
    ThreadDirectory threads = new ThreadDirectory(limits.small);
    RingDrainer drainer = new RingDrainer(Recorder.registry(), threads, limits.small);
    // live export beside the journal: exports run on a sender thread, the exporter thread only drains
    // and assembles (a cold or slow exporter must not hold the drain that writes the journal)
    boolean liveWithJournal = liveCpu && flightSize <= 0 && journalFile != null;
    AtomicLong senderCpu = new AtomicLong();
    SpanSink sink = new SpanSink(liveWithJournal ? OffThreadExporter.each(exporters, senderCpu) : exporters,
        counters, exportTimeoutMillis, limits.spanBatch);
    FlightRecorder flight = flightSize > 0
        ? new FlightRecorder(flightSize, flightTriggers, sink::accept, ids, resource, scope) : null;
    StatsSpans stats = new StatsSpans(ids, resource, scope, counters, drainer::dropped);
    if (flight != null) {
      flight.limitTimeoutDumps(timeoutDumpIntervalMillis, System::nanoTime);
    }
    LiveExportBudget live = null;
    if (liveCpu && flight == null) {
      LongSupplier threadCpu = threadCpu();
      // the budget covers the exports on the sender thread too
      live = new LiveExportBudget(liveCpuShare, sink::accept, liveWallNanos,
          () -> threadCpu.getAsLong() + senderCpu.get());
    }
    JournalWriter journal = null;
    FlightJournalPath flightPath = null;
    FlightDumpSender dumpSender = null;
    if (flightJournal != null && flight != null) {
      JournalChunkRing ring = new JournalChunkRing(flightMaxBytes, flightMaxAgeMillis, System::nanoTime);
      FlightJournal fj = new FlightJournal(ring, flightJournal, journalHeader, counters, outMaxBytes,
          outMaxConfigured);
      // chunks of an eighth of the ring (the writer's minimum above that), so a dump keeps most of it
      journal = writer(ring, counters, (int) Math.min(JournalCycle.CHUNK_BYTES, flightMaxBytes / 8));
      flightPath = flightJournalPath(flight, fj, journal, limits, counters);
      if (flightDumpsSentTo != null && !exporters.isEmpty()) {
        dumpSender = new FlightDumpSender(exporters, flightDumpsSentTo, counters);
        fj.sendDumpsThrough(dumpSender);
      }
    } else if (journalFile != null) {
      journal = journal(counters);
    }
    boolean flightOnJournal = flightPath != null;
    CycleContext ctx = new CycleContext(limits.eventsPerCycle, TimeUnit.MILLISECONDS.toNanos(intervalMillis),
        drainer, sink, stats, flight, live, entry -> assembler(ids, new Naming(ops, limits.small), threads,
            counters, entry, limits, flightOnJournal));
    ctx.flightDumpSender(dumpSender);
    ExportCycle cycle;
    if (liveWithJournal) {
      cycle = new LiveJournalCycle(ctx, new LiveJournal(journal, drainer, live, ctx.order, ctx.maxEventsPerCycle,
          JournalCycle.FLUSH_NANOS), liveWarmUp != null ? liveWarmUp : standardLiveWarmUp(counters, limits, senderCpu));
      sink.neverWait(ctx.maxEventsPerCycle); // a stuck collector must not stop the drain that writes the journal
    } else if (journal != null) {
      cycle = new JournalCycle(ctx, journal, flightPath);
    } else {
      cycle = new SpanCycle(ctx, drainer::drain);
    }
    return new ExportLoop(ctx, counters, cycle, journal, flightOnJournal ? null : journalFile, flightPath);
  }

  /** A span assembler with this loop's resource, scope, rules and clock, the rest as given. */
  private SpanAssembler assembler(Ids ids, Naming naming, ThreadDirectory threads, Counters counters,
      Consumer<SpanData> out, StateLimits limits, boolean checkOnly) {
    return new SpanAssembler(resource.get(), scope, ids, naming, threads, counters, out, System::nanoTime, rules,
        RuleChecker.ruleSettleNanos(intervalMillis), limits, checkOnly);
  }

  /** The live export's CPU of the calling thread (a test's clock where one was given). */
  private LongSupplier threadCpu() {
    return liveCpuNanos != null ? liveCpuNanos : LiveExportBudget.exporterThreadCpu();
  }

  /**
   * Live export's warm-up ({@link LiveWarmup}) with an assembler of its own (its counters, thread
   * names and ids are not the recording's); its CPU is live export's, charged to racetrace.export.cpu
   * as the sender threads' is.
   */
  private Runnable standardLiveWarmUp(Counters counters, StateLimits limits, AtomicLong otherThreadsCpu) {
    return () -> {
      LongSupplier cpu = threadCpu(); // read on the warm-up thread: its own CPU
      long before = cpu.getAsLong();
      try {
        LiveWarmup.run(assembler(new Ids(nodeId, traceWindowMillis), new Naming(ops, LiveWarmup.NO_SYMBOLS),
            new ThreadDirectory(limits.small), new Counters(), span -> { }, limits, false));
      } catch (Throwable t) { // on its own thread: it only leaves live assembly to warm up on real events
        counters.exporterErrors().incrementAndGet();
      } finally {
        otherThreadsCpu.addAndGet(cpu.getAsLong() - before);
      }
    };
  }

  /** The journal file's writer, its chunks no larger than a part of racetrace.out.max where it allows. */
  private JournalWriter journal(Counters counters) {
    if (journalOut != null) {
      return writer(journalOut, counters, JournalCycle.CHUNK_BYTES);
    }
    // chunks no larger than a part where the writer allows, so that parts hold several
    int chunkBytes = (int) Math.min(JournalCycle.CHUNK_BYTES, outMaxBytes / OutBudget.PARTS);
    return writer(new JournalFile(journalFile, OutBudget.forJournal(outMaxBytes, outMaxConfigured, counters,
        journalFile), counters, outMaxConfigured), counters, chunkBytes);
  }

  private JournalWriter writer(JournalWriter.Output out, Counters counters, int chunkBytes) {
    return new JournalWriter(out, new Naming(ops), journalHeader, chunkBytes, counters.exportFailures(),
        counters.outRotatedEvents());
  }

  /** Flight mode on the journal: the flight recorder dumps {@code fj}, the drain's records go to {@code w}. */
  private FlightJournalPath flightJournalPath(FlightRecorder flight, FlightJournal fj, JournalWriter w,
      StateLimits limits, Counters counters) {
    boolean timeoutTrigger = flightTriggers.contains("timeout");
    // whether a trigger needs assembled spans: violation with rules (the rule checker works on spans)
    boolean triggersNeedSpans = flightTriggers.contains("violation") && !rules.isEmpty();
    fj.writer(w);
    flight.dumpTo(fj);
    if (timeoutTrigger) {
      flight.timeoutsFromRecords();
    }
    return new FlightJournalPath(fj, w, flight, timeoutTrigger, triggersNeedSpans, new Naming(ops, limits.small),
        limits.threads, counters.droppedState());
  }
}
