package dev.racetrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.agent.export.journal.JournalHeader;
import dev.racetrace.agent.export.journal.JournalReader;
import dev.racetrace.agent.export.journal.JournalReplay;
import dev.racetrace.agent.export.journal.JournalTee;
import dev.racetrace.agent.export.journal.JournalWriter;
import dev.racetrace.agent.export.rules.RuleChecker;
import dev.racetrace.agent.fixtures.CapturingExporter;
import dev.racetrace.agent.fixtures.FixtureOps;
import dev.racetrace.agent.fixtures.Fixtures;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.otel.AppOtelBridge;
import dev.racetrace.core.AppSpans;
import dev.racetrace.core.Keys;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.hook.LatchHooks;
import dev.racetrace.core.hook.QueueHooks;
import dev.racetrace.core.site.CallSites;
import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live export with the journal (racetrace.exporter=auto with an OTLP endpoint): the export loop
 * journals every record and assembles spans from the same drain; when racetrace.export.cpu makes the
 * assembler rest, the journal still gets every record and only the live export misses what did not
 * fit.
 */
class LiveJournalTest {
  private static final int PUT = CallSites.register("com.acme.Feed", "send", 10, "BlockingQueue.put", "Node.workQueue");
  private static final int TAKE = CallSites.register("com.acme.Worker", "loop", 20, "BlockingQueue.take", "Node.workQueue");
  private static final int AWAIT = CallSites.register("com.acme.Worker", "loop", 21, "CountDownLatch.await",
      "Node.metadataArrived");
  private static final AttributeKey<String> KEY = AttributeKey.stringKey("race.key");
  private static final String NODE = "node-live";
  private static final OpNames OPS = FixtureOps.opNames();
  private static final String RULE = "load-metadata < derive per key";

  @BeforeAll
  static void keys() {
    Keys.install(FixtureOps.keys());
    if (!Recorder.isRecording()) {
      Recorder.start(new Recorder.Settings(1024, 64, 2));
    }
  }

  private final CapturingExporter backend = new CapturingExporter();
  private final ByteArrayOutputStream journal = new ByteArrayOutputStream();
  private final Resource resource = Resource.getDefault().merge(Resource.create(
      io.opentelemetry.api.common.Attributes.of(AttributeKey.stringKey("service.instance.id"), NODE)));

  /** An export loop with live export to {@link #backend} and the journal in {@link #journal}. */
  private ExportLoop loop(long stateBytes, LongSupplier cpuNanos) throws Exception {
    new RingDrainer(Recorder.registry(), new ThreadDirectory()).drain(Integer.MAX_VALUE, new ArrayList<>());
    Map<String, String> header = new LinkedHashMap<>();
    header.put(JournalHeader.NODE, NODE);
    header.put(JournalHeader.TRACE_WINDOW_MS, "60000");
    header.put(JournalHeader.RULE_SETTLE_NS, Long.toString(RuleChecker.ruleSettleNanos(10)));
    header.put(JournalHeader.RULES, RULE);
    header.put(JournalHeader.SCOPE_VERSION, "test");
    JournalHeader.putResource(header, resource);
    JournalWriter.Output out = new JournalWriter.Output() {
      @Override
      public void write(ByteBuffer chunk) {
        journal.write(chunk.array(), chunk.position(), chunk.remaining());
      }

      @Override
      public void close() {}
    };
    AtomicLong wall = new AtomicLong();
    return ExportLoop.builder().resource(resource)
        .scope(InstrumentationScopeInfo.builder("dev.racetrace").setVersion("test").build()).nodeId(NODE)
        .traceWindowMillis(60_000).ops(OPS).rules(List.of(OrderingRule.parse(RULE))).exporters(List.of(backend))
        .counters(new Counters()).intervalMillis(10).exportTimeoutMillis(5_000).stateBytes(stateBytes)
        .journalTo(out, Path.of("n.rtj"), header).liveCpu(0.05, wall::get, cpuNanos).build();
  }

  /**
   * {@code items} keyed puts each taken at once on a noisy thread, then on a quiet thread one key
   * whose derive runs while its load is still queued (a rule violation: a span that matters).
   */
  private static void record(int items) throws InterruptedException {
    BlockingQueue<Object> noise = new LinkedBlockingQueue<>();
    Thread noisy = new Thread(() -> {
      for (int i = 0; i < items; i++) {
        put(noise, new Fixtures.LoadMetadata("noise-" + i));
        QueueHooks.poll(noise, TAKE);
      }
    }, "noisy");
    noisy.start();
    noisy.join();
    BlockingQueue<Object> loads = new LinkedBlockingQueue<>();
    BlockingQueue<Object> derives = new LinkedBlockingQueue<>();
    Thread calm = new Thread(() -> {
      put(loads, new Fixtures.LoadMetadata("quiet-1"));
      put(derives, new Fixtures.Derive("quiet-1"));
      QueueHooks.poll(derives, TAKE); // derive before the load ran: load-metadata < derive broken
      QueueHooks.poll(loads, TAKE);
    }, "quiet");
    calm.start();
    calm.join();
  }

  private static void put(BlockingQueue<Object> queue, Object element) {
    try {
      QueueHooks.put(queue, element, PUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<SpanData> replayed() throws Exception {
    List<SpanData> out = new ArrayList<>();
    new JournalReplay(out::add).replay(new JournalReader("n.rtj", ByteBuffer.wrap(journal.toByteArray())));
    return out;
  }

  private static List<SpanData> withoutStats(List<SpanData> spans) {
    return spans.stream().filter(s -> !s.getName().equals(SpanSchema.STATS_SPAN)).collect(Collectors.toList());
  }

  private static Set<String> keys(List<SpanData> spans) {
    return spans.stream().map(s -> s.getAttributes().get(KEY)).filter(Objects::nonNull).collect(Collectors.toSet());
  }

  @Test
  void withinTheBudgetTheBackendAndTheJournalGetTheSameSpans() throws Exception {
    ExportLoop loop = loop(8 << 20, () -> 0); // the assembly costs nothing: never over the share
    record(30);
    loop.shutdown(5_000); // never started: the exit drain runs the passes on this thread

    List<SpanData> live = withoutStats(backend.spans);
    List<SpanData> replayed = withoutStats(replayed());
    assertThat(keys(live)).hasSize(31).contains("noise-0", "noise-29", "quiet-1");
    assertThat(live).anyMatch(s -> Boolean.TRUE.equals(s.getAttributes().get(SpanSchema.RULE_VIOLATED)));
    assertThat(replayed.stream().map(JournalTee::describe).sorted())
        .containsExactlyElementsOf(live.stream().map(JournalTee::describe).sorted().collect(Collectors.toList()));
    assertThat(loop.journaledRecords()).isGreaterThanOrEqualTo(62);
    assertThat(loop.notAssembledEvents()).isZero();
    assertThat(loop.shedSpans()).isZero();
  }

  @Test
  void withinTheBudgetABurstFromOneThreadGoesLiveWhole() throws Exception {
    // 500 events of one thread at once, twice what the assembler takes in a slice while cold and
    // more than a thread's share of the hold: none is left to the journal alone
    ExportLoop loop = loop(8 << 20, () -> 0);
    record(250);
    loop.shutdown(5_000);

    // the test's rings hold 1,024 records; a thread past the owned rings shares one with others
    assertThat(loop.dropped()).as("the burst fits the test's rings").isZero();
    assertThat(keys(withoutStats(backend.spans))).hasSize(251);
    assertThat(loop.notAssembledEvents()).isZero();
    assertThat(loop.journaledRecords()).isGreaterThanOrEqualTo(502);
  }

  @Test
  void liveSpansLinkToTheApplicationSpanTheirEventWasRecordedIn() throws Exception {
    // racetrace.otel.link beside the journal: the events the assembler takes from the journal's
    // drain carry the application span current at their record, as the span drain's do
    SdkTracerProvider provider = SdkTracerProvider.builder().build();
    try {
      AppOtelBridge bridge = AppOtelBridge.forLoader(getClass().getClassLoader());
      ExportLoop loop = loop(8 << 20, () -> 0);
      loop.linkAppSpans(bridge::resolveIfLoaded, bridge);
      bridge.resolveIfLoaded();
      BlockingQueue<Object> q = new LinkedBlockingQueue<>();
      Span request = provider.get("app").spanBuilder("request").startSpan();
      try (Scope ignored = request.makeCurrent()) {
        put(q, new Fixtures.LoadMetadata("linked-1"));
      } finally {
        request.end();
      }
      put(q, new Fixtures.LoadMetadata("unlinked-1"));
      loop.shutdown(5_000);

      List<SpanData> enqueues = backend.spans.stream()
          .filter(s -> s.getName().endsWith(" enqueue")).collect(Collectors.toList());
      assertThat(enqueues).extracting(s -> s.getAttributes().get(KEY)).containsExactlyInAnyOrder("linked-1", "unlinked-1");
      for (SpanData s : enqueues) {
        List<String> appSpans = s.getLinks().stream()
            .filter(l -> "app".equals(l.getAttributes().get(SpanSchema.LINK)))
            .map(l -> l.getSpanContext().getSpanId()).collect(Collectors.toList());
        if ("linked-1".equals(s.getAttributes().get(KEY))) {
          assertThat(appSpans).containsExactly(request.getSpanContext().getSpanId());
        } else {
          assertThat(appSpans).as("enqueued after the application span ended").isEmpty();
        }
      }
    } finally {
      AppSpans.install(null);
      provider.close();
    }
  }

  @Test
  void overTheBudgetAFloodingThreadsExpiredTimedWaitStillGoesLive() throws Exception {
    AtomicLong cpu = new AtomicLong();
    ExportLoop loop = loop(256 << 10, () -> cpu.addAndGet(10_000_000_000L)); // rests after one pass
    Thread noisy = new Thread(() -> {
      BlockingQueue<Object> noise = new LinkedBlockingQueue<>();
      for (int i = 0; i < 300; i++) {
        put(noise, new Fixtures.LoadMetadata("noise-" + i));
        QueueHooks.poll(noise, TAKE);
      }
      try { // past its share of the hold: the guard's expiry is what the live export prefers
        LatchHooks.await(new CountDownLatch(1), 1, TimeUnit.MILLISECONDS, AWAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "noisy");
    noisy.start();
    noisy.join();
    loop.shutdown(5_000);

    assertThat(keys(backend.spans)).as("the noise over its share was not assembled").hasSizeLessThan(300);
    assertThat(loop.notAssembledEvents()).isPositive();
    assertThat(backend.spans).filteredOn(s -> s.getName().equals("guard.await Node.metadataArrived"))
        .singleElement().satisfies(s -> assertThat(s.getAttributes().get(SpanSchema.GUARD_TIMED_OUT)).isTrue());
  }

  @Test
  void overTheBudgetTheJournalStillGetsEveryRecordAndTheQuietThreadIsStillLive() throws Exception {
    AtomicLong cpu = new AtomicLong();
    // every assembling pass costs 10 s of CPU: after the first one the assembler rests for good
    ExportLoop loop = loop(256 << 10, () -> cpu.addAndGet(10_000_000_000L));
    record(300);
    loop.shutdown(5_000);

    Set<String> journaled = keys(replayed());
    assertThat(journaled).as("the journal is never sampled").hasSize(301).contains("noise-0", "noise-299", "quiet-1");
    assertThat(replayed()).filteredOn(s -> s.getName().equals(SpanSchema.STATS_SPAN))
        .allMatch(s -> s.getAttributes().get(SpanSchema.DROPPED_EVENTS) == 0L);
    Set<String> live = keys(backend.spans);
    assertThat(live).as("only the first pass and what the rest held were assembled")
        .hasSizeLessThan(301).contains("noise-0");
    assertThat(backend.spans).as("a flooding thread does not crowd out a quiet one's events: its violation goes live")
        .anyMatch(s -> "quiet-1".equals(s.getAttributes().get(KEY))
            && Boolean.TRUE.equals(s.getAttributes().get(SpanSchema.RULE_VIOLATED)));
    assertThat(loop.notAssembledEvents()).isPositive();
    assertThat(loop.journaledRecords()).isGreaterThanOrEqualTo(602);
  }
}
