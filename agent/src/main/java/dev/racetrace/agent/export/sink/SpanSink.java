package dev.racetrace.agent.export.sink;

import dev.racetrace.agent.export.assemble.StateLimits;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.internal.Log;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects finished spans and hands them to the exporters in batches, waiting at most a bounded
 * time for each. A slow or failing backend costs only the exporter thread's time and a counted
 * failure: the spans of that batch are dropped, the application is never involved.
 *
 * <p>Every wait ends at the earlier of the per-batch timeout and the shutdown deadline (set by
 * {@link #shutdownBy} from any thread), so a wait that began before JVM exit cannot outlast it.
 *
 * <p>Over 300 lines because batching, the per-exporter room for batches in flight, the never-wait
 * mode beside the journal and the deadline-bounded settling at exit all decide together when a
 * batch is sent, waited for, or counted lost; kept in one place, no two of them can disagree.
 */
public final class SpanSink {
  static final int BATCH = 2048;
  static final int IN_FLIGHT = StateLimits.IN_FLIGHT;
  /** Waits are sliced so that a shutdown deadline set meanwhile is seen promptly. */
  private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final List<SpanExporter> exporters;
  private final Counters counters;
  private final long timeoutNanos;
  private final int batchSize;
  private final List<SpanData> pending;
  private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
  /** Spans pending or in flight, readable from the shutdown hook. */
  private final AtomicLong unsettledSpans = new AtomicLong();
  /** Spans of batches that failed or timed out. */
  private final AtomicLong lostSpans = new AtomicLong();
  /** Spans not sent to an exporter that had not answered its batches in flight ({@link #neverWait}). */
  private final AtomicLong notSentSpans = new AtomicLong();
  private boolean neverWait;
  /** {@link #neverWait}: spans kept at most while the backend has not answered. */
  private int backlogSpans;
  private volatile long deadline = Long.MAX_VALUE;
  private volatile boolean deadlineSet;

  SpanSink(List<SpanExporter> exporters, Counters counters, long timeoutMillis) {
    this(exporters, counters, timeoutMillis, BATCH);
  }

  /** @param batchSize spans per export batch (from racetrace.memory.max, at most {@link #BATCH}) */
  public SpanSink(List<SpanExporter> exporters, Counters counters, long timeoutMillis, int batchSize) {
    this.batchSize = batchSize;
    this.pending = new ArrayList<>(batchSize);
    this.exporters = exporters;
    this.counters = counters;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  /**
   * The exporter thread never waits for a backend from now on, until {@link #waitFromNowOn}: while an
   * exporter has {@link #IN_FLIGHT} batches unanswered, spans wait, up to {@code backlogSpans};
   * beyond that the oldest are not sent, and counted ({@link #notSentSpans}). For live export with
   * the journal beside it: a slow collector, or one still starting (the first export loads the
   * exporter's classes and opens its connection), must not stop the drain that writes the journal,
   * which holds every event anyway ({@link #backendBusy} lets the assembler rest meanwhile).
   */
  public void neverWait(int backlogSpans) {
    this.neverWait = true;
    this.backlogSpans = Math.max(batchSize, backlogSpans);
  }

  /** Back to waiting for batches beyond those in flight (at exit, once the journal is closed). */
  public void waitFromNowOn() {
    neverWait = false;
  }

  /**
   * {@link #neverWait}: whether an exporter has {@link #IN_FLIGHT} batches unanswered, so that spans
   * assembled now would only wait or be dropped. Never waits.
   */
  public boolean backendBusy() {
    if (!neverWait) {
      return false;
    }
    reapCompleted();
    return !everyExporterHasRoom();
  }

  /** Forgets the spans not yet exported (racetrace stopped itself); they count as lost. */
  public void discardPending() {
    lostSpans.addAndGet(pending.size());
    unsettledSpans.addAndGet(-pending.size());
    pending.clear();
  }

  /** The shutdown deadline ({@link System#nanoTime()} based), {@link Long#MAX_VALUE} until one is set. */
  public long deadline() {
    return deadline;
  }

  /** From now on no wait extends past {@code deadlineNanos} ({@link System#nanoTime()} based). */
  public void shutdownBy(long deadlineNanos) {
    this.deadline = deadlineNanos;
    this.deadlineSet = true;
  }

  public void accept(SpanData span) {
    pending.add(span);
    unsettledSpans.incrementAndGet();
    if (pending.size() >= batchSize) {
      flush();
    }
  }

  /**
   * Exports what is pending. Up to {@link #IN_FLIGHT} batches per exporter may still be on their
   * way (a network exporter answers later); beyond that the oldest is waited for, unless the sink
   * {@link #neverWait never waits}.
   */
  public void flush() {
    reapCompleted();
    if (neverWait) {
      sendWithoutWaiting();
      return;
    }
    if (pending.isEmpty()) {
      return;
    }
    List<SpanData> batch = new ArrayList<>(pending);
    pending.clear();
    send(batch);
    while (inFlight.size() > IN_FLIGHT * exporters.size()) {
      settle(inFlight.pollFirst());
    }
  }

  private void send(List<SpanData> batch) {
    unsettledSpans.addAndGet((long) batch.size() * (exporters.size() - 1));
    for (SpanExporter exporter : exporters) {
      CompletableResultCode result;
      try {
        result = exporter.export(batch);
      } catch (RuntimeException e) {
        result = CompletableResultCode.ofExceptionalFailure(e);
      }
      inFlight.addLast(new Batch(exporter, result, batch.size()));
    }
  }

  /**
   * {@link #neverWait}: sends batches while every exporter has room for one more in flight; what
   * waits is kept up to the backlog's size, the oldest beyond that not sent (counted).
   */
  private void sendWithoutWaiting() {
    while (!pending.isEmpty() && everyExporterHasRoom()) {
      List<SpanData> head = pending.subList(0, Math.min(batchSize, pending.size()));
      List<SpanData> batch = new ArrayList<>(head);
      head.clear();
      send(batch);
    }
    int excess = pending.size() - backlogSpans;
    if (excess > 0) {
      pending.subList(0, excess).clear();
      notSent(excess);
    }
  }

  private boolean everyExporterHasRoom() {
    for (SpanExporter exporter : exporters) {
      if (inFlightTo(exporter) >= IN_FLIGHT) {
        return false;
      }
    }
    return true;
  }

  private void notSent(int spans) {
    notSentSpans.addAndGet(spans);
    unsettledSpans.addAndGet(-spans);
  }

  private void reapCompleted() {
    // any answered batch, not only from the head: one exporter's unanswered batch must not hold
    // back the settling of another's
    for (java.util.Iterator<Batch> it = inFlight.iterator(); it.hasNext(); ) {
      Batch b = it.next();
      if (b.result.isDone()) {
        it.remove();
        settle(b);
      }
    }
  }

  private int inFlightTo(SpanExporter exporter) {
    int n = 0;
    for (Batch b : inFlight) {
      n += b.exporter == exporter ? 1 : 0;
    }
    return n;
  }

  /** Waits for {@code r} until the per-call timeout or the shutdown deadline, whichever is first. */
  private void await(CompletableResultCode r) {
    long end = System.nanoTime() + timeoutNanos;
    while (!r.isDone()) {
      long now = System.nanoTime();
      long until = Math.min(end, deadline);
      if (now - until >= 0) {
        return;
      }
      r.join(Math.min(SLICE_NANOS, until - now), TimeUnit.NANOSECONDS);
    }
  }

  private void settle(Batch b) {
    boolean ok;
    Throwable cause = null;
    try {
      await(b.result);
      ok = b.result.isDone() && b.result.isSuccess();
      cause = b.result.getFailureThrowable();
      if (ok) {
        CompletableResultCode flushed = b.exporter.flush();
        await(flushed);
        ok = flushed.isDone() && flushed.isSuccess();
        if (cause == null) {
          cause = flushed.getFailureThrowable();
        }
      }
    } catch (RuntimeException e) {
      ok = false;
      cause = e;
    }
    unsettledSpans.addAndGet(-b.spans);
    if (ok) {
      counters.exportedSpans().addAndGet(b.spans);
    } else {
      counters.exportFailures().incrementAndGet();
      lostSpans.addAndGet(b.spans);
      Error error = ExporterErrors.find(cause);
      if (error != null) {
        // an Error on the exporter's own thread (the SDK's sender): racetrace stops as for its own
        throw error;
      }
      String to = describe(b.exporter);
      Log.get().warn("export:" + to, "exporting spans to " + to + " failed or timed out; "
          + "spans are dropped and counted (race.export_failures), the application is unaffected", cause);
    }
  }

  /** Exports what is pending and waits for every batch in flight (each wait bounded). */
  public void settleAll() {
    flush();
    while (!inFlight.isEmpty()) {
      settle(inFlight.pollFirst());
      if (neverWait && !pastDeadline()) {
        sendWithoutWaiting(); // the backlog follows as the backend answers, until the deadline
      }
    }
    if (!pending.isEmpty()) { // past the deadline with a backlog: not sent
      notSent(pending.size());
      pending.clear();
    }
  }

  /** Settles everything, then shuts the exporters down, all before the shutdown deadline. */
  public void shutdown() {
    settleAll();
    for (SpanExporter exporter : exporters) {
      try {
        await(exporter.shutdown());
      } catch (RuntimeException e) {
        counters.exportFailures().incrementAndGet();
        Log.get().warn("export:" + describe(exporter) + ":shutdown", describe(exporter) + " failed to shut down", e);
      }
    }
  }

  /**
   * How an exporter is named on stderr: racetrace's own by their description (the file), the
   * SDK's by class name only (their {@code toString()} may hold endpoint credentials or headers).
   */
  static String describe(SpanExporter exporter) {
    return exporter.getClass().getPackageName().equals(SpanSink.class.getPackageName())
        ? exporter.toString() : exporter.getClass().getSimpleName();
  }

  /** Spans handed to the sink but neither exported nor counted lost yet (any thread). */
  public long unsettledSpans() {
    return unsettledSpans.get();
  }

  /** Spans not sent because their exporter had not answered ({@link #neverWait}; any thread). */
  public long notSentSpans() {
    return notSentSpans.get();
  }

  /** Spans of failed or timed-out batches (any thread). */
  public long lostSpans() {
    return lostSpans.get();
  }

  public boolean pastDeadline() {
    return deadlineSet && System.nanoTime() - deadline >= 0;
  }

  /** One exported batch whose result may still be pending. */
  private static final class Batch {
    final SpanExporter exporter;
    final CompletableResultCode result;
    final int spans;

    Batch(SpanExporter exporter, CompletableResultCode result, int spans) {
      this.exporter = exporter;
      this.result = result;
      this.spans = spans;
    }
  }
}
