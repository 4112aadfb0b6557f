package dev.racetrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.agent.export.journal.JournalWriter;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.hook.QueueHooks;
import dev.racetrace.core.site.CallSites;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The builder picks one {@link ExportCycle} per mode, and a pass runs without the exporter thread. */
class ExportCycleTest {
  private static final int PUT = CallSites.register("com.acme.Feed", "send", 11, "BlockingQueue.put", "Feed.out");
  private static final JournalWriter.Output NOWHERE = new JournalWriter.Output() {
    @Override
    public void write(ByteBuffer chunk) {}

    @Override
    public void close() {}
  };

  @BeforeAll
  static void recording() {
    if (!Recorder.isRecording()) {
      Recorder.start(new Recorder.Settings(1024, 64, 2));
    }
  }

  private static ExportLoopBuilder builder() {
    new RingDrainer(Recorder.registry(), new ThreadDirectory()).drain(Integer.MAX_VALUE, new ArrayList<>());
    return ExportLoop.builder().nodeId("n1").counters(new Counters()).intervalMillis(100);
  }

  @Test
  void theModeIsChosenWhenTheLoopIsBuilt() {
    assertThat(builder().build().cycle()).isInstanceOf(SpanCycle.class);
    assertThat(builder().liveCpu(0.5).build().cycle()).isInstanceOf(SpanCycle.class);
    assertThat(builder().journalTo(NOWHERE, Path.of("n1.rtj"), Map.of()).build().cycle())
        .isInstanceOf(JournalCycle.class);
    assertThat(builder().journalTo(NOWHERE, Path.of("n1.rtj"), Map.of()).liveCpu(0.5).build().cycle())
        .isInstanceOf(LiveJournalCycle.class);
    ExportLoop flightOnJournal = builder().flight(100, Set.of("timeout"))
        .flightJournalTo(Path.of("n1.rtj"), Map.of(), 1 << 20, 60_000, Long.MAX_VALUE, "unlimited").build();
    assertThat(flightOnJournal.cycle()).isInstanceOf(JournalCycle.class);
    assertThat(flightOnJournal.journalFile()).as("the journal is written only on a dump").isNull();
    assertThat(builder().liveCpu(0.5).flight(100, Set.of()).build().liveCpuShare())
        .as("no live budget in flight mode").isEqualTo(-1);
  }

  @Test
  void aJournalPassCopiesTheRecordsAndWakesSoonerWhileTheyKeepComingThanWhenIdle() throws Exception {
    ExportLoop loop = builder().journalTo(NOWHERE, Path.of("n1.rtj"), Map.of()).build();
    ExportCycle cycle = loop.cycle();
    LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
    List<Object> sent = List.of("a", "b", "c");
    for (Object o : sent) {
      QueueHooks.put(q, o, PUT);
    }

    assertThat(cycle.pass()).as("stopped at its limit").isFalse();
    assertThat(cycle.journaledRecords()).isGreaterThanOrEqualTo(sent.size());
    assertThat(cycle.pauseNanos()).as("records came: the busy pause").isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(loop.journaledRecords()).isEqualTo(cycle.journaledRecords());

    long copied = cycle.journaledRecords();
    assertThat(cycle.pass()).isFalse();
    assertThat(cycle.journaledRecords()).as("nothing new came").isEqualTo(copied);
    assertThat(cycle.pauseNanos()).as("idle: the export interval (a ring passing half full wakes it)")
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    loop.shutdown(1_000);
  }

  @Test
  void liveAssemblyWaitsForItsWarmUpWhileTheJournalTakesEveryRecord() throws Exception {
    CountDownLatch warming = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExportLoop loop = builder().journalTo(NOWHERE, Path.of("n1.rtj"), Map.of()).liveCpu(0.5, () -> 0, () -> 0)
        .liveWarmUp(() -> {
          warming.countDown();
          awaitQuietly(release);
        }).build();
    ExportCycle cycle = loop.cycle();
    cycle.warmUp();
    assertThat(warming.await(10, TimeUnit.SECONDS)).as("the warm-up runs on a thread of its own").isTrue();
    LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
    for (Object o : List.of("a", "b", "c")) {
      QueueHooks.put(q, o, PUT);
    }
    cycle.pass();
    assertThat(cycle.journaledRecords()).as("the journal takes every record meanwhile").isGreaterThanOrEqualTo(3);
    assertThat(loop.assemblersCreated()).as("no live assembly while warming up").isZero();

    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      cycle.pass();
      return loop.assemblersCreated() == 1;
    });
    loop.shutdown(1_000);
  }

  @Test
  void theExitDrainAssemblesWhetherTheWarmUpHasEndedOrNot() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    ExportLoop loop = builder().journalTo(NOWHERE, Path.of("n1.rtj"), Map.of()).liveCpu(0.5, () -> 0, () -> 0)
        .liveWarmUp(() -> awaitQuietly(never)).build();
    ExportCycle cycle = loop.cycle();
    cycle.warmUp();
    QueueHooks.put(new LinkedBlockingQueue<>(), "a", PUT);
    cycle.exiting();
    cycle.pass();
    assertThat(loop.assemblersCreated()).isEqualTo(1);
    never.countDown();
    loop.shutdown(1_000);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void withLiveExportBesideTheJournalAnIdlePassIsFollowedBy10Ms() throws Exception {
    ExportLoop loop = builder().journalTo(NOWHERE, Path.of("n1.rtj"), Map.of()).liveCpu(0.5).build();
    ExportCycle cycle = loop.cycle();
    cycle.pass(); // whatever earlier tests left in the rings
    long copied = cycle.journaledRecords();
    cycle.pass();
    assertThat(cycle.journaledRecords()).as("nothing new came").isEqualTo(copied);
    assertThat(cycle.pauseNanos()).as("idle, live export beside the journal")
        .isEqualTo(LiveJournalCycle.IDLE_PAUSE_NANOS);
    loop.shutdown(1_000);
  }
}
