package dev.racetrace.agent.export;

import dev.racetrace.agent.export.flight.FlightJournalPath;
import dev.racetrace.agent.export.flight.FlightRecorder;
import dev.racetrace.agent.export.journal.JournalWriter;
import dev.racetrace.agent.export.journal.LiveJournal;
import dev.racetrace.agent.export.sink.LiveExportBudget;
import dev.racetrace.agent.export.sink.SpanSink;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.internal.Log;
import dev.racetrace.agent.internal.ShutdownHooks;
import dev.racetrace.core.Recorder;
import io.opentelemetry.api.trace.SpanContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The exporter thread: every interval it runs one pass of its mode's {@link ExportCycle} (drain the
 * rings, then assemble spans in seq order and export them, or journal the records). On JVM exit it
 * drains until empty (bounded by the shutdown timeout) and flushes ({@link ExitDrain}). Built by
 * {@link #builder()}. Somewhat over 300 lines: a third is the exit summary's counts, and stopping
 * after an Error must let go of the loop's own references.
 */
public final class ExportLoop implements Runnable {
  private final CycleContext ctx;
  private final Counters counters;
  private final ExitDrain exit;
  private final Thread thread;
  /** This mode's pass; null once racetrace stopped itself (it may hold the journal). */
  private ExportCycle cycle;
  /** The journal: alone, next to live export ({@link LiveJournal}), or flight mode's chunk ring. */
  private JournalWriter journal;
  private final Path journalFile;
  /** Flight mode on the journal: where the drain's records go (triggers, tee, chunk ring); null otherwise. */
  private FlightJournalPath flightPath;
  private volatile Runnable first;
  private volatile boolean running = true;
  private volatile Error stoppedBy;
  private volatile double liveShareAtExit = -1;
  private long journaledAtStop;
  private long notAssembledAtStop;

  /**
   * What stopping itself does to the process-wide recorder: {@link Recorder#release()}, which is
   * final; tests in a shared JVM replace it so that later tests still record.
   */
  Runnable releaseRecorder = Recorder::release;

  ExportLoop(CycleContext ctx, Counters counters, ExportCycle cycle, JournalWriter journal, Path journalFile,
      FlightJournalPath flightPath) {
    this.ctx = ctx;
    this.counters = counters;
    this.cycle = cycle;
    this.journal = journal;
    this.journalFile = journalFile;
    this.flightPath = flightPath;
    this.exit = new ExitDrain(ctx, counters, this);
    this.thread = new Thread(this, "racetrace-exporter");
    this.thread.setDaemon(true);
  }

  /** A builder of the loop: its settings by name, and the export mode they select. */
  public static ExportLoopBuilder builder() {
    return new ExportLoopBuilder();
  }

  /** Starts the exporter thread; {@code first} runs on it before the first cycle (off the start-up path). */
  public void start(Runnable first) {
    this.first = first;
    thread.start();
  }

  /**
   * Links spans to the application's own OTel spans (racetrace.otel.link): {@code resolver} runs at
   * every cycle until the application's API is usable; {@code converter} reads its span contexts.
   * Call before {@link #start}.
   */
  public void linkAppSpans(Runnable resolver, Function<Object, SpanContext> converter) {
    ctx.linkAppSpans(resolver, converter);
    JournalWriter j = journal;
    if (j != null) {
      j.linkAppSpans(converter); // spans built from the journal link to the application's too
    }
  }

  /** Lets the exit drain wait for the application's other shutdown hooks (until the deadline). */
  public void watchShutdownHooks(ShutdownHooks hooks) {
    exit.watch(hooks);
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
    ctx.drainer.wakeOnHalfFull(thread); // a ring passing half full cuts the pause short
    warmUp();
    while (running) {
      boolean full;
      try {
        ctx.resolveAppSpans(); // racetrace.otel.link: before every pass, of any mode
        full = cycle.pass();
      } catch (Error e) {
        stopItself(e);
        return;
      } catch (Throwable t) {
        full = false;
        counters.exporterErrors().incrementAndGet();
        Log.get().warn("exporter", "exporter error; recording continues", t);
      }
      long pause = full ? 0 : cycle.pauseNanos();
      long rest = cycle.restNanos();
      pause = Math.max(pause, rest);
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
   * This mode's warm-up before the first pass ({@link ExportCycle#warmUp}: the journal's copy path,
   * live export's); a failure only leaves it to warm up on real records.
   */
  private void warmUp() {
    try {
      cycle.warmUp();
    } catch (RuntimeException e) {
      counters.exporterErrors().incrementAndGet();
    }
  }

  /**
   * Stops recording's export and flushes everything recorded so far, all of it (drain, batches in
   * flight, flush, exporter shutdown) within {@code timeoutMillis}: the exporter thread does the
   * work, bounded by the deadline; the caller (the shutdown hook) waits for it at most until then.
   */
  public ShutdownReport shutdown(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    if (ctx.live != null) {
      liveShareAtExit = ctx.live.usedShare();
    }
    SpanSink sink = ctx.sink;
    long lostBefore = sink.lostSpans();
    exit.begin(deadline, timeoutMillis);
    sink.shutdownBy(deadline);
    running = false;
    if (thread.isAlive() || thread.getState() != Thread.State.NEW) {
      LockSupport.unpark(thread);
      try {
        long waitMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + ExitDrain.JOIN_GRACE_MILLIS;
        thread.join(Math.max(1, waitMillis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      finish(); // never started: flush on this thread
    }
    boolean stuck = thread.isAlive();
    long events = ctx.drainer.backlog();
    long spans = sink.lostSpans() - lostBefore + sink.unsettledSpans();
    boolean timedOut = stuck || (exit.finishedPastDeadline() && events + spans > 0);
    return new ShutdownReport(timedOut, events, spans);
  }

  /** The exporter thread's last work: drain, flush, shut the exporters down; never past the deadline. */
  private void finish() {
    if (stoppedBy != null) {
      return;
    }
    exit.finish(cycle, journal, this::stopItself);
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
    ctx.stop();
    journaledAtStop = cycle.journaledRecords(); // the counts stay for the exit summary
    notAssembledAtStop = cycle.notAssembledEvents();
    try {
      flightSummaryAtStop = flightPath != null ? flightPath.summary() : null; // the dumps already written
    } catch (Throwable again) {
      // no summary (the heap is still exhausted): the exit line says the rest
    }
    cycle = null; // with the flight path or the live journal's held events; its journal is closed below
    try {
      releaseRecorder.run();
      ctx.letGo(); // the assembler, the events held, the flight recorder
      flightPath = null; // its chunk ring goes with the journal below
      ctx.sink.discardPending();
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
      ctx.sink.shutdown(); // closes the exporters' files and connections
    } catch (Throwable again) {
      counters.exporterErrors().incrementAndGet();
    }
    JournalWriter j = journal;
    journal = null;
    if (j != null) {
      try {
        j.close(); // the buffered records as one whole chunk, then the file; a failure leaves the file readable
      } catch (Throwable again) {
        counters.exporterErrors().incrementAndGet();
      }
    }
  }

  /** The Error that stopped racetrace, or null while it runs normally. */
  public Error stoppedBy() {
    return stoppedBy;
  }

  /**
   * Flight mode: asks the exporter thread to write the flight recording (the journal's chunk ring,
   * or the retained spans) at its next cycle.
   *
   * @return false in streaming mode (everything is exported anyway)
   */
  public boolean requestDump(String reason) {
    if (!ctx.requestDump(reason)) {
      return false;
    }
    LockSupport.unpark(thread);
    return true;
  }

  // ------------------------------------------------------------ counts for the exit summary and tests

  /** Events dropped because rings were full. */
  public long dropped() {
    return ctx.drainer.dropped();
  }

  /** The journal this loop writes, or null when it exports spans. */
  public Path journalFile() {
    return journalFile;
  }

  /** Records written to the journal (0 when spans are exported instead). */
  public long journaledRecords() {
    ExportCycle c = cycle;
    return c != null ? c.journaledRecords() : journaledAtStop;
  }

  /** Events journaled but not assembled because of racetrace.export.cpu (0 without live export and journal). */
  public long notAssembledEvents() {
    ExportCycle c = cycle;
    return c != null ? c.notAssembledEvents() : notAssembledAtStop;
  }

  /** Spans not exported live because of racetrace.export.cpu (0 when not limited). */
  public long shedSpans() {
    return ctx.live != null ? ctx.live.shedSpans() : 0;
  }

  /**
   * The share of one core the live export used from the start until the JVM began to exit (the
   * drain at exit, bounded by racetrace.shutdown.timeout, not included), or -1 when not limited.
   */
  public double liveCpuShare() {
    LiveExportBudget live = ctx.live;
    return live == null ? -1 : liveShareAtExit >= 0 ? liveShareAtExit : live.usedShare();
  }

  /** Spans not sent live because the backend had not answered the batches in flight (journal beside). */
  public long notSentSpans() {
    return ctx.sink.notSentSpans();
  }

  /** Flight mode on the journal: the dumps written, for the exit line; null in any other mode. */
  public String flightJournalSummary() {
    FlightJournalPath path = flightPath;
    return path != null ? path.summary() : flightSummaryAtStop;
  }

  /** The flight dumps written before racetrace stopped itself, or null. */
  private volatile String flightSummaryAtStop;

  /** Flight mode on the journal: spans assembled and checked for a trigger (visible for testing). */
  long flightCheckedSpans() {
    FlightRecorder f = ctx.flight();
    return f != null ? f.checkedSpans() : 0;
  }

  /** Span assemblers this loop created: 0 in flight mode on the journal without rules (visible for testing). */
  int assemblersCreated() {
    return ctx.assemblersCreated();
  }

  /** The journal's writer, or null (tests). */
  JournalWriter journal() {
    return journal;
  }

  /** This mode's pass, to run one without the thread (tests). */
  ExportCycle cycle() {
    return cycle;
  }
}
