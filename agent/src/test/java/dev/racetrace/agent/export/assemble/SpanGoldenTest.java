package dev.racetrace.agent.export.assemble;

import static dev.racetrace.core.EventKind.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.agent.export.sink.JsonBytes;
import dev.racetrace.agent.export.sink.OtlpJsonEncoder;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.site.CallSite;
import dev.racetrace.schema.EventRole;
import dev.racetrace.schema.EventType;
import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Golden test of span assembly: a fixed set of ring records (every event kind the assembler turns
 * into spans: queues, executors and task links, latches, semaphores, barriers, phasers, locks,
 * conditions and monitor waits, future gets, sleeps, flags, guard methods, condition checks, marks,
 * delays, object names, state probes, an expired timed wait, a rule violation and an order kept
 * by a guard, a continuation task, a dequeue bound to an enqueue that arrived late, an unmatched
 * dequeue, application span links) decoded as the drainer decodes them and assembled with a fixed
 * clock, node id, resource and symbols, then encoded by the production OTLP JSON encoder and
 * compared byte for byte to {@code golden/spans.json}. Any change of a span name, attribute, link,
 * id, time or of the order spans are emitted in fails it. Regenerate deliberately with
 * {@code -Dracetrace.golden.update=true} and review the diff.
 */
class SpanGoldenTest {
  private static final String GOLDEN = "golden/spans.json";

  /** Operation classes: the record carries the class (as the decoder leaves it) and an element id. */
  static final class LoadMetadata { }

  static final class Derive { }

  static final class Job { }

  private static final OpNames OPS = new OpNames(Map.of(
      LoadMetadata.class.getName(), "load-metadata",
      Derive.class.getName(), "derive"));

  private final Map<Integer, CallSite> sites = new HashMap<>();
  private final List<Event> events = new ArrayList<>();
  private final long[] buf = new long[EventRing.RECORD_LONGS];
  private final Object[] refs = new Object[EventRing.RECORD_REFS];
  private long seq;
  private long time = 1_700_000_000_000_000_000L;

  private int site(int id, String cls, String method, int line, String target, String receiver) {
    sites.put(id, CallSite.of(id, cls, method, line, target, receiver));
    return id;
  }

  /** One ring record, laid out as the recorder writes it and decoded as the drainer decodes it. */
  private Event rec(int kind, int outcome, int small, int site, long thread, int obj, int elem,
      long a, long b, long c, Object key, Object aux) {
    seq++;
    time += 1_000;
    buf[EventRing.HEADER] = seq;
    buf[EventRing.TIME] = time;
    buf[EventRing.META] = (kind & 0xFFL) | ((outcome & 0xFFL) << 8) | ((small & 0xFFFFL) << 16)
        | ((long) site << 32);
    buf[EventRing.THREAD] = thread;
    buf[EventRing.IDS] = (obj & 0xFFFFFFFFL) | ((long) elem << 32);
    buf[EventRing.A] = a;
    buf[EventRing.B] = b;
    buf[EventRing.C] = c;
    refs[0] = key;
    refs[1] = aux;
    Event e = Event.decode(buf, refs, 0);
    e.threadName = "t-" + thread;
    events.add(e);
    return e;
  }

  /** A record that arrives late: its seq and time were taken earlier ({@link #reserve}). */
  private Event recAt(long[] reserved, int kind, int outcome, int small, int site, long thread, int obj,
      int elem, long a, long b, long c, Object key, Object aux) {
    long seqNow = seq;
    long timeNow = time;
    seq = reserved[0] - 1;
    time = reserved[1] - 1_000;
    Event e = rec(kind, outcome, small, site, thread, obj, elem, a, b, c, key, aux);
    seq = seqNow;
    time = timeNow;
    return e;
  }

  /** Takes a seq and time for a record written later. */
  private long[] reserve() {
    seq++;
    time += 1_000;
    return new long[] {seq, time};
  }

  @Test
  void theSameRecordedEventsGiveByteIdenticalSpans() throws IOException {
    String json = assemble();
    assertThat(assemble()).as("deterministic within one run").isEqualTo(json);
    Path golden = Paths.get("src/test/resources", GOLDEN);
    if (Boolean.getBoolean("racetrace.golden.update")) {
      Files.createDirectories(golden.getParent());
      Files.write(golden, json.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(golden).as("the golden file (run from the agent module)").exists();
    String expected = new String(Files.readAllBytes(golden), StandardCharsets.UTF_8);
    assertThat(json).as("spans from the recorded events, byte for byte").isEqualTo(expected);
  }

  /**
   * Every recorded kind whose role makes a span (schema's {@code EventType} table) has one among
   * the golden spans: a kind added to the table fails here until it is assembled into its span and
   * its records join this test.
   */
  @Test
  void everyKindWithASpanRoleIsAmongTheGoldenSpans() throws IOException {
    String golden = new String(Files.readAllBytes(Paths.get("src/test/resources", GOLDEN)), StandardCharsets.UTF_8);
    Set<String> exported = new TreeSet<>();
    Matcher m = Pattern
        .compile("\\{\"key\":\"race\\.event\",\"value\":\\{\"stringValue\":\"([a-z._]+)\"").matcher(golden);
    while (m.find()) {
      exported.add(m.group(1));
    }
    Set<String> spanKinds = new TreeSet<>();
    for (EventType type : EventType.values()) {
      if (type.kind() != EventType.NO_KIND && type.role() != EventRole.NO_SPAN && type.role() != EventRole.AGENT) {
        spanKinds.add(type.eventName());
      }
    }
    assertThat(exported).as("race.event values of the golden spans").containsAll(spanKinds);
  }

  private String assemble() {
    sites.clear();
    events.clear();
    seq = 0;
    time = 1_700_000_000_000_000_000L;
    long[] clock = {1};
    List<SpanData> spans = new ArrayList<>();
    Symbols symbols = new Symbols() {
      @Override
      public CallSite site(int id) {
        CallSite s = sites.get(id);
        return s != null ? s : CallSite.of(0, "", "", -1, "", null);
      }

      @Override
      public String probeName(int index) {
        return index == 3 ? "metadata.entities" : null;
      }
    };
    Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "golden",
        AttributeKey.stringKey("race.node.id"), "node-golden"));
    SpanAssembler assembler = new SpanAssembler(resource, InstrumentationScopeInfo.create("racetrace"),
        new Ids("node-golden", 60_000), new Naming(OPS, symbols), new ThreadDirectory(), new Counters(),
        spans::add, () -> clock[0], List.of(parse("load-metadata < derive per key")), 1_000L);
    SpanContext app = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
        TraceFlags.getSampled(), TraceState.getDefault());
    assembler.linkAppSpans(o -> o instanceof SpanContext ? (SpanContext) o : null);

    int put = site(1, "com.acme.Feed", "send", 10, "BlockingQueue.put", "Node.queue");
    int take = site(2, "com.acme.Worker", "loop", 20, "BlockingQueue.take", "Node.queue");
    int poll = site(3, "com.acme.Worker", "poll", 21, "BlockingQueue.poll", "Node.queue");
    int peek = site(4, "com.acme.Worker", "peek", 22, "Queue.peek", "Node.queue");
    int drain = site(5, "com.acme.Worker", "drain", 23, "BlockingQueue.drainTo", "Node.queue");
    int submit = site(6, "com.acme.Worker", "loop", 24, "ExecutorService.submit", "Node.workers");
    int run = site(7, "java.util.concurrent.ThreadPoolExecutor", "runWorker", 0, "Runnable.run", "Node.workers");
    int latchNew = site(8, "com.acme.Node", "<init>", 30, "CountDownLatch.new", "Node.startup");
    int countDown = site(9, "com.acme.Boot", "run", 31, "CountDownLatch.countDown", null);
    int await = site(10, "com.acme.Worker", "loop", 32, "CountDownLatch.await", null);
    int getCount = site(11, "com.acme.Worker", "loop", 33, "CountDownLatch.getCount", null);
    int semAcquire = site(12, "com.acme.Pool", "get", 40, "Semaphore.acquire", "Pool.permits");
    int semRelease = site(13, "com.acme.Pool", "put", 41, "Semaphore.release", "Pool.permits");
    int barrier = site(14, "com.acme.Phase", "step", 42, "CyclicBarrier.await", "Phase.barrier");
    int arrive = site(15, "com.acme.Phase", "step", 43, "Phaser.arrive", "Phase.phaser");
    int phAwait = site(16, "com.acme.Phase", "step", 44, "Phaser.awaitAdvance", "Phase.phaser");
    int lock = site(17, "com.acme.Cache", "warm", 50, "Lock.lock", "Cache.lock");
    int unlock = site(18, "com.acme.Cache", "warm", 51, "Lock.unlock", "Cache.lock");
    int condAwait = site(19, "com.acme.Cache", "awaitWarm", 52, "Condition.awaitNanos", "Cache.warmed");
    int condSignal = site(20, "com.acme.Cache", "warm", 53, "Condition.signalAll", "Cache.warmed");
    int condCheck = site(21, "com.acme.Cache", "awaitWarm", 54, "Condition.check", "Cache.warmed");
    int monWait = site(22, "com.acme.Cache", "awaitMonitor", 60, "Object.wait", "Cache.monitor");
    int monNotify = site(23, "com.acme.Cache", "warm", 61, "Object.notifyAll", "Cache.monitor");
    int monCheck = site(24, "com.acme.Cache", "awaitMonitor", 62, "Object.check", "Cache.monitor");
    int future = site(25, "com.acme.Client", "call", 70, "Future.get", "Client.reply");
    int sleep = site(26, "com.acme.Client", "backoff", 71, "Thread.sleep", null);
    int flag = site(27, "com.acme.Worker", "derive", 72, "flag.read", "Node.ready");
    int guardMethod = site(28, "com.acme.Worker", "derive", 73, "guard.method", "Node.isReady");
    int mark = site(29, "com.acme.Worker", "derive", 74, "RaceTrace.mark", null);
    int delay = site(30, "com.acme.Worker", "derive", 75, "delay", null);

    // t1 produces the two operations of key order-1 and a job (with the application's span current)
    Event e = rec(QUEUE_ENQUEUE, Outcome.OK, 0, put, 1, 0x100, 0x201, 1, 0, -1, "order-1", LoadMetadata.class);
    e.appContext = app;
    e = rec(QUEUE_ENQUEUE, Outcome.OK, 0, put, 1, 0x100, 0x202, 2, 5_000, 10_000, "order-1", Derive.class);
    e.appContext = app;
    rec(QUEUE_ENQUEUE, Outcome.TIMED_OUT, 0, put, 1, 0x100, 0x203, 2, 10_000, 10_000, null, Job.class);
    rec(OBJECT_NEW, Outcome.OK, 0, latchNew, 1, 0x300, 0, 0, 0, 0, null, null);
    // t2 takes derive first: it proceeds before load-metadata ended (the rule violation)
    rec(QUEUE_DEQUEUE_BEGIN, Outcome.OK, 0, take, 2, 0x100, 0, 0, 0, 0, null, null);
    rec(QUEUE_DEQUEUE, Outcome.OK, 0, take, 2, 0x100, 0x202, 1, 2_000, -1, "order-1", Derive.class);
    rec(FLAG_READ, Outcome.OK, 1, flag, 2, 0, 0, 0, 0, 0, null, null);
    e = rec(GUARD_METHOD, Outcome.OK, 0, guardMethod, 2, 0, 0, 1, 300, 0, "order-1", Boolean.TRUE);
    e.addState(3, 42);
    rec(MARK, Outcome.OK, 0, mark, 2, 0, 0, 0, 0, 0, null, "derived");
    rec(DELAY, Outcome.OK, 0, delay, 2, 0, 0, 500, 480, 1, "order-1", "before derive");
    rec(LATCH_AWAIT, Outcome.OK, 0, await, 2, 0x300, 0, 1, 700, -1, null, null);
    rec(LATCH_GET_COUNT, Outcome.OK, 0, getCount, 2, 0x300, 0, 1, 0, 0, null, null);
    // t2 submits a wrapped task while processing derive, and one that was not wrapped
    rec(TASK_SUBMIT, Outcome.OK, 1, submit, 2, 0x400, 0x500, 0, 0, 0, null, Job.class);
    long submitSeq = seq;
    rec(TASK_SUBMIT, Outcome.REJECTED, 0, submit, 2, 0x400, 0x501, 3, 0, 0, null, Job.class);
    // t3 boots: counts the latch down and takes load-metadata
    rec(LATCH_COUNT_DOWN, Outcome.OK, 0, countDown, 3, 0x300, 0, 1, 0, 0, null, null);
    rec(QUEUE_DEQUEUE, Outcome.OK, 0, take, 3, 0x100, 0x201, 0, 100, -1, "order-1", LoadMetadata.class);
    rec(QUEUE_PEEK, Outcome.OK, 0, peek, 3, 0x100, 0x202, 0, 0, 0, null, Derive.class);
    rec(QUEUE_DRAIN, Outcome.OK, 0, drain, 3, 0x100, 0, 0, 50, 0, null, null);
    // t4 runs the task: guards inside it
    rec(TASK_START, Outcome.OK, 0, run, 4, 0x400, 0x500, submitSeq, 1_500, 0, null, Job.class);
    rec(LATCH_AWAIT, Outcome.OK, 0, await, 4, 0x300, 0, 0, 0, 5_000, null, null);
    rec(SEMAPHORE_ACQUIRE, Outcome.OK, 0, semAcquire, 4, 0x600, 0, 2, 100, -1, null, null);
    rec(SEMAPHORE_RELEASE, Outcome.OK, 0, semRelease, 4, 0x600, 0, 2, 0, 0, null, null);
    rec(BARRIER_AWAIT, Outcome.OK, 0, barrier, 4, 0x601, 0, 1, 200, -1, null, null);
    rec(PHASER_ARRIVE, Outcome.OK, 0, arrive, 4, 0x602, 0, 3, 0, 0, null, null);
    rec(PHASER_AWAIT, Outcome.INTERRUPTED, 0, phAwait, 4, 0x602, 0, 3, 250, -1, null, null);
    rec(FUTURE_GET, Outcome.OK, 0, future, 4, 0x603, 0, 1, 0, -1, null, null);
    rec(FUTURE_GET, Outcome.EXCEPTION, 0, future, 4, 0x604, 0, 0, 900, 1_000_000, null, null);
    rec(TASK_END, Outcome.OK, 0, run, 4, 0x400, 0x500, submitSeq, 0, 0, null, Job.class);
    // t5: a lock, a condition wait that expires and is retried, a signal, the loop's check
    rec(LOCK_ACQUIRE, Outcome.OK, 0, lock, 5, 0x700, 0, 0, 10, -1, null, null);
    rec(CONDITION_AWAIT, Outcome.TIMED_OUT, 0, condAwait, 5, 0x701, 0, 0, 1_000, 1_000, null, null);
    rec(CONDITION_AWAIT, Outcome.OK, 0, condAwait, 5, 0x701, 0, 0, 400, 1_000, null, null);
    rec(CONDITION_SIGNAL, Outcome.OK, 0, condSignal, 5, 0x701, 0, 0, 0, 0, null, null);
    rec(CONDITION_CHECK, Outcome.OK, 0, condCheck, 5, 0, 0, 0, 0, 1, null, null);
    rec(LOCK_RELEASE, Outcome.OK, 0, unlock, 5, 0x700, 0, 0, 0, 0, null, null);
    // t6: a monitor wait that expires and goes on, a notify, the wait loop's check, a sleep
    rec(MONITOR_WAIT, Outcome.TIMED_OUT, 0, monWait, 6, 0x702, 0, 0, 2_000, 2_000, null, null);
    rec(MONITOR_NOTIFY, Outcome.OK, 0, monNotify, 6, 0x702, 0, 0, 0, 0, null, null);
    rec(CONDITION_CHECK, Outcome.TIMED_OUT, 1, monCheck, 6, 0, 0, 0, 0, -1, null, null);
    rec(SLEEP, Outcome.OK, 0, sleep, 6, 0, 0, 0, 3_000, 3_000, null, null);
    // t7: a dequeue whose enqueue was never recorded (parked, then emitted unmatched)
    rec(QUEUE_DEQUEUE, Outcome.OK, 0, take, 7, 0x100, 0x2FF, 0, 0, -1, null, Job.class);
    rec(QUEUE_DEQUEUE, Outcome.EMPTY, 0, poll, 7, 0x100, 0, -1, 0, 0, null, null);
    rec(QUEUE_DEQUEUE, Outcome.TIMED_OUT, 0, poll, 7, 0x100, 0, 0, 1_000, 1_000, null, null);
    // t2 ends derive's processing; t3 ends load-metadata's
    rec(QUEUE_DEQUEUE_BEGIN, Outcome.OK, 0, take, 2, 0x100, 0, 0, 0, 0, null, null);
    rec(QUEUE_DEQUEUE_BEGIN, Outcome.OK, 0, take, 3, 0x100, 0, 0, 0, 0, null, null);

    // key order-2: load-metadata's enqueue record arrives after its dequeue (the dequeue parks and
    // is bound late); load opens a latch that derive then waits on, so derive proceeding while
    // load is still open is no violation; derive hands a continuation task to the pool
    long[] lateEnqueue = reserve();
    rec(QUEUE_DEQUEUE, Outcome.OK, 0, take, 8, 0x100, 0x2A0, 0, 0, -1, "order-2", LoadMetadata.class);
    rec(LATCH_COUNT_DOWN, Outcome.OK, 0, countDown, 8, 0x310, 0, 1, 0, 0, null, null);
    recAt(lateEnqueue, QUEUE_ENQUEUE, Outcome.OK, 0, put, 1, 0x100, 0x2A0, 0, 0, -1, "order-2",
        LoadMetadata.class);
    rec(QUEUE_ENQUEUE, Outcome.OK, 0, put, 1, 0x100, 0x2A1, 1, 0, -1, "order-2", Derive.class);
    rec(QUEUE_DEQUEUE, Outcome.OK, 0, take, 9, 0x100, 0x2A1, 0, 0, -1, "order-2", Derive.class);
    rec(LATCH_AWAIT, Outcome.OK, 0, await, 9, 0x310, 0, 0, 0, -1, null, null);
    rec(TASK_SUBMIT, Outcome.OK, 1, submit, 9, 0x400, 0x502, 0, 0, 0, "order-2", Derive.class);
    long continuation = seq;
    rec(TASK_START, Outcome.OK, 0, run, 10, 0x400, 0x502, continuation, 100, 0, "order-2", Derive.class);
    rec(FLAG_READ, Outcome.OK, 0, flag, 10, 0, 0, 7, 0, 0, null, null);
    rec(TASK_END, Outcome.OK, 0, run, 10, 0x400, 0x502, continuation, 0, 0, null, Derive.class);
    rec(QUEUE_DEQUEUE_BEGIN, Outcome.OK, 0, take, 9, 0x100, 0, 0, 0, 0, null, null);
    rec(QUEUE_DEQUEUE_BEGIN, Outcome.OK, 0, take, 8, 0x100, 0, 0, 0, 0, null, null);

    int half = events.size() / 2;
    for (int i = 0; i < events.size(); i++) {
      assembler.accept(events.get(i));
      if (i == half) {
        clock[0] += 10_000;
        assembler.expire();
      }
    }
    assembler.threadEnded(4);
    clock[0] += SpanAssembler.PARK_NANOS + 1;
    assembler.expire();
    assembler.flushAll();

    JsonBytes out = new JsonBytes(1 << 16);
    new OtlpJsonEncoder(out).encodeRequest(spans);
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  private static OrderingRule parse(String rule) {
    try {
      return OrderingRule.parse(rule);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
