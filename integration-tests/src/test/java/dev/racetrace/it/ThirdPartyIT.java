package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.SpanFile.Span;
import dev.racetrace.it.thirdparty.JettyProgram;
import dev.racetrace.it.thirdparty.PoolProgram;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real libraries from Maven Central with their own packages enabled, as a new user would try them:
 * Apache Commons Pool2 under contention and a Jetty 12 server. On these healthy runs the program
 * prints exactly what it prints without the agent, every dequeue is linked to the enqueue of the
 * element it returned, one operation on one queue is one event whichever hooks see it, and every
 * hand-off through the library's executor has its submit (with the caller) and its run.
 */
class ThirdPartyIT {
  private static final String PROGRAMS = "dev.racetrace.it.thirdparty";

  @TempDir Path dir;

  @Test
  void commonsPool2UnderContentionRecordsEachBorrowAndReturnOnceAndLinked() throws Exception {
    long base = Long.getLong("racetrace.it.seed", System.nanoTime());
    for (int repeat = 0; repeat < 2; repeat++) {
      long seed = base + repeat;
      try {
        pool2(seed, repeat == 0 ? "8m" : "256k");
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + " (-Dracetrace.it.seed=" + seed + ", memory.max "
            + (repeat == 0 ? "8m" : "256k") + "): " + e.getMessage(), e);
      }
    }
  }

  /**
   * With maxWait set, every borrow takes its object through Pool2's own {@code pollFirst(Duration)},
   * which only the type advice sees: it is in place from the class's load, so the first borrows are
   * recorded too (the advice installed in the background used to miss them).
   */
  @Test
  void commonsPool2WithMaxWaitRecordsEveryBorrowFromTheFirst() throws Exception {
    long seed = Long.getLong("racetrace.it.seed", System.nanoTime());
    try {
      pool2(seed, "8m", "max-wait");
    } catch (AssertionError e) {
      throw new AssertionError("seed " + seed + " (-Dracetrace.it.seed=" + seed + ", max-wait): " + e.getMessage(), e);
    }
  }

  private void pool2(long seed, String memoryMax, String... more) throws Exception {
    List<String> argList = new java.util.ArrayList<>(List.of(Long.toString(seed)));
    argList.addAll(List.of(more));
    String[] args = argList.toArray(new String[0]);
    ForkedJvm.Result plain = ForkedJvm.plain().classpath(classpath()).run(PoolProgram.class, args);
    Path out = dir.resolve("pool-" + seed);
    ForkedJvm.Result traced = ForkedJvm.withAgent()
        .jvmArg("-Dracetrace.include=org.apache.commons.pool2," + PROGRAMS,
            "-Dracetrace.keys=org.apache.commons.pool2.impl.DefaultPooledObject#getObject",
            // the second run with a tiny budget: 256-event drain cycles, cut short all the time,
            // must keep every link exact (the drain takes the oldest events first)
            "-Dracetrace.memory.max=" + memoryMax,
            "-Dracetrace.out=" + out)
        .classpath(classpath()).run(PoolProgram.class, args);
    assertThat(plain.exitCode).as(plain.toString()).isZero();
    assertThat(traced.exitCode).as(traced.toString()).isZero();
    assertThat(traced.stdout).as("output with the agent").isEqualTo(plain.stdout);
    assertThat(plain.stdout).contains("shared=0");

    SpanFile spans = SpanFile.readDir(out);
    String idle = "GenericObjectPool.idleObjects";
    List<Span> enqueues = spans.where(s -> "queue.enqueue".equals(s.event()) && idle.equals(s.str("race.queue.id")));
    // returnObject's addFirst calls the deque's own offerFirst: still one event per return
    assertThat(enqueues).as("one enqueue per returnObject").hasSize(number(plain.stdout, "returns"));
    assertThat(enqueues).allSatisfy(e -> assertThat(e.str("code.function")).isEqualTo("returnObject"));
    List<Span> processes = processes(spans);
    assertThat(processes).as("borrows taken from the idle deque").isNotEmpty()
        .allSatisfy(p -> assertThat(p.str("race.key")).startsWith("conn-"));
    // every borrow that did not create its object took one from the idle deque (pollFirst() or
    // takeFirst(), without maxWait), and close() took the idle ones: each is one recorded dequeue,
    // from the very first borrow on
    assertThat(processes).as("one dequeue per borrow from the deque and per object cleared at close")
        .hasSize(number(plain.stdout, "returns") - number(plain.stdout, "created") + number(plain.stdout, "idle"));
    assertEveryDequeueLinked(spans, processes);
    assertNoNestedDoubles(spans, "org.apache.commons.pool2.impl.LinkedBlockingDeque");
    // a borrow is linked to the return of the object it got: the latest one before it, not an older one
    Map<Long, Span> enqueueBySeq = new HashMap<>();
    enqueues.forEach(e -> enqueueBySeq.put(e.seq(), e));
    for (Span p : processes) {
      Span linked = enqueueBySeq.get(p.num("race.causal_id"));
      assertThat(linked.str("race.key")).as("object of %s", p).isEqualTo(p.str("race.key"));
      assertThat(enqueues).as("a later return of %s before %s", p.str("race.key"), p)
          .noneMatch(e -> e.seq() > linked.seq() && e.seq() < p.seq() && p.str("race.key").equals(e.str("race.key")));
    }
  }

  @Test
  void jettyServingRequestsLinksEveryHandOffThroughItsThreadPool() throws Exception {
    String requests = "150";
    ForkedJvm.Result plain = ForkedJvm.plain().classpath(classpath()).run(JettyProgram.class, requests);
    Path out = dir.resolve("jetty");
    ForkedJvm.Result traced = ForkedJvm.withAgent()
        // rings 4x the default: the selector thread records every hand-off, and on a loaded machine
        // the exporter thread may get no core for a while
        .jvmArg("-Dracetrace.include=org.eclipse.jetty," + PROGRAMS, "-Dracetrace.buffer.size=16384",
            "-Dracetrace.out=" + out)
        .classpath(classpath()).run(JettyProgram.class, requests);
    assertThat(plain.exitCode).as(plain.toString()).isZero();
    assertThat(traced.exitCode).as(traced.toString()).isZero();
    assertThat(traced.stdout).as("output with the agent").isEqualTo(plain.stdout);
    assertThat(plain.stdout).contains("ok=" + requests);

    SpanFile spans = SpanFile.readDir(out);
    List<Span> processes = processes(spans);
    assertThat(processes.stream().filter(p -> "QueuedThreadPool._jobs".equals(p.str("race.queue.id"))))
        .as("jobs taken by Jetty's workers").isNotEmpty();
    assertEveryDequeueLinked(spans, processes);
    // QueuedThreadPool.execute offers to its BlockingArrayQueue: a different object, its own event
    assertThat(spans.where(s -> "queue.enqueue".equals(s.event()) && "QueuedThreadPool._jobs".equals(s.str("race.queue.id"))
        && "execute".equals(s.str("code.function")))).as("offers inside QueuedThreadPool.execute").isNotEmpty();
    assertNoNestedDoubles(spans, "org.eclipse.jetty.util.BlockingArrayQueue");

    List<Span> submits = spans.event("task.submit");
    assertThat(submits).isNotEmpty().allSatisfy(s -> {
      assertThat(s.num("code.lineno")).as("the caller's line of %s", s).isNotNull().isPositive();
      assertThat(s.str("code.namespace")).isNotEqualTo("org.eclipse.jetty.util.thread.QueuedThreadPool");
    });
    Set<Long> submitSeqs = new HashSet<>();
    submits.forEach(s -> submitSeqs.add(s.seq()));
    List<Span> runs = spans.event("task.start");
    assertThat(runs).as("runs of the submitted tasks").isNotEmpty();
    long dropped = droppedEvents(spans); // a dropped submit leaves its run without it (see below)
    assertThat(runs.stream().filter(r -> !submitSeqs.contains(r.num("race.causal_id"))))
        .as("runs without their submit, %d events dropped", dropped).hasSizeLessThanOrEqualTo((int) Math.min(dropped, Integer.MAX_VALUE));
  }

  /** {@code race.dropped_events} of the recording's last stats span. */
  private static long droppedEvents(SpanFile spans) {
    List<Span> stats = spans.where(s -> "racetrace.stats".equals(s.name));
    assertThat(stats).isNotEmpty();
    return Long.parseLong(stats.get(stats.size() - 1).str("race.dropped_events"));
  }

  /** The consumer spans of dequeues that returned an element. */
  private static List<Span> processes(SpanFile spans) {
    return spans.where(s -> "queue.dequeue".equals(s.event()) && s.name.endsWith(" process"));
  }

  /**
   * Each dequeue linked to an earlier enqueue on its queue, no enqueue taken twice, none unmatched.
   * An event dropped at a full ring (the exporter thread got no core in time on a loaded machine)
   * may be an enqueue, whose dequeue then cannot be linked: the recording says so in
   * {@code race.dropped_events}, and at most that many dequeues may go unlinked.
   */
  private static void assertEveryDequeueLinked(SpanFile spans, List<Span> processes) {
    long dropped = droppedEvents(spans);
    Map<Long, Span> enqueueBySeq = new HashMap<>();
    for (Span e : spans.event("queue.enqueue")) {
      enqueueBySeq.put(e.seq(), e);
    }
    Set<Long> taken = new HashSet<>();
    List<Span> unlinked = new ArrayList<>();
    for (Span p : processes) {
      Span e = enqueueBySeq.get(p.num("race.causal_id"));
      if (e == null || !p.linkedSpanIds.contains(e.spanId)) {
        unlinked.add(p);
        continue;
      }
      assertThat(e.str("race.queue.id")).isEqualTo(p.str("race.queue.id"));
      assertThat(e.seq()).isLessThan(p.seq());
      assertThat(taken.add(e.seq())).as("enqueue %s taken twice", e).isTrue();
    }
    assertThat(unlinked).as("dequeues without their enqueue, %d events dropped", dropped)
        .hasSizeLessThanOrEqualTo((int) Math.min(dropped, Integer.MAX_VALUE));
    List<Span> stats = spans.where(s -> "racetrace.stats".equals(s.name));
    assertThat(Long.parseLong(stats.get(stats.size() - 1).str("race.unmatched_dequeues")))
        .as("unmatched, %d events dropped", dropped).isLessThanOrEqualTo(dropped);
  }

  /**
   * No enqueue recorded inside a queue's own implementation while a call into it was recorded: a
   * nested double takes the very next seq on the same thread, or comes from the queue's own class.
   */
  private static void assertNoNestedDoubles(SpanFile spans, String queueClass) {
    List<Span> enqueues = spans.event("queue.enqueue");
    assertThat(enqueues).as("enqueues recorded inside " + queueClass)
        .noneMatch(e -> queueClass.equals(e.str("code.namespace")));
    Map<String, Long> lastByThread = new HashMap<>();
    for (Span e : enqueues) {
      String thread = e.str("thread.id") + "/" + e.str("race.queue.id");
      Long last = lastByThread.put(thread, e.seq());
      assertThat(last == null || last + 1 != e.seq()).as("enqueue %s right after another on its thread", e).isTrue();
    }
  }

  private static int number(String stdout, String name) {
    Matcher m = Pattern.compile(name + "=(\\d+)").matcher(stdout);
    assertThat(m.find()).as(name + " in " + stdout).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /** The programs (compiled with the tests) and the libraries, from the tests' own class path. */
  private static String[] classpath() throws Exception {
    List<String> cp = new ArrayList<>();
    cp.add(Paths.get(ThirdPartyIT.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    cp.addAll(ForkedJvm.testJars("commons-pool2"));
    cp.addAll(ForkedJvm.testJars("jetty-"));
    cp.addAll(ForkedJvm.testJars("slf4j-api"));
    return cp.toArray(new String[0]);
  }
}
