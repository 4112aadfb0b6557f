package dev.racetrace.agent.export.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.agent.export.assemble.Pipeline;
import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.agent.fixtures.FixtureOps;
import dev.racetrace.agent.fixtures.Fixtures;
import dev.racetrace.agent.otel.AppOtelBridge;
import dev.racetrace.analyzer.cli.AnalyzeCommand;
import dev.racetrace.api.RaceTrace;
import dev.racetrace.core.AppSpans;
import dev.racetrace.core.hook.ExecutorHooks;
import dev.racetrace.core.hook.GuardHooks;
import dev.racetrace.core.hook.LatchHooks;
import dev.racetrace.core.hook.QueueHooks;
import dev.racetrace.core.site.CallSites;
import dev.racetrace.core.task.TaskRuns;
import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spans replayed from a journal are the spans live export builds from the same records. */
class JournalReplayTest {
  private static final int PUT = CallSites.register("com.acme.Feed", "send", 10, "BlockingQueue.put", "Node.workQueue");
  private static final int TAKE = CallSites.register("com.acme.Worker", "loop", 20, "BlockingQueue.take", "Node.workQueue");
  private static final int FLAG = CallSites.register("com.acme.Worker", "loop", 21, "flag.read", "Node.ready");
  private static final int GATE = CallSites.register("com.acme.Gate", "canProcess", -1, "guard.method", "Gate.canProcess");
  private static final int SIGNAL = CallSites.register("com.acme.Worker", "load", 30, "CountDownLatch.countDown", "Node.keyGate");
  private static final int AWAIT = CallSites.register("com.acme.Worker", "derive", 31, "CountDownLatch.await", "Node.keyGate");
  private static final int SUBMIT = CallSites.register("com.acme.Worker", "loop", 22, "ExecutorService.submit", "Node.workers");
  private static final OpNames OPS = FixtureOps.opNames();
  private static AtomicLong entities;

  @BeforeAll
  static void keysAndState() {
    entities = FixtureOps.installKeysAndEntityCount();
  }

  /**
   * Keyed queue work with configured ops, an ordering rule broken and one kept, a readiness flag
   * with a state probe, a guard method, a latch between threads, a task submitted and run on a
   * worker that then ends, a mark, a dequeue whose producer was never recorded.
   */
  private static void program(JournalTee tee) throws Exception {
    BlockingQueue<Object> loads = new LinkedBlockingQueue<>();
    BlockingQueue<Object> derives = new LinkedBlockingQueue<>();
    CountDownLatch gate = new CountDownLatch(1);
    QueueHooks.put(loads, new Fixtures.LoadMetadata("order-1"), PUT);
    QueueHooks.put(derives, new Fixtures.Derive("order-1"), PUT);
    QueueHooks.put(loads, new Fixtures.LoadMetadata("order-2"), PUT);
    tee.step(); // a pass boundary between producers and consumers
    QueueHooks.take(loads, TAKE);
    entities.set(3);
    GuardHooks.flagRead(true, FLAG);
    LatchHooks.countDown(gate, SIGNAL);
    Thread other = new Thread(() -> {
      try {
        QueueHooks.take(derives, TAKE); // derive for order-1 while its load still runs: kept by the gate
        LatchHooks.await(gate, AWAIT);
        GuardHooks.guardMethodExit(new Object[] {"order-1"}, Boolean.TRUE, System.nanoTime(), GATE, null);
        QueueHooks.take(loads, TAKE); // order-2's load, ended by the thread's end
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "deriver-7");
    other.start();
    other.join();
    QueueHooks.poll(loads, TAKE);
    QueueHooks.put(loads, new Fixtures.LoadMetadata("order-3"), PUT); // sent first, still queued ...
    QueueHooks.put(derives, new Fixtures.Derive("order-3"), PUT); // ... when derive runs: a violation
    QueueHooks.take(derives, TAKE);
    Thread[] worker = new Thread[1];
    Executor pool = command -> {
      worker[0] = new Thread(() -> TaskRuns.run(command), "worker-1");
      worker[0].start();
    };
    ExecutorHooks.execute(pool, new Fixtures.Task("tenant-3"), SUBMIT);
    worker[0].join(5_000);
    RaceTrace.mark("publish", "order-1");
    QueueHooks.take(new LinkedBlockingQueue<>(List.of("orphan")), TAKE);
    tee.step();
    tee.clock.addAndGet(Pipeline.SETTLE_NANOS + 1);
    tee.step();
  }

  @Test
  void spansReplayedFromTheJournalAreTheSpansLiveExportBuilds() throws Exception {
    JournalTee tee = new JournalTee(OPS, List.of(OrderingRule.parse(
        "load-metadata < derive per key")), false);
    program(tee);
    byte[] journal = tee.finish();

    List<SpanData> replayed = JournalTee.replay(journal);
    assertThat(tee.live).hasSizeGreaterThan(12);
    assertThat(tee.live).anyMatch(s -> Boolean.TRUE.equals(s.getAttributes().get(SpanSchema.RULE_VIOLATED)));
    assertThat(tee.live).anyMatch(s -> s.getName().equals("Node.workers run"));
    assertThat(tee.live).anyMatch(s -> s.getAttributes().get(
        io.opentelemetry.api.common.AttributeKey.longKey("race.state.metadata.entities")) != null);
    assertThat(lines(replayed)).containsExactlyElementsOf(lines(tee.live));
  }

  @Test
  void linksToTheApplicationsSpansAreJournaledAndReplayedAsLiveExportBuildsThem() throws Exception {
    AppOtelBridge bridge = AppOtelBridge.forLoader(getClass().getClassLoader());
    bridge.resolveIfLoaded(); // reads the application's current span at every event from here on
    SdkTracerProvider provider = SdkTracerProvider.builder().build();
    try {
      JournalTee tee = new JournalTee(OPS, List.of(), false);
      tee.linkAppSpans(bridge);
      BlockingQueue<Object> loads = new LinkedBlockingQueue<>();
      Span request = provider.get("app").spanBuilder("request").startSpan();
      try (Scope ignored = request.makeCurrent()) {
        QueueHooks.put(loads, new Fixtures.LoadMetadata("order-1"), PUT);
      } finally {
        request.end();
      }
      QueueHooks.put(loads, new Fixtures.LoadMetadata("order-2"), PUT); // after the request: no link
      tee.step();
      Thread worker = new Thread(() -> {
        try {
          QueueHooks.take(loads, TAKE);
          QueueHooks.take(loads, TAKE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "worker-app-links");
      worker.start();
      worker.join();
      byte[] journal = tee.finish();

      List<SpanData> replayed = JournalTee.replay(journal);
      assertThat(lines(replayed)).containsExactlyElementsOf(lines(tee.live));
      List<SpanData> enqueues = replayed.stream().filter(s -> s.getName().equals("Node.workQueue enqueue"))
          .collect(Collectors.toList());
      assertThat(enqueues).hasSize(2);
      assertThat(appLinks(enqueues.get(0))).singleElement().satisfies(link -> {
        assertThat(link.getSpanContext().getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
        assertThat(link.getSpanContext().getSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(link.getSpanContext().isSampled()).isTrue();
      });
      assertThat(appLinks(enqueues.get(1))).isEmpty();
    } finally {
      AppSpans.install(null);
      provider.close();
    }
  }

  private static List<LinkData> appLinks(SpanData span) {
    return span.getLinks().stream().filter(l -> "app".equals(l.getAttributes().get(
        io.opentelemetry.api.common.AttributeKey.stringKey("race.link")))).collect(Collectors.toList());
  }

  @Test
  void aJournalOfManyChunksEachWithItsOwnPoolsReplaysTheSame() throws Exception {
    JournalTee tee = new JournalTee(OPS, List.of(), true);
    program(tee);
    byte[] journal = tee.finish();
    JournalReader reader = new JournalReader("small.rtj", java.nio.ByteBuffer.wrap(journal));
    while (reader.next() != null) {
      assertThat(reader.damage()).isNull();
    }
    assertThat(reader.chunksRead()).isEqualTo(3); // two passes that found records, and shutdown
    assertThat(lines(JournalTee.replay(journal))).containsExactlyElementsOf(lines(tee.live));
  }

  @Test
  void analyzingAJournalGivesTheAnalysisOfTheSpansExportedFromIt(@TempDir Path dir) throws Exception {
    JournalTee tee = new JournalTee(OPS, List.of(OrderingRule.parse(
        "load-metadata < derive per key")), false);
    program(tee);
    byte[] bytes = tee.finish();
    Path journal = Files.write(dir.resolve("node-tee.rtj"), bytes);
    Path json = Files.createDirectory(dir.resolve("json"));
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(messages, true, StandardCharsets.UTF_8);
    assertThat(new JournalExport(err).toOtlpJson(List.of(journal), json)).hasSize(1);
    PrintStream report = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    int fromJson = AnalyzeCommand.run(new String[] {json.toString(), "--json",
        dir.resolve("from-json.json").toString()}, report, err);
    int fromJournal = AnalyzeCommand.run(new String[] {"--json",
        dir.resolve("from-journal.json").toString()},
        List.of(new JournalSpanProducer(journal, err)), report, err);

    assertThat(Files.readString(dir.resolve("from-json.json")))
        .contains("\"spans\" : 17").contains("guaranteed (latch.count_down");
    assertThat(fromJournal).as("%s", messages).isEqualTo(fromJson);
    assertThat(Files.readString(dir.resolve("from-journal.json")))
        .isEqualTo(Files.readString(dir.resolve("from-json.json")));
    assertThat(messages.toString(StandardCharsets.UTF_8))
        .contains(" -> " + (JournalTee.replay(bytes).size() + 1) + " spans -> analyzer"); // + stats
  }

  @Test
  void aFileThatIsNotAJournalIsAnInputErrorNamingIt(@TempDir Path dir) throws Exception {
    Path notJournal = Files.writeString(dir.resolve("spans.rtj"), "{\"resourceSpans\":[]}\n");
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(messages, true, StandardCharsets.UTF_8);
    PrintStream report = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    assertThat(AnalyzeCommand.run(new String[0], List.of(new JournalSpanProducer(notJournal, err)),
        report, err)).isEqualTo(1);
    assertThat(messages.toString(StandardCharsets.UTF_8))
        .startsWith("racetrace analyze: " + notJournal).contains("not a racetrace journal");
  }

  /**
   * A pass cut short leaves records in some rings while later seqs of other rings are journaled:
   * the consumer's ring is drained before the producer's, so without the pass's watermark a take
   * would be replayed before the put of its element, which sits in a later pass.
   */
  @Test
  void passesCutShortReplayInSeqOrderAcrossPasses() throws Exception {
    long seed = Long.getLong("racetrace.test.seed", System.nanoTime());
    for (int round = 0; round < 10; round++) {
      Random random = new Random(seed + round);
      String why = "seed " + (seed + round) + " (rerun with -Dracetrace.test.seed=" + (seed + round) + ")";
      JournalTee tee = new JournalTee(OPS, List.of(), random.nextBoolean());
      BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
      int items = 20 + random.nextInt(60);
      CountDownLatch consumerRing = new CountDownLatch(1);
      CountDownLatch produced = new CountDownLatch(1);
      Thread consumer = new Thread(() -> {
        try {
          RaceTrace.mark("consumer-ready", null); // its ring comes first in the drain
          consumerRing.countDown();
          produced.await();
          for (int i = 0; i < items; i++) {
            QueueHooks.take(queue, TAKE);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "consumer-" + round);
      Thread producer = new Thread(() -> {
        try {
          consumerRing.await();
          for (int i = 0; i < items; i++) {
            QueueHooks.put(queue, new Fixtures.LoadMetadata("order-" + i), PUT);
          }
          produced.countDown();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "producer-" + round);
      consumer.start();
      producer.start();
      producer.join();
      consumer.join();
      for (int pass = 0; pass < 3 * items; pass++) {
        tee.step(1 + random.nextInt(8));
      }
      byte[] journal = tee.finish();

      List<SpanData> replayed = new ArrayList<>();
      new JournalReplay(replayed::add).replay(new JournalReader("cut.rtj", java.nio.ByteBuffer.wrap(journal)));
      SpanData stats = replayed.remove(replayed.size() - 1);
      assertThat(stats.getAttributes().get(SpanSchema.UNMATCHED_DEQUEUES)).as(why).isZero();
      assertThat(lines(replayed)).as(why).containsExactlyElementsOf(lines(tee.live));
      assertThat(replayed.stream().filter(sp -> sp.getLinks().size() > 0).count()).as(why)
          .isGreaterThanOrEqualTo(items); // every take linked to its put
    }
  }

  private static List<String> lines(List<SpanData> spans) {
    return spans.stream().map(JournalTee::describe).collect(Collectors.toList());
  }
}
