package dev.racetrace.agent.export.flight;

import dev.racetrace.agent.export.journal.JournalExport;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.internal.Log;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Flight mode on the journal with OTel exporters configured (an OTLP endpoint): each dump, once
 * written, is replayed into spans and sent to them on a thread of its own
 * ({@code racetrace-flight-send}), so the exporter thread goes on draining the rings while a dump
 * of up to racetrace.flight.maxsize is assembled and sent, and no span is held in memory between
 * dumps. A dump that finds {@value #WAITING} dumps still waiting is not sent (it is in its file,
 * and one line says so). What went where is one line per dump.
 */
public final class FlightDumpSender {
  /** Dumps waiting to be sent, at most. */
  static final int WAITING = 4;
  private static final long IDLE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final SpanExporter exporter;
  private final String where;
  private final Counters counters;
  private final BlockingQueue<Path> queue = new ArrayBlockingQueue<>(WAITING);
  /** Dumps handed over and not yet sent (or given up). */
  private final AtomicInteger pending = new AtomicInteger();
  /** Started with the first dump: a process whose flight recorder never dumps has no such thread. */
  private final Thread thread = new Thread(this::run, "racetrace-flight-send");
  private final AtomicBoolean started = new AtomicBoolean();

  /**
   * @param exporters the OTel exporters (they stay open: the export loop shuts them down at exit)
   * @param where what the start line calls them, for the dump lines
   */
  public FlightDumpSender(List<SpanExporter> exporters, String where, Counters counters) {
    this.exporter = SpanExporter.composite(exporters);
    this.where = where;
    this.counters = counters;
    thread.setDaemon(true);
  }

  /** Sends {@code dump}'s spans, soon, on the sender's thread. Exporter thread. */
  void send(Path dump) {
    pending.incrementAndGet();
    if (!queue.offer(dump)) {
      pending.decrementAndGet();
      counters.exportFailures().incrementAndGet();
      Log.get().warn("flight:send", "flight dump " + dump + " not sent to " + where + ": " + WAITING
          + " dumps are still waiting to be sent; it is in its file (" + JournalExport.exportHint(dump.getParent())
          + ")");
      return;
    }
    if (started.compareAndSet(false, true)) {
      thread.start();
    }
  }

  private void run() {
    while (true) {
      Path dump;
      try {
        dump = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        sendNow(dump);
      } catch (Throwable t) { // never past this thread: the dump stays in its file
        counters.exportFailures().incrementAndGet();
        Log.get().warn("flight:send", "flight dump " + dump + " could not be sent to " + where, t);
      } finally {
        pending.decrementAndGet();
      }
    }
  }

  private void sendNow(Path dump) {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    JournalExport export = new JournalExport(new PrintStream(lines, true, StandardCharsets.UTF_8));
    if (!export.send(List.of(dump), exporter, where)) {
      counters.exportFailures().incrementAndGet();
    }
    lines.toString(StandardCharsets.UTF_8).lines().forEach(Log.get()::info);
  }

  /**
   * Waits until every dump handed over is sent, or {@code deadlineNanos} ({@link System#nanoTime}
   * based) passes. @return whether all were sent
   */
  public boolean awaitSent(long deadlineNanos) {
    while (pending.get() > 0) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      LockSupport.parkNanos(Math.min(left, IDLE_CHECK_NANOS));
    }
    return true;
  }
}
