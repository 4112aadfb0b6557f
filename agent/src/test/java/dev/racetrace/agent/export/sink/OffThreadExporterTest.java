package dev.racetrace.agent.export.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Exports beside the journal run on a sender thread: the exporter thread that drains the rings
 * never runs an exporter's marshalling, never waits for it, and still sees every result.
 */
class OffThreadExporterTest {
  private final AtomicLong cpu = new AtomicLong();

  /** A delegate whose every export is answered by {@code answer}, recording the calling thread. */
  private static final class Delegate implements SpanExporter {
    final List<String> threads = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    final Function<Collection<SpanData>, CompletableResultCode> answer;
    volatile boolean shutDown;

    Delegate(Function<Collection<SpanData>, CompletableResultCode> answer) {
      this.answer = answer;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      threads.add(Thread.currentThread().getName());
      sizes.add(spans.size());
      return answer.apply(spans);
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      shutDown = true;
      return CompletableResultCode.ofSuccess();
    }
  }

  private static List<SpanData> batch(int n) {
    return new ArrayList<>(Collections.nCopies(n, (SpanData) null));
  }

  @Test
  void exportsRunInOrderOnTheSenderThreadAndTheirResultsFollowTheDelegates() {
    List<CompletableResultCode> answers = Collections.synchronizedList(new ArrayList<>());
    Delegate delegate = new Delegate(spans -> {
      CompletableResultCode r = new CompletableResultCode();
      answers.add(r);
      return r;
    });
    OffThreadExporter exporter = new OffThreadExporter(delegate, cpu);
    CompletableResultCode first = exporter.export(batch(1));
    CompletableResultCode second = exporter.export(batch(2));

    await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 2);
    assertThat(delegate.threads).containsOnly("racetrace-sender");
    assertThat(delegate.sizes).containsExactly(1, 2);
    assertThat(first.isDone()).as("pending until the backend answers").isFalse();

    answers.get(0).succeed();
    answers.get(1).fail();
    assertThat(first.isDone() && first.isSuccess()).isTrue();
    assertThat(second.isDone() && !second.isSuccess()).isTrue();
  }

  @Test
  void aFailureAndAnErrorOfTheDelegateReachTheResultWithTheirCause() {
    IllegalStateException refused = new IllegalStateException("refused");
    OutOfMemoryError error = new OutOfMemoryError("in the exporter");
    List<Throwable> causes = List.of(refused, error);
    int[] call = {0};
    Delegate delegate = new Delegate(spans -> {
      Throwable t = causes.get(call[0]++);
      if (t instanceof Error) {
        throw (Error) t;
      }
      return CompletableResultCode.ofExceptionalFailure(t);
    });
    OffThreadExporter exporter = new OffThreadExporter(delegate, cpu);
    CompletableResultCode failed = exporter.export(batch(1)).join(10, TimeUnit.SECONDS);
    CompletableResultCode broken = exporter.export(batch(1)).join(10, TimeUnit.SECONDS);

    assertThat(failed.isSuccess()).isFalse();
    assertThat(failed.getFailureThrowable()).isSameAs(refused);
    assertThat(broken.isSuccess()).isFalse();
    assertThat(ExporterErrors.find(broken.getFailureThrowable()))
        .as("the span sink finds the Error and racetrace stops itself").isSameAs(error);
  }

  @Test
  void beyondTheQueuesRoomAnExportFailsAtOnceWithoutWaiting() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Delegate delegate = new Delegate(spans -> {
      inside.countDown();
      try {
        release.await(); // a cold exporter: the first export takes its time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return CompletableResultCode.ofSuccess();
    });
    OffThreadExporter exporter = new OffThreadExporter(delegate, cpu);
    CompletableResultCode running = exporter.export(batch(1));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableResultCode> queued = new ArrayList<>();
    for (int i = 0; i < OffThreadExporter.QUEUE; i++) {
      queued.add(exporter.export(batch(1)));
    }
    CompletableResultCode over = exporter.export(batch(1));
    assertThat(over.isDone() && !over.isSuccess()).as("no room: failed on the caller's thread").isTrue();
    assertThat(queued).noneMatch(CompletableResultCode::isDone);

    release.countDown();
    for (CompletableResultCode r : queued) {
      assertThat(r.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(running.isSuccess()).isTrue();
    assertThat(delegate.sizes).hasSize(1 + OffThreadExporter.QUEUE);
  }

  @Test
  void afterShutdownExportsFailAndTheDelegateIsShutDown() {
    Delegate delegate = new Delegate(spans -> CompletableResultCode.ofSuccess());
    OffThreadExporter exporter = new OffThreadExporter(delegate, cpu);
    assertThat(exporter.export(batch(1)).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(exporter.shutdown().isSuccess()).isTrue();
    assertThat(delegate.shutDown).isTrue();
    CompletableResultCode late = exporter.export(batch(1));
    assertThat(late.isDone() && !late.isSuccess()).isTrue();
    assertThat(delegate.sizes).hasSize(1);
  }

  @Test
  void theSenderThreadsCpuTimeIsCountedForTheBudget() {
    Delegate delegate = new Delegate(spans -> {
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
      long x = 0;
      while (System.nanoTime() < end) {
        x += System.nanoTime() & 1; // marshalling stands in: CPU, no waiting
      }
      return x >= 0 ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
    });
    OffThreadExporter exporter = new OffThreadExporter(delegate, cpu);
    exporter.export(batch(1)).join(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> cpu.get() > 0);
    // at least part of the 30 ms busy loop shows as CPU (the thread may have waited for a core)
    assertThat(cpu.get()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(1));
  }
}
