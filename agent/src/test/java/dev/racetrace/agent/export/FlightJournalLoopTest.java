package dev.racetrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.agent.export.journal.JournalHeader;
import dev.racetrace.agent.export.journal.JournalReader;
import dev.racetrace.agent.fixtures.CapturingExporter;
import dev.racetrace.agent.fixtures.FixtureOps;
import dev.racetrace.agent.fixtures.Fixtures;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.api.RaceTrace;
import dev.racetrace.core.Keys;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.hook.LatchHooks;
import dev.racetrace.core.hook.QueueHooks;
import dev.racetrace.core.site.CallSites;
import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flight mode on the journal, through the export loop: the timeout trigger dumps the chunk ring
 * without the loop ever creating a span assembler; only the violation trigger with racetrace.rules
 * still needs one.
 */
class FlightJournalLoopTest {
  private static final int AWAIT = CallSites.register("com.acme.Node", "start", 12, "CountDownLatch.await", "Node.ready");
  private static final int PUT = CallSites.register("com.acme.Feed", "send", 11, "BlockingQueue.put", "Node.inbox");
  private static final int TAKE = CallSites.register("com.acme.Worker", "loop", 20, "BlockingQueue.poll", "Node.inbox");

  @TempDir Path dir;

  @BeforeAll
  static void recording() {
    if (!Recorder.isRecording()) {
      Recorder.start(new Recorder.Settings(1024, 64, 2));
    }
  }

  private ExportLoop loop(List<OrderingRule> rules, String... triggers) {
    return loop(OpNames.none(), rules, triggers);
  }

  private ExportLoop loop(OpNames ops, List<OrderingRule> rules, String... triggers) {
    return builder(ops, rules, triggers).build();
  }

  private ExportLoopBuilder builder(OpNames ops, List<OrderingRule> rules, String... triggers) {
    new RingDrainer(Recorder.registry(), new ThreadDirectory()).drain(Integer.MAX_VALUE, new ArrayList<>());
    Map<String, String> header = new LinkedHashMap<>();
    header.put(JournalHeader.NODE, "n1");
    header.put(JournalHeader.TRACE_WINDOW_MS, "60000");
    header.put(JournalHeader.SCOPE_VERSION, "test");
    return ExportLoop.builder().resource(Resource.getDefault()).scope(InstrumentationScopeInfo.create("test"))
        .nodeId("n1").traceWindowMillis(60_000).ops(ops).rules(rules).counters(new Counters()).intervalMillis(10)
        .exportTimeoutMillis(5_000).flight(100, Set.of(triggers)).stateBytes(8 << 20)
        .flightJournalTo(dir.resolve("orders-n1-42.rtj"), header, 1 << 20, 600_000, Long.MAX_VALUE, "unlimited");
  }

  /** On a thread of its own: a timed latch wait that expires, then the code goes on (a put). */
  private static void expiredWaitThenGoOn() throws InterruptedException {
    Thread t = new Thread(() -> {
      try {
        LatchHooks.await(new CountDownLatch(1), 1, TimeUnit.MILLISECONDS, AWAIT);
        QueueHooks.put(new LinkedBlockingQueue<>(), "next", PUT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "gives-up");
    t.start();
    t.join();
  }

  private List<Path> dumps() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().collect(Collectors.toList());
    }
  }

  private static String reason(Path dump) throws Exception {
    return JournalReader.open(dump).next().header.get(JournalHeader.FLIGHT_REASON);
  }

  @Test
  void afterRacetraceStopsItselfTheExitLineStillCountsTheDumpsItWrote() throws Exception {
    ExportLoop loop = loop(List.of(), "timeout");
    loop.releaseRecorder = () -> { }; // process-wide and final: the other tests go on recording
    loop.start(() -> { });
    expiredWaitThenGoOn();
    await().atMost(Duration.ofSeconds(10)).until(() -> dumps().size() == 1);
    // a key whose toString exhausts the exporter's heap: racetrace stops itself, not the application
    RaceTrace.mark("poisoned", new Object() {
      @Override
      public String toString() {
        throw new OutOfMemoryError("test: the exporter's heap");
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> loop.stoppedBy() != null);

    assertThat(loop.flightJournalSummary()).as("the exit line's account of the flight recorder")
        .startsWith("flight recorder wrote 1 dump(s)");
  }

  @Test
  void anExpiredTimedWaitDumpsTheJournalWithoutASpanAssembler() throws Exception {
    ExportLoop loop = loop(List.of(), "timeout", "violation");
    expiredWaitThenGoOn();
    loop.shutdown(5_000); // never started: the exit drain runs the passes on this thread

    assertThat(dumps()).hasSize(1);
    assertThat(reason(dumps().get(0))).isEqualTo("timed wait on Node.ready expired and the code went on");
    assertThat(loop.assemblersCreated()).as("span assemblers created in flight mode on the journal").isZero();
  }

  /**
   * An OTLP endpoint beside flight mode: the dump is written, then replayed into spans and sent to
   * the exporters, off the exporter thread; the exit waits for it. No span assembler in the loop.
   */
  @Test
  void withExportersEachDumpIsAlsoSentAsSpansAndTheLoopAssemblesNone() throws Exception {
    CapturingExporter backend = new CapturingExporter();
    ExportLoop loop = builder(OpNames.none(), List.of(), "timeout").exporters(List.of(backend))
        .flightDumpsSentTo("the test's backend").build();
    expiredWaitThenGoOn();
    loop.shutdown(5_000); // never started: the exit drain writes the dump; the exit waits for its sending

    assertThat(dumps()).hasSize(1);
    assertThat(backend.spans).filteredOn(s -> s.getName().equals("guard.await Node.ready")).singleElement()
        .satisfies(s -> assertThat(s.getAttributes().get(SpanSchema.GUARD_TIMED_OUT)).isTrue());
    assertThat(backend.spans).filteredOn(s -> "flight.dump".equals(s.getAttributes().get(SpanSchema.EVENT)))
        .as("the dump's own span, saying why").hasSize(1);
    assertThat(loop.assemblersCreated()).isZero();
  }

  @Test
  void withRulesTheViolationTriggerStillAssemblesSpansButTimeoutsComeFromTheRecords() throws Exception {
    ExportLoop loop = loop(List.of(OrderingRule.parse("load-metadata < derive per key")), "timeout", "violation");
    expiredWaitThenGoOn();
    loop.shutdown(5_000);

    assertThat(dumps()).hasSize(1);
    assertThat(reason(dumps().get(0))).isEqualTo("timed wait on Node.ready expired and the code went on");
    assertThat(loop.assemblersCreated()).isEqualTo(1);
  }

  @Test
  void theViolationTriggerBuildsOnlyTheSpansOfWorkARuleFollows() throws Exception {
    Keys.install(FixtureOps.keys());
    OpNames ops = FixtureOps.opNames();
    ExportLoop loop = loop(ops, List.of(OrderingRule.parse("load-metadata < derive per key")), "violation");
    int noise = 200;
    Thread t = new Thread(() -> {
      BlockingQueue<Object> other = new LinkedBlockingQueue<>();
      for (int i = 0; i < noise; i++) {
        put(other, "job-" + i); // work no rule follows, with its enqueue
        QueueHooks.poll(other, TAKE);
      }
      BlockingQueue<Object> loads = new LinkedBlockingQueue<>();
      BlockingQueue<Object> derives = new LinkedBlockingQueue<>();
      put(loads, new Fixtures.LoadMetadata("k-1"));
      put(derives, new Fixtures.Derive("k-1"));
      QueueHooks.poll(derives, TAKE); // derive runs while its load is still queued
      QueueHooks.poll(loads, TAKE);
    }, "worker");
    t.start();
    t.join();
    loop.shutdown(5_000);

    assertThat(dumps()).hasSize(1);
    assertThat(reason(dumps().get(0))).isEqualTo("rule violation on key k-1");
    assertThat(loop.flightCheckedSpans()).as("spans built for the check: the derive's and the load's work only")
        .isEqualTo(2);
  }

  private static void put(BlockingQueue<Object> queue, Object element) {
    try {
      QueueHooks.put(queue, element, PUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
