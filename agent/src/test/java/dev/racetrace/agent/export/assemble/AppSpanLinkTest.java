package dev.racetrace.agent.export.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.otel.AppOtelBridge;
import dev.racetrace.core.AppSpans;
import dev.racetrace.core.Clock;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.hook.QueueHooks;
import dev.racetrace.core.site.CallSites;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** racetrace.otel.link: racetrace's spans link to the application's own current OTel span. */
class AppSpanLinkTest {
  private static final int OFFER = CallSites.register("com.acme.Api", "handle", 12, "Queue.offer", "Api.queue");
  private static final int POLL = CallSites.register("com.acme.Worker", "run", 30, "Queue.poll", "Api.queue");

  private final SdkTracerProvider provider = SdkTracerProvider.builder().build();
  private final Tracer tracer = provider.get("app");

  @AfterEach
  void stopReading() {
    AppSpans.install(null);
    provider.close();
  }

  @Test
  void anEnqueueInsideAnApplicationSpanLinksToThatSpanAndOnlyThen() throws Exception {
    Pipeline p = new Pipeline();
    AppOtelBridge bridge = AppOtelBridge.forLoader(getClass().getClassLoader());
    bridge.resolveIfLoaded();
    assertThat(bridge.active()).isTrue();
    p.linkAppSpans(bridge);
    BlockingQueue<Object> q = new ArrayBlockingQueue<>(8);

    Span request = tracer.spanBuilder("request").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      assertThat(QueueHooks.offer(q, "inside", OFFER)).isTrue();
    } finally {
      request.end();
    }
    assertThat(QueueHooks.offer(q, "outside", OFFER)).isTrue();
    Thread worker = new Thread(() -> {
      QueueHooks.poll(q, POLL);
      QueueHooks.poll(q, POLL);
      QueueHooks.poll(q, POLL);
    });
    worker.start();
    worker.join();
    List<SpanData> spans = p.finish();

    List<SpanData> enqueues = p.named("Api.queue enqueue");
    assertThat(enqueues).hasSize(2);
    assertThat(appLinks(enqueues.get(0))).singleElement()
        .satisfies(l -> assertThat(l.getSpanContext().getTraceId()).isEqualTo(request.getSpanContext().getTraceId()))
        .satisfies(l -> assertThat(l.getSpanContext().getSpanId()).isEqualTo(request.getSpanContext().getSpanId()));
    assertThat(appLinks(enqueues.get(1))).as("enqueued after the application span ended").isEmpty();
    assertThat(p.named("Api.queue process")).isNotEmpty()
        .allSatisfy(s -> assertThat(appLinks(s)).as("the worker thread had no application span").isEmpty());
    assertThat(spans).isNotEmpty();
  }

  @Test
  void aContextChangeLostToAFullRingIsRecordedAgainNotMisattributed() throws Exception {
    Pipeline p = new Pipeline();
    AppOtelBridge bridge = AppOtelBridge.forLoader(getClass().getClassLoader());
    bridge.resolveIfLoaded();
    p.linkAppSpans(bridge);
    BlockingQueue<Object> q = new ArrayBlockingQueue<>(1);
    Span request = tracer.spanBuilder("request").startSpan();
    Thread producer = new Thread(() -> {
      for (int i = 0; i < 100_000; i++) { // far past any ring's capacity: the ring is full
        QueueHooks.offer(q, "outside", OFFER);
      }
      try (Scope ignored = request.makeCurrent()) {
        // a write that finds the ring full (as a hook on a shared ring can, between its room check
        // and its write): the context change cannot be recorded, so the event is dropped too
        Recorder.record(EventKind.QUEUE_ENQUEUE, Outcome.OK, 0, OFFER, q, "lost", 1, 0, -1,
            Recorder.nextSeq(), Clock.now(), null, null);
        p.step(); // the exporter drains, the ring has room again
        q.clear();
        QueueHooks.offer(q, "inside", OFFER);
      }
    });
    producer.start();
    producer.join();
    request.end();
    p.step();

    List<SpanData> enqueues = p.named("Api.queue enqueue");
    List<SpanData> linked = enqueues.stream().filter(s -> !appLinks(s).isEmpty()).collect(Collectors.toList());
    assertThat(linked).as("only the enqueue made inside the span, after the ring had room").singleElement()
        .satisfies(s -> assertThat(appLinks(s).get(0).getSpanContext().getSpanId())
            .isEqualTo(request.getSpanContext().getSpanId()));
    assertThat(enqueues.get(enqueues.size() - 1)).isSameAs(linked.get(0));
  }

  @Test
  void withoutTheBridgeNoSpanLinksToTheApplication() {
    Pipeline p = new Pipeline();
    BlockingQueue<Object> q = new ArrayBlockingQueue<>(8);
    Span request = tracer.spanBuilder("request").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      QueueHooks.offer(q, "inside", OFFER);
    } finally {
      request.end();
    }
    p.step();
    assertThat(p.named("Api.queue enqueue")).singleElement().satisfies(s -> assertThat(appLinks(s)).isEmpty());
  }

  @Test
  void aFailingApplicationApiSwitchesTheFeatureOffAndTheCallStillWorks() throws Exception {
    new Pipeline();
    MethodHandle throwing = MethodHandles.lookup().findStatic(AppSpanLinkTest.class, "broken",
        MethodType.methodType(Object.class));
    AppSpans.install(throwing);
    long errorsBefore = Recorder.internalErrors();
    BlockingQueue<Object> q = new ArrayBlockingQueue<>(8);

    assertThat(QueueHooks.offer(q, "x", OFFER)).isTrue();
    assertThat(q).containsExactly("x");
    assertThat(AppSpans.installed()).isFalse();
    assertThat(Recorder.internalErrors()).isEqualTo(errorsBefore + 1);
  }

  static Object broken() {
    throw new IllegalStateException("no OTel here");
  }

  private static List<LinkData> appLinks(SpanData span) {
    return span.getLinks().stream()
        .filter(l -> "app".equals(l.getAttributes().get(SpanSchema.LINK)))
        .collect(Collectors.toList());
  }
}
