package dev.racetrace.agent.export;

import dev.racetrace.agent.export.assemble.SpanAssembler;
import dev.racetrace.agent.export.flight.FlightDumpSender;
import dev.racetrace.agent.export.flight.FlightRecorder;
import dev.racetrace.agent.export.journal.JournalWriter;
import dev.racetrace.agent.export.sink.SpanSink;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.internal.Log;
import dev.racetrace.agent.internal.ShutdownHooks;
import dev.racetrace.core.Clock;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.task.TaskRuns;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The exporter's last work at JVM exit: drain while the application's shutdown hooks run and until
 * the rings stay quiet, close the journal, then assemble what is open, export, flush and shut the
 * exporters down, never past the deadline {@link ExportLoop#shutdown} set. A class of its own
 * because the order of these steps and their deadlines are what the exit summary relies on.
 */
final class ExitDrain {
  /** Slack after the deadline for the exporter thread to hand back its last results. */
  static final long JOIN_GRACE_MILLIS = 200;
  /**
   * At exit, rings empty this long means other shutdown hooks have stopped recording (or never did),
   * where the JDK's hook registry cannot be read.
   */
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /**
   * Where it can be read, the registry says when the other hooks have ended; the rings need only
   * stay empty long enough for the JDK to start the hooks after racetrace's own (it starts them one
   * after another) and for a write in flight to publish. Every JVM exit waits this long.
   */
  private static final long QUIET_NANOS_HOOKS_KNOWN = TimeUnit.MILLISECONDS.toNanos(10);

  private final CycleContext ctx;
  private final Counters counters;
  /** What the drain parks on, as seen in thread dumps: the export loop. */
  private final Object blocker;
  private volatile boolean finishedPastDeadline;
  private volatile long drainUntil = Long.MAX_VALUE;
  /** The application's shutdown hooks: the exit drain goes on while they run. */
  private volatile ShutdownHooks shutdownHooks = ShutdownHooks.unknown();
  /** The thread that called {@link ExportLoop#shutdown} (racetrace's own hook), not waited for. */
  private volatile Thread shutdownCaller;

  ExitDrain(CycleContext ctx, Counters counters, Object blocker) {
    this.ctx = ctx;
    this.counters = counters;
    this.blocker = blocker;
  }

  /** Lets the drain wait for the application's other shutdown hooks (until the deadline). */
  void watch(ShutdownHooks hooks) {
    this.shutdownHooks = hooks;
  }

  /**
   * Called by the thread that shuts down: it is not waited for, and the drain stops early enough to
   * leave the last steps (assemble open work, export, flush, exporter shutdown) a quarter of the
   * budget, at most a second.
   */
  void begin(long deadline, long timeoutMillis) {
    shutdownCaller = Thread.currentThread();
    drainUntil = deadline - Math.min(TimeUnit.MILLISECONDS.toNanos(timeoutMillis) / 4, TimeUnit.SECONDS.toNanos(1));
  }

  /** Whether the sink had passed its deadline when {@link #finish} ended. */
  boolean finishedPastDeadline() {
    return finishedPastDeadline;
  }

  /**
   * Drains with {@code cycle}, closes {@code journal} (if any), flushes and shuts the sink down.
   *
   * @param stopItself what an Error here does: racetrace stops itself
   */
  void finish(ExportCycle cycle, JournalWriter journal, Consumer<Error> stopItself) {
    SpanSink sink = ctx.sink;
    try {
      cycle.exiting();
      drain(cycle);
      if (journal != null) {
        // closed before the spans are settled: a backend's wait never costs the journal its end
        journal.endRecording(System.nanoTime(), Clock.now(), ctx.drainer.dropped(), Recorder.internalErrors(),
            TaskRuns.lostLinks());
        journal.close();
      }
      sink.waitFromNowOn(); // what is held goes live now, as far as the deadline allows
      ctx.releaseHeld();
      SpanAssembler assembler = ctx.assemblerIfCreated();
      if (assembler != null) {
        assembler.flushAll();
      }
      FlightRecorder flight = ctx.flight();
      if (flight != null) {
        flight.shutdown();
      }
      FlightDumpSender dumps = ctx.flightDumpSender();
      if (dumps != null && !dumps.awaitSent(sink.deadline())) {
        Log.get().info("racetrace: flight dumps not sent to the OTel exporters before racetrace.shutdown.timeout; "
            + "they are in their files");
      }
      sink.settleAll(); // the final counts include every batch confirmed by now
      ctx.stats.emit(counters.exportedSpans().get() > 0, sink::accept); // about the agent: never retained
      sink.shutdown();
    } catch (Error e) {
      stopItself.accept(e);
    } catch (Throwable t) {
      counters.exporterErrors().incrementAndGet();
      Log.get().warn("exporter", "exporter error during shutdown", t);
    } finally {
      finishedPastDeadline = sink.pastDeadline();
    }
  }

  /**
   * Keeps draining while other shutdown hooks still run (a server stopping its pools), then until
   * the rings have stayed empty for a moment; never past the deadline.
   */
  private void drain(ExportCycle cycle) {
    long quiet = shutdownHooks.known() ? QUIET_NANOS_HOOKS_KNOWN : QUIET_NANOS;
    long quietSince = -1;
    while (System.nanoTime() - drainUntil < 0) {
      if (ctx.drainer.hasBacklog()) {
        ctx.resolveAppSpans(); // as before every pass of the loop
        cycle.pass();
        quietSince = -1;
      } else if (shutdownHooks.othersRunning(shutdownCaller)) {
        quietSince = -1;
        LockSupport.parkNanos(blocker, TimeUnit.MILLISECONDS.toNanos(5));
      } else if (quietSince < 0) {
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince >= quiet) {
        break;
      } else {
        LockSupport.parkNanos(blocker, TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
  }
}
