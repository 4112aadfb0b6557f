package dev.racetrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.hook.LatchHooks;
import dev.racetrace.core.hook.QueueHooks;
import dev.racetrace.core.site.CallSites;
import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
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

  @TempDir Path dir;

  @BeforeAll
  static void recording() {
    if (!Recorder.isRecording()) {
      Recorder.start(new Recorder.Settings(1024, 64, 2));
    }
  }

  private ExportLoop loop(List<OrderingRule> rules, String... triggers) {
    new RingDrainer(Recorder.registry(), new ThreadDirectory()).drain(Integer.MAX_VALUE, new ArrayList<>());
    ExportLoop loop = new ExportLoop(Resource.getDefault(), InstrumentationScopeInfo.create("test"), "n1", 60_000,
        OpNames.none(), rules, List.of(), new Counters(), 10, 5_000, 100, Set.of(triggers), 8 << 20);
    Map<String, String> header = new LinkedHashMap<>();
    header.put(JournalHeader.NODE, "n1");
    header.put(JournalHeader.TRACE_WINDOW_MS, "60000");
    header.put(JournalHeader.SCOPE_VERSION, "test");
    loop.flightJournalTo(dir.resolve("orders-n1-42.rtj"), header, 1 << 20, 600_000, Long.MAX_VALUE, "unlimited");
    return loop;
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
  void anExpiredTimedWaitDumpsTheJournalWithoutASpanAssembler() throws Exception {
    ExportLoop loop = loop(List.of(), "timeout", "violation");
    expiredWaitThenGoOn();
    loop.shutdown(5_000); // never started: the exit drain runs the passes on this thread

    assertThat(dumps()).hasSize(1);
    assertThat(reason(dumps().get(0))).isEqualTo("timed wait on Node.ready expired and the code went on");
    assertThat(loop.assemblersCreated()).as("span assemblers created in flight mode on the journal").isZero();
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
}
