package dev.racetrace.agent.export.sink;

import dev.racetrace.agent.export.assemble.StateLimits;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a delegate's exports on a thread of its own ({@code racetrace-sender}), one at a time and in
 * order, so that live export with the journal never holds the exporter thread, which drains the
 * rings: the first export builds the exporter and its HTTP client, loads the marshalling classes
 * and runs them cold (over 100 ms on a loaded 2-core machine), and every export marshals its batch
 * on the calling thread.
 *
 * <p>What waits here is bounded by the {@link SpanSink}: it has at most {@link SpanSink#IN_FLIGHT}
 * batches per exporter unanswered, and a result here completes only when the delegate's does. An
 * export beyond the queue's room, or after shutdown, fails at once (counted lost), never blocking.
 * The thread's CPU time in the delegate is counted ({@link #cpuNanos}) so that racetrace.export.cpu
 * still bounds the whole live export.
 */
public final class OffThreadExporter implements SpanExporter {
  static final int QUEUE = 2 * StateLimits.IN_FLIGHT;
  private static final long IDLE_POLL_MILLIS = 100;

  private final SpanExporter delegate;
  private final AtomicLong cpuNanos;
  private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(QUEUE);
  private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
  private final boolean cpuTimed = mx.isCurrentThreadCpuTimeSupported();
  private Thread thread;
  private volatile boolean shutdown;

  /** @param cpuNanos where the sender thread adds the CPU time its exports took */
  OffThreadExporter(SpanExporter delegate, AtomicLong cpuNanos) {
    this.delegate = delegate;
    this.cpuNanos = cpuNanos;
  }

  /**
   * Each exporter wrapped, all adding their sender threads' CPU time to {@code cpuNanos}.
   */
  public static List<SpanExporter> each(List<SpanExporter> exporters, AtomicLong cpuNanos) {
    List<SpanExporter> out = new ArrayList<>(exporters.size());
    for (SpanExporter e : exporters) {
      out.add(new OffThreadExporter(e, cpuNanos));
    }
    return out;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    CompletableResultCode result = new CompletableResultCode();
    if (shutdown || !queue.offer(() -> exportNow(spans, result))) {
      return CompletableResultCode.ofFailure();
    }
    startOnce();
    return result;
  }

  private synchronized void startOnce() {
    if (thread == null) {
      thread = new Thread(this::run, "racetrace-sender");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void run() {
    while (true) {
      Runnable task;
      try {
        task = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (task != null) {
        long start = cpuTimed ? mx.getCurrentThreadCpuTime() : 0;
        task.run();
        if (cpuTimed) {
          cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - start);
        }
      } else if (shutdown) {
        return;
      }
    }
  }

  private void exportNow(Collection<SpanData> spans, CompletableResultCode result) {
    try {
      CompletableResultCode r = delegate.export(spans);
      r.whenComplete(() -> complete(r, result));
    } catch (Throwable t) {
      // an Error too: the span sink finds it in the result and racetrace stops itself, as when the
      // exporter thread called the delegate
      result.failExceptionally(t);
    }
  }

  private static void complete(CompletableResultCode from, CompletableResultCode to) {
    if (from.isSuccess()) {
      to.succeed();
    } else if (from.getFailureThrowable() != null) {
      to.failExceptionally(from.getFailureThrowable());
    } else {
      to.fail();
    }
  }

  /** The delegate's flush, on the calling thread (an exporter's flush may come from any thread). */
  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  /** Exports queued from now on fail; the sender thread ends once idle; the delegate shuts down. */
  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return SpanSink.describe(delegate);
  }
}
