package dev.racetrace.agent.export;

import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.internal.Log;
import dev.racetrace.core.Recorder;
import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The exporter thread: every interval it drains the rings, assembles spans in seq order and
 * exports them. On JVM exit it drains until empty (bounded by the shutdown timeout) and flushes.
 */
public final class ExportLoop implements Runnable {
  /**
   * Events handled per cycle before the rings are drained again: small enough that a burst
   * cannot hold the exporter in encoding long enough for a default-sized ring to overflow, and
   * within racetrace.memory.max ({@link StateLimits#eventsPerCycle}).
   */
  private final int maxEventsPerCycle;

  /** Events of a cut-short drain waiting for their predecessors; bounded at two cycles' worth. */
  private final InOrderRelease order;

  private final RingDrainer drainer;
  /**
   * Created when first needed ({@link #assembler()}): never in journal modes that build no span here
   * (the journal alone; flight mode on the journal unless a rule violation trigger needs it). Null
   * before that and once racetrace stopped itself after an Error: its state is let go.
   */
  private SpanAssembler assembler;
  private final java.util.function.Supplier<SpanAssembler> newAssembler;
  /** The converter of racetrace.otel.link, handed to the assembler when it is created. */
  private java.util.function.Function<Object, io.opentelemetry.api.trace.SpanContext> appSpanConverter;
  private final SpanSink sink;
  private final Counters counters;
  private final long intervalNanos;
  private final Thread thread;
  private FlightRecorder flight;
  private final java.util.function.Consumer<io.opentelemetry.sdk.trace.data.SpanData> entry;
  private final OpNames ops;
  /**
   * The journal: alone (racetrace.exporter=journal, no spans built in this process), or next to live
   * export ({@link LiveJournal}).
   */
  private JournalWriter journal;
  private long journaledRecords;
  private volatile String requestedDump;
  private volatile boolean running = true;
  /** The racetrace.stats spans: what was lost or failed, when it changed. */
  private final StatsSpans stats;

  /**
   * @param nodeId the node ({@code service.instance.id}), salt of its span ids
   * @param traceWindowMillis spans of one key within one window share a trace
   */
  /**
   * @param flightSize spans retained in flight-recorder mode; 0 for streaming mode
   * @param flightTriggers automatic flight triggers (violation, timeout, shutdown)
   */
  public ExportLoop(Resource resource, InstrumentationScopeInfo scope, String nodeId,
      long traceWindowMillis, OpNames ops, List<OrderingRule> rules,
      List<io.opentelemetry.sdk.trace.export.SpanExporter> exporters,
      Counters counters, long intervalMillis, long exportTimeoutMillis, int flightSize,
      java.util.Set<String> flightTriggers, long stateBytes) {
    StateLimits limits = StateLimits.of(stateBytes);
    this.maxEventsPerCycle = limits.eventsPerCycle;
    this.order = new InOrderRelease(2 * maxEventsPerCycle);
    Ids ids = new Ids(nodeId, traceWindowMillis);
    ThreadDirectory threads = new ThreadDirectory(limits.small);
    this.drainer = new RingDrainer(Recorder.registry(), threads, limits.small);
    this.sink = new SpanSink(exporters, counters, exportTimeoutMillis, limits.spanBatch);
    this.flight = flightSize > 0
        ? new FlightRecorder(flightSize, flightTriggers, sink::accept, ids, resource, scope) : null;
    this.flightTriggersNeedSpans = flightTriggers.contains("violation") && !rules.isEmpty();
    this.flightTimeoutTrigger = flightTriggers.contains("timeout");
    this.limits = limits;
    this.entry = flight != null ? flight : this::toSink;
    this.newAssembler = () -> new SpanAssembler(resource, scope, ids, new Naming(ops, limits.small), threads,
        counters, entry, System::nanoTime, rules, ruleSettleNanos(intervalMillis), limits, flightPath != null);
    this.ops = ops;
    this.counters = counters;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    this.stats = new StatsSpans(ids, resource, scope, counters, drainer::dropped);
    this.thread = new Thread(this, "racetrace-exporter");
    this.thread.setDaemon(true);
  }

  /** How long the rule checker holds work for late events: a few export intervals, at least 200 ms. */
  static long ruleSettleNanos(long intervalMillis) {
    return Math.max(200_000_000L, 3 * intervalMillis * 1_000_000L);
  }

  /** Starts the exporter thread; {@code first} runs on it before the first cycle (off the start-up path). */
  public void start(Runnable first) {
    this.first = first;
    thread.start();
  }

  private volatile Runnable first;

  /**
   * Compiles the journal's copy path before the first pass ({@link JournalWarmup}); a failure only
   * leaves it to warm up on real records, as before.
   */
  private void warmUpJournal() {
    try {
      JournalWarmup.run();
    } catch (RuntimeException e) {
      counters.exporterErrors().incrementAndGet();
    }
  }

  @Override
  public void run() {
    Runnable f = first;
    if (f != null) {
      try {
        f.run();
      } catch (Error e) {
        stopItself(e);
        return;
      } catch (Throwable t) {
        counters.exporterErrors().incrementAndGet();
      }
    }
    drainer.wakeOnHalfFull(thread); // a ring passing half full cuts the pause short
    if (journal != null) {
      warmUpJournal();
    }
    while (running) {
      boolean full;
      try {
        full = cycle();
      } catch (Error e) {
        stopItself(e);
        return;
      } catch (Throwable t) {
        full = false;
        counters.exporterErrors().incrementAndGet();
        Log.get().warn("exporter", "exporter error; recording continues", t);
      }
      long pause = full ? 0 : pauseNanos();
      long rest = 0;
      if (live != null && liveJournal == null) {
        rest = live.pauseNanos(); // over racetrace.export.cpu: rest, the rings drop
        pause = Math.max(pause, rest);
      }
      if (pause > 0 && running) {
        long start = System.nanoTime();
        LockSupport.parkNanos(this, pause);
        // a ring's wake does not cut the budget's rest short; shutdown (running false) does
        for (long left; rest > 0 && running && (left = rest - (System.nanoTime() - start)) > 0; ) {
          LockSupport.parkNanos(this, left);
        }
      }
    }
    finish();
  }

  /**
   * How long to wait before the next pass: the configured interval while the rings are nearly
   * empty, less as they fill, none when one is an eighth full (a default ring fills in tens of
   * milliseconds at 100k events/s, well within one interval).
   */
  private long pauseNanos() {
    if (liveJournal != null && liveJournal.assembling()) {
      return Math.min(journalPauseNanos(), spanPauseNanos());
    }
    if (journal != null) {
      return journalPauseNanos();
    }
    return spanPauseNanos();
  }

  private long spanPauseNanos() {
    double fill = drainer.maxFill();
    if (fill >= 0.125) {
      return 0;
    }
    return fill > 0 ? Math.min(intervalNanos, 2_000_000L) : intervalNanos;
  }

  /**
   * Links spans to the application's own OTel spans (racetrace.otel.link): {@code resolver} runs at
   * every cycle until the application's API is usable; {@code converter} reads its span contexts.
   * Call before {@link #start}.
   */
  public void linkAppSpans(Runnable resolver, java.util.function.Function<Object, io.opentelemetry.api.trace.SpanContext> converter) {
    this.appSpanResolver = resolver;
    this.appSpanConverter = converter;
    if (assembler != null) {
      assembler.linkAppSpans(converter);
    }
  }

  /** The span assembler, created at its first use. */
  private SpanAssembler assembler() {
    SpanAssembler a = assembler;
    if (a == null) {
      if (stoppedBy != null) {
        throw new IllegalStateException("racetrace stopped itself");
      }
      a = newAssembler.get();
      if (appSpanConverter != null) {
        a.linkAppSpans(appSpanConverter);
      }
      assembler = a;
      assemblersCreated++;
    }
    return a;
  }

  private int assemblersCreated;

  /** Flight mode on the journal: spans assembled and checked for a trigger (visible for testing). */
  long flightCheckedSpans() {
    FlightRecorder f = flight;
    return f != null ? f.checkedSpans() : 0;
  }

  /** Span assemblers this loop created: 0 in flight mode on the journal without rules (visible for testing). */
  int assemblersCreated() {
    return assemblersCreated;
  }

  private Runnable appSpanResolver;

  /** Records per pass to the journal: copying is cheap, so the rings are emptied in larger bites. */
  static final int MAX_JOURNAL_RECORDS_PER_CYCLE = 65_536;
  /** A chunk waits at most this long before it is written (what a kill -9 can lose). */
  static final long JOURNAL_FLUSH_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Journal chunk size. */
  static final int JOURNAL_CHUNK_BYTES = 1 << 20;

  /**
   * Records go to a binary journal file instead of being assembled into spans here
   * ({@code racetrace.exporter=journal}). Call before {@link #start}.
   *
   * @param header the chunk header's entries (node, resource, config, rules)
   */
  public void journalTo(java.nio.file.Path file, java.util.Map<String, String> header) {
    journalTo(file, header, Long.MAX_VALUE, "unlimited");
  }

  /**
   * As {@link #journalTo(java.nio.file.Path, java.util.Map)}, writing at most {@code outMaxBytes}
   * (racetrace.out.max, {@code configured} as the user wrote it).
   */
  public void journalTo(java.nio.file.Path file, java.util.Map<String, String> header, long outMaxBytes,
      String configured) {
    // chunks no larger than a part where the writer allows, so that parts hold several
    int chunkBytes = (int) Math.min(JOURNAL_CHUNK_BYTES, outMaxBytes / OutBudget.PARTS);
    journalTo(new JournalFile(file, OutBudget.forJournal(outMaxBytes, configured, counters, file), counters,
        configured), file, header, chunkBytes);
  }

  /** The journal to {@code out}, which writes {@code file}. @return its writer (tests) */
  JournalWriter journalTo(JournalWriter.Output out, java.nio.file.Path file, java.util.Map<String, String> header) {
    return journalTo(out, file, header, JOURNAL_CHUNK_BYTES);
  }

  private JournalWriter journalTo(JournalWriter.Output out, java.nio.file.Path file,
      java.util.Map<String, String> header, int chunkBytes) {
    this.journalFile = file;
    this.journal = new JournalWriter(out, new Naming(ops), header, chunkBytes, counters.exportFailures(),
        counters.outRotatedEvents());
    pairLiveWithJournal();
    return journal;
  }

  // ------------------------------------------------------------ flight mode on the journal

  /** Flight mode on the journal: where the drain's records go (triggers, tee, chunk ring); null otherwise. */
  private FlightJournalPath flightPath;
  /** Whether a flight trigger needs assembled spans: violation with rules (the rule checker works on spans). */
  private final boolean flightTriggersNeedSpans;
  private final boolean flightTimeoutTrigger;
  private final StateLimits limits;

  /**
   * Flight mode on the journal: records go to a ring of journal chunks in memory
   * ({@code maxBytes} = racetrace.flight.maxsize, {@code maxAgeMillis} = racetrace.flight.maxage),
   * written as {@code <journal name>-flight-<n>.rtj} on a trigger or dump request. Expired timed
   * waits are found on the records themselves ({@link FlightTriggers}); spans are assembled only
   * for the violation trigger when racetrace.rules are set (the rule checker works on them), and
   * let go at once. No-op outside flight mode. Call before {@link #start}.
   */
  public void flightJournalTo(java.nio.file.Path journalPath, java.util.Map<String, String> header, long maxBytes,
      long maxAgeMillis, long outMaxBytes, String outMaxConfigured) {
    if (flight == null) {
      return;
    }
    JournalChunkRing ring = new JournalChunkRing(maxBytes, maxAgeMillis, System::nanoTime);
    FlightJournal fj = new FlightJournal(ring, journalPath, header, counters, outMaxBytes, outMaxConfigured);
    // chunks of an eighth of the ring (the writer's minimum above that), so a dump keeps most of it
    JournalWriter w = journalTo(ring, null, header, (int) Math.min(JOURNAL_CHUNK_BYTES, maxBytes / 8));
    fj.writer(w);
    flight.dumpTo(fj);
    if (flightTimeoutTrigger) {
      flight.timeoutsFromRecords();
    }
    this.flightPath = new FlightJournalPath(fj, w, flight, flightTimeoutTrigger, flightTriggersNeedSpans,
        new Naming(ops, limits.small), limits.threads, counters.droppedState());
  }

  /** Flight mode on the journal: the trigger check on this pass's records, then a dump if due. */
  private void flightJournalPass(List<Long> ended) {
    List<Event> events = flightPath.endPass(ended);
    if (events != null) {
      List<Long> endedNow = new ArrayList<>();
      assemble(order.release(events, drainer.watermark(), ended, endedNow), endedNow);
      assembler().expire();
    }
    dumpIfDue();
  }

  /** Flight mode on the journal: the dumps written, for the exit line; null in any other mode. */
  public String flightJournalSummary() {
    FlightJournalPath path = flightPath;
    return path != null ? path.summary() : null;
  }

  /** Idle journal passes: short enough that a default ring (4096) absorbs 400k events/s per thread. */
  private static final long JOURNAL_IDLE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** Journal passes while records keep coming: a pass costs microseconds, so it keeps the rings near empty. */
  private static final long JOURNAL_BUSY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private int lastJournalRecords;

  /**
   * The journal copies a record in well under a microsecond, so unlike span assembly it can afford
   * to wake often: waiting the whole export interval would let a burst overflow a default ring.
   */
  private long journalPauseNanos() {
    if (lastJournalRecords > 0 || drainer.maxFill() > 0) {
      return Math.min(intervalNanos, JOURNAL_BUSY_PAUSE_NANOS);
    }
    return Math.min(intervalNanos, JOURNAL_IDLE_PAUSE_NANOS);
  }

  /** One journal pass. @return true if it stopped at the per-cycle limit */
  private boolean journalCycle() {
    List<Long> ended = new ArrayList<>();
    journal.beginBatch(System.nanoTime(), dev.racetrace.core.Clock.now(), drainer.dropped(),
        Recorder.internalErrors(), dev.racetrace.core.task.TaskRuns.lostLinks());
    // with the flight trigger check, a pass's decoded events stay within racetrace.memory.max
    FlightJournalPath path = flightPath;
    int max = path != null && path.decodes() ? maxEventsPerCycle : MAX_JOURNAL_RECORDS_PER_CYCLE;
    int n = drainer.drainTo(path != null ? path.sink() : journal, max, ended);
    journal.watermark(drainer.watermark()); // replay holds what may precede records left in rings
    for (Long id : ended) {
      journal.threadEnded(id);
    }
    if (path != null) {
      flightJournalPass(ended);
    }
    journaledRecords += n;
    lastJournalRecords = n;
    journal.flushIfOlder(System.nanoTime(), JOURNAL_FLUSH_NANOS);
    return n >= max;
  }

  /** racetrace.export.cpu, when spans go live to an OTel exporter; null: not limited. */
  private LiveExportBudget live;

  /**
   * Live export (streaming to an OTel exporter): the span assembly and export of this thread use at
   * most {@code share} of one core (racetrace.export.cpu), shedding what matters least when over it
   * ({@link LiveExportBudget}). Not in flight mode. With the journal too ({@link #journalTo}), every
   * record is journaled whatever the budget ({@link LiveJournal}). Call before {@link #start}.
   */
  public void limitLiveCpu(double share) {
    if (flight == null) {
      this.live = LiveExportBudget.of(share, sink::accept);
      pairLiveWithJournal();
    }
  }

  /** As {@link #limitLiveCpu(double)}, on the given clocks (tests). */
  void limitLiveCpu(double share, java.util.function.LongSupplier wallNanos, java.util.function.LongSupplier cpuNanos) {
    if (flight == null) {
      this.live = new LiveExportBudget(share, sink::accept, wallNanos, cpuNanos);
      pairLiveWithJournal();
    }
  }

  /** Live export and the journal both: every record to the journal, to the assembler within the budget. */
  private LiveJournal liveJournal;

  private void pairLiveWithJournal() {
    if (live != null && journal != null && liveJournal == null) {
      liveJournal = new LiveJournal(journal, drainer, live, order, maxEventsPerCycle, JOURNAL_FLUSH_NANOS);
      sink.neverWait(maxEventsPerCycle); // a stuck collector must not stop the drain that writes the journal
    }
  }

  /** Spans not sent live because the backend had not answered the batches in flight (journal beside). */
  public long notSentSpans() {
    return sink.notSentSpans();
  }

  /**
   * A pass with live export and the journal: within racetrace.export.cpu the rings are drained once
   * for both and the spans assembled; over it the assembler rests and the pass is the journal's.
   */
  private boolean liveJournalCycle() {
    long before = liveJournal.records();
    try {
      if (!liveJournal.assembling() || sink.backendBusy()) {
        // over the CPU share, or the backend has not answered: the journal's pass only
        return liveJournal.rest(MAX_JOURNAL_RECORDS_PER_CYCLE);
      }
      live.beginCycle();
      try {
        return spanCycle();
      } finally {
        live.endCycle();
      }
    } finally {
      lastJournalRecords = (int) (liveJournal.records() - before);
    }
  }

  /** Events journaled but not assembled because of racetrace.export.cpu (0 without live export and journal). */
  public long notAssembledEvents() {
    return liveJournal != null ? liveJournal.notAssembled() : notAssembledAtStop;
  }

  private long notAssembledAtStop;

  /** Spans not exported live because of racetrace.export.cpu (0 when not limited). */
  public long shedSpans() {
    return live != null ? live.shedSpans() : 0;
  }

  /**
   * The share of one core the live export used from the start until the JVM began to exit (the
   * drain at exit, bounded by racetrace.shutdown.timeout, not included), or -1 when not limited.
   */
  public double liveCpuShare() {
    return live == null ? -1 : liveShareAtExit >= 0 ? liveShareAtExit : live.usedShare();
  }

  private volatile double liveShareAtExit = -1;

  private void toSink(io.opentelemetry.sdk.trace.data.SpanData span) {
    if (live != null) {
      live.accept(span);
    } else {
      sink.accept(span);
    }
  }

  /** One pass. @return true if it stopped at the per-cycle limit (more is waiting) */
  private boolean cycle() {
    if (liveJournal != null) {
      return liveJournalCycle();
    }
    if (journal != null) {
      return journalCycle();
    }
    if (live == null) {
      return spanCycle();
    }
    live.beginCycle();
    try {
      return spanCycle();
    } finally {
      live.endCycle();
    }
  }

  private boolean spanCycle() {
    if (appSpanResolver != null) {
      appSpanResolver.run();
    }
    List<Long> ended = new ArrayList<>();
    List<Event> events = liveJournal != null ? liveJournal.drain(maxEventsPerCycle, ended)
        : drainer.drain(maxEventsPerCycle, ended);
    long watermark = drainer.watermark();
    List<Long> endedNow = new ArrayList<>();
    assemble(order.release(events, watermark, ended, endedNow), endedNow);
    assembler().expire();
    stats.emit(false, entry);
    dumpIfDue();
    sink.flush();
    return drainer.cutShort();
  }

  /** Flight mode: a requested dump, then one a trigger asked for. */
  private void dumpIfDue() {
    if (flight != null) {
      String requested = requestedDump;
      if (requested != null) {
        requestedDump = null;
        flight.dump(requested);
      }
      flight.dumpIfTriggered();
    }
  }

  /** Assembles released events in seq order, then the ends of threads with nothing held. */
  private void assemble(List<Event> events, List<Long> endedNow) {
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
  private void releaseHeld() {
    List<Long> endedNow = new ArrayList<>();
    assemble(order.release(new ArrayList<>(), Long.MAX_VALUE, new ArrayList<>(), endedNow), endedNow);
  }

  /** Flight mode: at most one dump per interval triggered by expired timed waits; call before start. */
  public void limitTimeoutDumps(long intervalMillis) {
    if (flight != null) {
      flight.limitTimeoutDumps(intervalMillis, System::nanoTime);
    }
  }

  /**
   * Stops recording's export and flushes everything recorded so far, all of it (drain, batches in
   * flight, flush, exporter shutdown) within {@code timeoutMillis}: the exporter thread does the
   * work, bounded by the deadline; the caller (the shutdown hook) waits for it at most until then.
   */
  public ShutdownReport shutdown(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    if (live != null) {
      liveShareAtExit = live.usedShare();
    }
    long lostBefore = sink.lostSpans();
    shutdownCaller = Thread.currentThread();
    // the drain stops early enough to leave the last steps (assemble open work, export, flush,
    // exporter shutdown) a quarter of the budget, at most a second
    drainUntil = deadline - Math.min(TimeUnit.MILLISECONDS.toNanos(timeoutMillis) / 4, TimeUnit.SECONDS.toNanos(1));
    sink.shutdownBy(deadline);
    running = false;
    if (thread.isAlive() || thread.getState() != Thread.State.NEW) {
      LockSupport.unpark(thread);
      try {
        long waitMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + JOIN_GRACE_MILLIS;
        thread.join(Math.max(1, waitMillis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      finish(); // never started: flush on this thread
    }
    boolean stuck = thread.isAlive();
    long events = drainer.backlog();
    long spans = sink.lostSpans() - lostBefore + sink.unsettledSpans();
    boolean timedOut = stuck || (finishedPastDeadline && events + spans > 0);
    return new ShutdownReport(timedOut, events, spans);
  }

  /** Slack after the deadline for the exporter thread to hand back its last results. */
  private static final long JOIN_GRACE_MILLIS = 200;
  /** At exit, rings empty this long means other shutdown hooks have stopped recording (or never did). */
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private volatile boolean finishedPastDeadline;
  private volatile long drainUntil = Long.MAX_VALUE;
  /** The application's shutdown hooks: the exit drain goes on while they run. */
  private volatile dev.racetrace.agent.internal.ShutdownHooks shutdownHooks =
      dev.racetrace.agent.internal.ShutdownHooks.unknown();
  /** The thread that called {@link #shutdown} (racetrace's own hook), not waited for. */
  private volatile Thread shutdownCaller;

  /** Lets the exit drain wait for the application's other shutdown hooks (until the deadline). */
  public void watchShutdownHooks(dev.racetrace.agent.internal.ShutdownHooks hooks) {
    this.shutdownHooks = hooks;
  }

  /**
   * An {@code Error} (an {@code OutOfMemoryError} above all) in racetrace's exporter: racetrace
   * stops for good, never the application. Recording stops (the hooks only delegate), the rings,
   * the assembly state and the spans not yet exported are let go so the application can use that
   * heap, and one line says so; the counts so far are kept for the exit summary. The journal
   * writes what it holds as a last whole chunk, if it can, and is closed and let go (its chunk
   * buffer with it).
   */
  private void stopItself(Error error) {
    running = false;
    stoppedBy = error;
    try {
      releaseRecorder.run();
      assembler = null;
      order.discard();
      flight = null;
      flightPath = null; // its chunk ring goes with the journal below
      sink.discardPending();
    } catch (Throwable again) {
      // letting go allocates nothing; whatever failed, the references above are what matter
    }
    try {
      counters.exporterErrors().incrementAndGet();
      Log.get().info("racetrace: stopped itself after " + Log.oneLine(String.valueOf(error))
          + " in its exporter thread; recording is off, its memory released, the application goes on; "
          + "exported " + counters.exportedSpans().get() + " spans before");
    } catch (Throwable again) {
      // no line (the heap is still exhausted): the exit summary says it
    }
    try {
      sink.shutdown(); // closes the exporters' files and connections
    } catch (Throwable again) {
      counters.exporterErrors().incrementAndGet();
    }
    JournalWriter j = journal;
    journal = null;
    LiveJournal lj = liveJournal;
    liveJournal = null; // it holds the journal too
    if (lj != null) {
      journaledRecords += lj.records();
      notAssembledAtStop = lj.notAssembled();
    }
    if (j != null) {
      try {
        j.close(); // the buffered records as one whole chunk, then the file; a failure leaves the file readable
      } catch (Throwable again) {
        counters.exporterErrors().incrementAndGet();
      }
    }
  }

  private volatile Error stoppedBy;

  /**
   * What stopping itself does to the process-wide recorder: {@link Recorder#release()}, which is
   * final; tests in a shared JVM replace it so that later tests still record.
   */
  Runnable releaseRecorder = Recorder::release;

  /** The Error that stopped racetrace, or null while it runs normally. */
  public Error stoppedBy() {
    return stoppedBy;
  }

  /** The exporter thread's last work: drain, flush, shut the exporters down; never past the deadline. */
  private void finish() {
    if (stoppedBy != null) {
      return;
    }
    try {
      // keep draining while other shutdown hooks still run (a server stopping its pools), then until
      // the rings have stayed empty for a moment; never past the deadline
      long quietSince = -1;
      while (System.nanoTime() - drainUntil < 0) {
        if (drainer.hasBacklog()) {
          cycle();
          quietSince = -1;
        } else if (shutdownHooks.othersRunning(shutdownCaller)) {
          quietSince = -1;
          LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(5));
        } else if (quietSince < 0) {
          quietSince = System.nanoTime();
        } else if (System.nanoTime() - quietSince >= QUIET_NANOS) {
          break;
        } else {
          LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(5));
        }
      }
      if (journal != null) {
        // closed before the spans are settled: a backend's wait never costs the journal its end
        journal.endRecording(System.nanoTime(), dev.racetrace.core.Clock.now(), drainer.dropped(),
            Recorder.internalErrors(), dev.racetrace.core.task.TaskRuns.lostLinks());
        journal.close();
      }
      sink.waitFromNowOn(); // what is held goes live now, as far as the deadline allows
      releaseHeld();
      if (assembler != null) {
        assembler.flushAll();
      }
      if (flight != null) {
        flight.shutdown();
      }
      sink.settleAll(); // the final counts include every batch confirmed by now
      stats.emit(counters.exportedSpans().get() > 0, sink::accept); // about the agent: never retained
      sink.shutdown();
    } catch (Error e) {
      stopItself(e);
    } catch (Throwable t) {
      counters.exporterErrors().incrementAndGet();
      Log.get().warn("exporter", "exporter error during shutdown", t);
    } finally {
      finishedPastDeadline = sink.pastDeadline();
    }
  }

  /** What shutdown achieved: whether it ran out of time, and what it could not export. */
  public static final class ShutdownReport {
    /** The deadline came before everything was exported. */
    public final boolean timedOut;
    /** Events still in the rings when racetrace stopped. */
    public final long lostEvents;
    /** Spans assembled but not confirmed by an exporter because the deadline came. */
    public final long lostSpans;

    ShutdownReport(boolean timedOut, long lostEvents, long lostSpans) {
      this.timedOut = timedOut;
      this.lostEvents = lostEvents;
      this.lostSpans = lostSpans;
    }
  }

  /**
   * Flight mode: asks the exporter thread to write the flight recording (the journal's chunk ring,
   * or the retained spans) at its next cycle.
   *
   * @return false in streaming mode (everything is exported anyway)
   */
  public boolean requestDump(String reason) {
    if (flight == null) {
      return false;
    }
    requestedDump = reason;
    LockSupport.unpark(thread);
    return true;
  }

  private java.nio.file.Path journalFile;

  /** The journal this loop writes, or null when it exports spans. */
  public java.nio.file.Path journalFile() {
    return journalFile;
  }

  /** Records written to the journal (0 when spans are exported instead). */
  public long journaledRecords() {
    return journaledRecords + (liveJournal != null ? liveJournal.records() : 0);
  }

  /** Events dropped because rings were full. */
  public long dropped() {
    return drainer.dropped();
  }
}
