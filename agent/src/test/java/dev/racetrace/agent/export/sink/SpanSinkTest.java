package dev.racetrace.agent.export.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racetrace.agent.export.assemble.Ids;
import dev.racetrace.agent.export.assemble.RaceSpan;
import dev.racetrace.agent.internal.Counters;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpanSinkTest {
  private final Ids ids = new Ids("n", 60_000);
  private final Counters counters = new Counters();

  private SpanData span(long seq) {
    return new RaceSpan("s" + seq, SpanKind.INTERNAL, Ids.context(ids.chainTrace(1), ids.spanId(seq, 0)),
        SpanContext.getInvalid(), StatusData.unset(), 1, 2, Attributes.empty(), Collections.emptyList(), null,
        Resource.getDefault(), InstrumentationScopeInfo.create("t"));
  }

  /** A collector that takes every batch and never answers, and never finishes shutting down. */
  private static class Hanging implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return new CompletableResultCode();
    }

    @Override
    public CompletableResultCode flush() {
      return new CompletableResultCode();
    }

    @Override
    public CompletableResultCode shutdown() {
      return new CompletableResultCode();
    }
  }

  @Test
  void everyWaitEndsAtTheShutdownDeadlineAndTheLostSpansAreCounted() {
    SpanSink sink = new SpanSink(List.of(new Hanging()), counters, 10_000);
    for (int b = 0; b < 3; b++) { // two batches in flight and one pending, each would wait 10 s on its own
      for (int i = 0; i < 10; i++) {
        sink.accept(span(b * 10 + i));
      }
      if (b < SpanSink.IN_FLIGHT) {
        sink.flush();
      }
    }
    long start = System.nanoTime();
    sink.shutdownBy(start + TimeUnit.MILLISECONDS.toNanos(300));
    sink.shutdown();
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(took).as("settle, flush and exporter shutdown share one deadline").isBetween(250L, 1_000L);
    assertThat(counters.exportFailures().get()).isEqualTo(3);
    assertThat(sink.lostSpans()).isEqualTo(30);
    assertThat(sink.unsettledSpans()).isZero();
  }

  /**
   * With the journal beside live export the exporter thread never waits for a backend: while the
   * collector has not answered its batches in flight, spans wait up to a bounded backlog, the oldest
   * beyond it counted as not sent, and when the collector answers the backlog follows.
   */
  @Test
  void neverWaitingTheBacklogIsBoundedAndFollowsWhenTheCollectorAnswers() {
    java.util.List<CompletableResultCode> answers = new java.util.ArrayList<>();
    java.util.List<Integer> sent = new java.util.ArrayList<>();
    SpanExporter slow = new Hanging() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode r = new CompletableResultCode();
        answers.add(r);
        sent.add(spans.size());
        return r;
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }
    };
    int batch = 10;
    SpanSink sink = new SpanSink(List.of(slow), counters, 10_000, batch);
    int backlog = 2 * batch;
    sink.neverWait(backlog);
    long start = System.nanoTime();
    int total = SpanSink.IN_FLIGHT * batch + backlog + 3 * batch;
    for (int i = 0; i < total; i++) {
      sink.accept(span(i)); // a full batch flushes
    }
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("no wait for the backend")
        .isLessThan(2_000);
    assertThat(sent).as("two batches in flight, unanswered").containsExactly(batch, batch);
    assertThat(sink.notSentSpans()).as("beyond the backlog, the oldest waiting").isEqualTo(3L * batch);
    assertThat(sink.unsettledSpans()).isEqualTo((long) SpanSink.IN_FLIGHT * batch + backlog);
    assertThat(sink.backendBusy()).as("the loop rests while the collector has not answered").isTrue();

    answers.get(0).succeed();
    answers.get(1).succeed();
    sink.flush();
    assertThat(sent).as("the backlog follows the answers").containsExactly(batch, batch, batch, batch);
    answers.get(2).succeed();
    answers.get(3).succeed();
    sink.settleAll();
    assertThat(sink.backendBusy()).isFalse();
    assertThat(counters.exportedSpans().get()).isEqualTo((long) SpanSink.IN_FLIGHT * batch + backlog);
    assertThat(sink.unsettledSpans()).isZero();
    assertThat(counters.exportFailures().get()).isZero();
  }

  @Test
  void aBatchThatFailsFastIsCountedAsFailed() {
    SpanExporter refused = new Hanging() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return CompletableResultCode.ofFailure();
      }
    };
    SpanSink sink = new SpanSink(List.of(refused), counters, 10_000);
    sink.accept(span(1));
    sink.settleAll();
    assertThat(counters.exportFailures().get()).isEqualTo(1);
    assertThat(counters.exportedSpans().get()).isZero();
  }

  /**
   * An OutOfMemoryError on the bundled SDK's own sender thread (here while the JDK HTTP sender
   * encodes the request on its thread, reading the spans lazily) reaches the exporter thread as
   * the batch's failure and is thrown there, where it stops racetrace (ExportLoop#stopItself);
   * the batch is counted as failed first.
   */
  @Test
  void anErrorOnTheSdkSenderThreadIsThrownOnTheExporterThread() throws Exception {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", x -> {
      x.getRequestBody().readAllBytes();
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    server.start();
    Thread exporterThread = Thread.currentThread();
    java.util.concurrent.atomic.AtomicReference<String> thrownOn = new java.util.concurrent.atomic.AtomicReference<>();
    SpanData plain = span(1);
    SpanData failingOnTheSender = new io.opentelemetry.sdk.trace.data.DelegatingSpanData(plain) {
      @Override
      public String getName() {
        if (Thread.currentThread() != exporterThread) {
          thrownOn.compareAndSet(null, Thread.currentThread().getName());
          throw new OutOfMemoryError("simulated on the sender thread");
        }
        return plain.getName();
      }
    };
    // the agent jar bundles only the JDK sender for OTLP/HTTP; this test's classpath has OkHttp's too
    String senderKey = "io.opentelemetry.sdk.common.export.HttpSenderProvider";
    System.setProperty(senderKey, "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider");
    SpanExporter otlp;
    try {
      otlp = io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter.builder()
          .setEndpoint("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces")
          .setMemoryMode(io.opentelemetry.sdk.common.export.MemoryMode.REUSABLE_DATA)
          .setRetryPolicy(null)
          .build();
    } finally {
      System.clearProperty(senderKey);
    }
    SpanSink sink = new SpanSink(List.of(otlp), counters, 10_000);
    try {
      sink.accept(failingOnTheSender);
      assertThatThrownBy(sink::settleAll).isInstanceOf(OutOfMemoryError.class)
          .hasMessage("simulated on the sender thread");
      assertThat(thrownOn.get()).as("thrown on the JDK sender's thread").isNotNull().doesNotStartWith("okhttp");
      assertThat(counters.exportFailures().get()).isEqualTo(1);
    } finally {
      otlp.shutdown();
      server.stop(0);
    }
  }

  /** The same on OkHttp's dispatcher thread (OTLP/gRPC): OkHttp fails the call with the Error suppressed. */
  @Test
  void anErrorOnOkHttpsDispatcherThreadIsThrownOnTheExporterThread() throws Exception {
    try (java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread accepter = new Thread(() -> {
        try (java.net.Socket s = server.accept()) {
          s.getInputStream().readAllBytes(); // a peer that reads and never answers
        } catch (java.io.IOException e) {
          // closed at the end of the test
        }
      });
      accepter.setDaemon(true);
      accepter.start();
      Thread exporterThread = Thread.currentThread();
      SpanData plain = span(1);
      SpanData failingOnTheSender = new io.opentelemetry.sdk.trace.data.DelegatingSpanData(plain) {
        @Override
        public String getName() {
          if (Thread.currentThread() != exporterThread) {
            throw new OutOfMemoryError("simulated on the dispatcher thread");
          }
          return plain.getName();
        }
      };
      SpanExporter grpc = io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter.builder()
          .setEndpoint("http://127.0.0.1:" + server.getLocalPort())
          .setMemoryMode(io.opentelemetry.sdk.common.export.MemoryMode.REUSABLE_DATA)
          .setRetryPolicy(null)
          .setTimeout(java.time.Duration.ofSeconds(5))
          .build();
      SpanSink sink = new SpanSink(List.of(grpc), counters, 10_000);
      try {
        sink.accept(failingOnTheSender);
        assertThatThrownBy(sink::settleAll).isInstanceOf(OutOfMemoryError.class)
            .hasMessage("simulated on the dispatcher thread");
        assertThat(counters.exportFailures().get()).isEqualTo(1);
      } finally {
        grpc.shutdown();
      }
    }
  }

  @Test
  void errorsAreFoundBehindHowTheSendersWrapThem() {
    OutOfMemoryError oom = new OutOfMemoryError();
    java.io.IOException okhttp = new java.io.IOException("canceled due to " + oom);
    okhttp.addSuppressed(oom);
    assertThat(ExporterErrors.find(okhttp)).isSameAs(oom);
    assertThat(ExporterErrors.find(new RuntimeException(new java.util.concurrent.CompletionException(oom)))).isSameAs(oom);
    assertThat(ExporterErrors.find(new java.io.IOException("refused"))).isNull();
    assertThat(ExporterErrors.find(null)).isNull();
  }
}
