package dev.racetrace.analyzer.testing;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scripts what the agent records on one node, in program order, and produces the spans it would
 * export (docs/span-schema.md): every call takes the next {@code race.seq} and advances the
 * node's clock by one step (1 ms unless changed). Queue elements go through
 * {@code Node.workQueue}, a dispatcher thread and the {@code Node.workers} pool, as in the
 * sample app.
 *
 * <pre>{@code
 * FakeNode n = FakeNode.named("node-1");
 * FakeNode.Element a = n.enqueue("load-metadata", "order-17");
 * n.run(n.dispatch(a), "worker-1").seeing("metadata.entities", 0)
 *     .latchAwait("Node.startupLatch", true).end();
 * n.writeOtlp(dir.resolve("node-1.jsonl"));
 * }</pre>
 */
public final class FakeNode {
  /** The default start of every node's clock. */
  public static final Instant T0 = Instant.parse("2024-05-01T14:30:00Z");
  public static final String QUEUE = "Node.workQueue";
  public static final String POOL = "Node.workers";
  public static final String DISPATCHER = "dispatcher";
  public static final String PRODUCER = "producer";

  private final String id;
  private final Map<String, Object> resource = new LinkedHashMap<>();
  private final List<FakeSpan> spans = new ArrayList<>();
  private final long nodeHash;
  private long seq;
  private long clock;
  private long step = 1_000_000L;
  private long skew;
  private OtlpWriter stream;
  private int streamBatch;
  private long spanCount;

  private FakeNode(String id) {
    this.id = id;
    this.nodeHash = (id.hashCode() & 0x7fffffffL) << 32;
    this.clock = T0.getEpochSecond() * 1_000_000_000L;
    resource.put("service.name", "sample-store");
    resource.put("service.instance.id", id);
    resource.put("host.name", "host-" + id);
    resource.put("racetrace.schema.version", "1");
  }

  /** A node whose clock starts at {@link #T0}. */
  public static FakeNode named(String id) {
    return new FakeNode(id);
  }

  public String id() {
    return id;
  }

  /** Sets {@code racetrace.rules} on the resource. */
  public FakeNode rules(String rules) {
    resource.put("racetrace.rules", rules);
    return this;
  }

  /** Sets a resource attribute. */
  public FakeNode resourceAttr(String key, Object value) {
    resource.put(key, value);
    return this;
  }

  /** Removes a resource attribute. */
  public FakeNode withoutResourceAttr(String key) {
    resource.remove(key);
    return this;
  }

  /** Shifts every exported timestamp by {@code d} (a skewed clock). */
  public FakeNode skew(Duration d) {
    this.skew = d.toNanos();
    return this;
  }

  public long skewNanos() {
    return skew;
  }

  /** Lets time pass without events. */
  public FakeNode advance(Duration d) {
    clock += d.toNanos();
    return this;
  }

  /** Sets how far the clock moves per event. */
  public FakeNode stepEvery(Duration d) {
    step = d.toNanos();
    return this;
  }

  /** Streams spans to {@code file} in lines of {@code batch} spans instead of keeping them. */
  public FakeNode streamTo(Path file, int batch) throws IOException {
    Writer w = new java.io.BufferedWriter(Files.newBufferedWriter(file), 1 << 16);
    stream = new OtlpWriter(w, resource);
    streamBatch = batch;
    return this;
  }

  /** Writes what is left and closes the stream. */
  public void finishStream() throws IOException {
    if (!spans.isEmpty()) {
      stream.writeLine(spans, skew);
      spans.clear();
    }
    stream.close();
  }

  public Map<String, Object> resource() {
    return resource;
  }

  public List<FakeSpan> spans() {
    return spans;
  }

  /** Number of spans recorded so far (streamed or kept). */
  public long spanCount() {
    return spanCount;
  }

  /** The seq of the last event. */
  public long lastSeq() {
    return seq;
  }

  private long next() {
    seq++;
    clock += step;
    return seq;
  }

  private void add(FakeSpan s) {
    spanCount++;
    spans.add(s);
    if (stream != null && spans.size() >= streamBatch) {
      try {
        stream.writeLine(spans, skew);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      spans.clear();
    }
  }

  private String spanId(long s) {
    return String.format("%016x", nodeHash | s);
  }

  static String traceId(String key) {
    long h = key == null ? 7 : key.hashCode();
    return String.format("%016x%016x", h * 0x9E3779B97F4A7C15L, h);
  }

  private FakeSpan newSpan(String name, int kind, long s, String key) {
    return new FakeSpan(name, kind, traceId(key), spanId(s));
  }

  /** A producer span (a send: enqueue or submit) that lasts 1 µs from now, common attributes set. */
  private FakeSpan send(String name, long s, String event, String key, String op, String thread) {
    FakeSpan sp = newSpan(name, FakeSpan.PRODUCER, s, key);
    sp.startNanos = clock;
    sp.endNanos = clock + 1000;
    common(sp, s, event, key, op, thread);
    return sp;
  }

  /** A span that starts and ends now. */
  private FakeSpan instant(String name, int kind, long s, String key) {
    FakeSpan sp = newSpan(name, kind, s, key);
    sp.startNanos = clock;
    sp.endNanos = clock;
    return sp;
  }

  private static void common(FakeSpan sp, long s, String event, String key, String op,
      String thread) {
    sp.attr("race.seq", s).attr("race.event", event).attr("race.outcome", "ok");
    if (key != null) {
      sp.attr("race.key", key);
    }
    if (op != null) {
      sp.attr("race.op", op);
    }
    sp.attr("thread.name", thread).attr("thread.id", (long) Math.abs(thread.hashCode() % 1000));
    sp.attr("code.namespace", "dev.racetrace.sample.Node");
  }

  /** Enqueues an element for {@code op} on {@code key} onto {@link #QUEUE} from the producer. */
  public Element enqueue(String op, String key) {
    return enqueueOn(QUEUE, op, key, PRODUCER, Long.MIN_VALUE);
  }

  /** Enqueues onto {@code queue} from {@code thread}. */
  public Element enqueueOn(String queue, String op, String key, String thread, long parentCausal) {
    long s = next();
    FakeSpan sp = send(queue + " enqueue", s, "queue.enqueue", key, op, thread);
    sp.attr("race.causal_id", s).attr("race.queue.id", queue)
        .attr("messaging.destination.name", queue).attr("messaging.operation.type", "send")
        .attr("code.function", "submit").attr("code.lineno", 41L);
    if (parentCausal != Long.MIN_VALUE) {
      sp.attr("race.parent_causal_id", parentCausal);
    }
    add(sp);
    return new Element(op, key, s, sp, clock, queue);
  }

  /**
   * The dispatcher dequeues {@code e} and submits it to the pool: a {@code process} span and a
   * {@code submit} span; the processing ends when the dispatcher enters its next dequeue.
   */
  public Task dispatch(Element e) {
    long d = next();
    long startNanos = clock;
    FakeSpan process = newSpan(e.queue + " process", FakeSpan.CONSUMER, d, e.key);
    common(process, d, "queue.dequeue", e.key, e.op, DISPATCHER);
    process.parentSpanId = e.span.spanId;
    process.link(e.span, "enqueue");
    process.attr("race.causal_id", e.seq).attr("race.queue.id", e.queue)
        .attr("messaging.destination.name", e.queue).attr("messaging.operation.type", "process")
        .attr("race.queue.wait_ns", startNanos - e.enqueuedNanos).attr("race.blocked_ns", 0L)
        .attr("code.function", "dispatch").attr("code.lineno", 60L);
    long sub = next();
    FakeSpan submit = send(POOL + " submit", sub, "task.submit", e.key, e.op, DISPATCHER);
    submit.parentSpanId = process.spanId;
    submit.attr("race.causal_id", sub).attr("race.parent_causal_id", e.seq)
        .attr("race.executor.id", POOL).attr("race.task.wrapped", true)
        .attr("messaging.operation.type", "send").attr("code.function", "dispatch")
        .attr("code.lineno", 62L);
    add(submit);
    long end = next();
    process.startNanos = startNanos;
    process.endNanos = clock;
    process.attr("race.end_seq", end);
    add(process);
    return new Task(e, sub, submit, clock);
  }

  /**
   * The plainest operation: {@code op} on {@code key} is enqueued, dispatched and run to its end on
   * {@code thread}, guarding nothing.
   */
  public FakeNode runToEnd(String op, String key, String thread) {
    return run(dispatch(enqueue(op, key)), thread).end();
  }

  /** {@code thread} submits a task of {@code op} (key may be null) to {@link #POOL}. */
  public Task submit(String op, String key, String thread) {
    long sub = next();
    FakeSpan submit = send(POOL + " submit", sub, "task.submit", key, op, thread);
    submit.attr("race.causal_id", sub).attr("race.executor.id", POOL)
        .attr("race.task.wrapped", true).attr("code.function", "start").attr("code.lineno", 90L);
    add(submit);
    FakeSpan fake = newSpan("none", FakeSpan.PRODUCER, sub, key);
    return new Task(new Element(op, key, sub, fake, clock, POOL), sub, submit, clock);
  }

  /** A worker starts the task: a {@code run} span, open until {@link Work#end()}. */
  public Work run(Task t, String thread) {
    long s = next();
    FakeSpan run = newSpan(POOL + " run", FakeSpan.CONSUMER, s, t.element.key);
    common(run, s, "task.start", t.element.key, t.element.op, thread);
    run.parentSpanId = t.submit.spanId;
    run.link(t.submit, "submit");
    run.startNanos = clock;
    run.attr("race.causal_id", t.submitSeq).attr("race.parent_causal_id", t.element.seq)
        .attr("race.executor.id", POOL).attr("race.queue.wait_ns", clock - t.submittedNanos)
        .attr("messaging.operation.type", "process").attr("code.function", "run")
        .attr("code.lineno", 75L);
    return new Work(this, run, t.element.key, t.element.op, thread, s, t.submitSeq);
  }

  /** {@code thread} takes {@code e} (a blocking take) and processes it itself (no pool). */
  public Work process(Element e, String thread) {
    return process(e, thread, true);
  }

  /**
   * {@code thread} dequeues {@code e} and processes it itself.
   *
   * @param blocking a blocking take ({@code race.blocked_ns} recorded) rather than a
   *     non-blocking poll (a thread handing itself the next element, as a per-key lane does)
   */
  public Work process(Element e, String thread, boolean blocking) {
    long s = next();
    FakeSpan process = newSpan(e.queue + " process", FakeSpan.CONSUMER, s, e.key);
    common(process, s, "queue.dequeue", e.key, e.op, thread);
    process.parentSpanId = e.span.spanId;
    process.link(e.span, "enqueue");
    process.startNanos = clock;
    process.attr("race.causal_id", e.seq).attr("race.queue.id", e.queue)
        .attr("race.queue.wait_ns", clock - e.enqueuedNanos).attr("code.function", "process")
        .attr("code.lineno", 66L);
    if (blocking) {
      process.attr("race.blocked_ns", 0L);
    }
    return new Work(this, process, e.key, e.op, thread, s, e.seq);
  }

  /** {@code RaceTrace.mark(op, key)} outside any work. */
  public FakeNode mark(String op, String key, String thread) {
    long s = next();
    FakeSpan m = instant(op, FakeSpan.INTERNAL, s, key);
    common(m, s, "mark", key, op, thread);
    add(m);
    return this;
  }

  /** A {@code racetrace.stats} span. */
  public FakeNode stats(long dropped, long unmatched) {
    FakeSpan st = instant("racetrace.stats", FakeSpan.INTERNAL, 0xfffffL, null);
    st.attr("race.event", "stats").attr("race.dropped_events", dropped)
        .attr("race.recorded_events", seq).attr("race.unmatched_dequeues", unmatched)
        .attr("race.internal_errors", 0L).attr("race.export_failures", 0L);
    add(st);
    return this;
  }

  /** A {@code racetrace.stats} span with what the agent's memory and disk budgets cost. */
  public FakeNode budgetStats(long droppedState, long unwrittenSpans, long rotatedSpans) {
    FakeSpan st = instant("racetrace.stats", FakeSpan.INTERNAL, 0xffffeL, null);
    st.attr("race.event", "stats").attr("race.dropped_state", droppedState)
        .attr("race.unwritten_spans", unwrittenSpans).attr("race.rotated_spans", rotatedSpans);
    add(st);
    return this;
  }

  /** Adds a span built by the caller (for malformed or unusual input). */
  public FakeSpan custom(String name, int kind, String key) {
    long s = next();
    FakeSpan sp = instant(name, kind, s, key);
    add(sp);
    return sp;
  }

  /** Writes every span as OTLP JSON lines (50 spans a line) to {@code file}. */
  public Path writeOtlp(Path file) throws IOException {
    return writeOtlp(file, 50);
  }

  /** Writes every span as OTLP JSON lines, {@code perLine} spans a line. */
  public Path writeOtlp(Path file, int perLine) throws IOException {
    try (OtlpWriter w = new OtlpWriter(Files.newBufferedWriter(file), resource)) {
      for (int i = 0; i < spans.size(); i += perLine) {
        w.writeLine(spans.subList(i, Math.min(spans.size(), i + perLine)), skew);
      }
    }
    return file;
  }

  /** An enqueued element. */
  public static final class Element {
    final String op;
    final String key;
    final long seq;
    final FakeSpan span;
    final long enqueuedNanos;
    final String queue;

    Element(String op, String key, long seq, FakeSpan span, long enqueuedNanos, String queue) {
      this.op = op;
      this.key = key;
      this.seq = seq;
      this.span = span;
      this.enqueuedNanos = enqueuedNanos;
      this.queue = queue;
    }

    public long seq() {
      return seq;
    }
  }

  /** A task submitted to the pool for an element. */
  public static final class Task {
    final Element element;
    final long submitSeq;
    final FakeSpan submit;
    final long submittedNanos;

    Task(Element element, long submitSeq, FakeSpan submit, long submittedNanos) {
      this.element = element;
      this.submitSeq = submitSeq;
      this.submit = submit;
      this.submittedNanos = submittedNanos;
    }
  }

  /** Work in progress on a thread: a run or process span, and the guards inside it. */
  public static final class Work {
    private final FakeNode node;
    private final FakeSpan span;
    private final String key;
    private final String op;
    private final String thread;
    private final long workSeq;
    private final long causal;
    private final Map<String, Long> state = new LinkedHashMap<>();
    private boolean startStateSet;

    Work(FakeNode node, FakeSpan span, String key, String op, String thread, long workSeq,
        long causal) {
      this.node = node;
      this.span = span;
      this.key = key;
      this.op = op;
      this.thread = thread;
      this.workSeq = workSeq;
      this.causal = causal;
    }

    /** The visible state from now on ({@code race.state.<name>}); before the first guard it is
     * also the state at the start. */
    public Work seeing(String name, long value) {
      state.put(name, value);
      if (!startStateSet) {
        span.attr("race.state." + name, value);
      }
      return this;
    }

    private FakeSpan lastGuard;

    private FakeSpan guard(String prefix, String event, String kind, String object,
        long blockedNanos, String function, long line) {
      startStateSet = true;
      long entry = node.clock;
      node.clock += blockedNanos;
      long s = node.next();
      FakeSpan g = node.newSpan(prefix + " " + object, FakeSpan.INTERNAL, s, key);
      g.parentSpanId = span.spanId;
      g.startNanos = entry;
      g.endNanos = node.clock;
      common(g, s, event, key, op, thread);
      g.attr("race.causal_id", workSeq).attr("race.guard.kind", kind)
          .attr("race.guard.object", object).attr("code.function", function)
          .attr("code.lineno", line);
      for (Map.Entry<String, Long> e : state.entrySet()) {
        g.attr("race.state." + e.getKey(), e.getValue());
      }
      node.add(g);
      lastGuard = g;
      return g;
    }

    /** {@code CountDownLatch.await()}; trivial when the latch was already open. */
    public Work latchAwait(String object, boolean trivial) {
      FakeSpan g = guard("guard.await", "latch.await", "latch", object, trivial ? 0 : 2_000_000L,
          "awaitStartup", 80L);
      g.attr("race.guard.count_before", trivial ? 0L : 1L).attr("race.guard.trivial", trivial)
          .attr("race.blocked_ns", trivial ? 0L : 2_000_000L);
      return this;
    }

    /** A read of a declared readiness flag that saw {@code value}. */
    public Work flagRead(String object, boolean value) {
      FakeSpan g = guard("guard.check", "flag.read", "flag", object, 0, "checkReady", 84L);
      g.attr("race.guard.value_seen", Boolean.toString(value));
      return this;
    }

    /** {@code Condition.await(30, SECONDS)} that blocked {@code blocked} and timed out or not. */
    public Work timedWait(String object, boolean timedOut, Duration blocked) {
      FakeSpan g = guard("guard.await", "condition.await", "condition", object, blocked.toNanos(),
          "awaitMetadata", 88L);
      g.attr("race.blocked_ns", blocked.toNanos()).attr("race.timeout_ns", 30_000_000_000L)
          .attr("race.guard.timed_out", timedOut);
      if (timedOut) {
        g.attr("race.outcome", "timed_out");
      }
      return this;
    }

    /** A timed wait ({@code event}, e.g. {@code latch.await}) whose timeout expired. */
    public Work timedWaitExpired(String event, String kind, String object, Duration blocked) {
      FakeSpan g = guard("guard.await", event, kind, object, blocked.toNanos(), "awaitEntity", 92L);
      g.attr("race.blocked_ns", blocked.toNanos()).attr("race.timeout_ns", blocked.toNanos())
          .attr("race.guard.trivial", false).attr("race.guard.timed_out", true)
          .attr("race.outcome", "timed_out");
      return this;
    }

    /** {@code Thread.sleep(d)}: recorded as a timed wait on nothing that expired. */
    public Work sleep(Duration d) {
      FakeSpan g = guard("guard.await", "thread.sleep", "sleep", "Thread.sleep", d.toNanos(),
          "pause", 86L);
      g.attr("race.blocked_ns", d.toNanos()).attr("race.timeout_ns", d.toNanos())
          .attr("race.guard.timed_out", true);
      return this;
    }

    /**
     * {@code Condition.await(30, SECONDS)} (or {@code latch.await(timeout)}) that was signalled
     * after {@code blocked}, in time: a timed wait that did not expire.
     */
    public Work timedAwaitSignalled(String event, String kind, String object, Duration blocked) {
      FakeSpan g = guard("guard.await", event, kind, object, blocked.toNanos(), "awaitEntity", 92L);
      g.attr("race.blocked_ns", blocked.toNanos()).attr("race.timeout_ns", 30_000_000_000L)
          .attr("race.guard.trivial", false).attr("race.guard.timed_out", false);
      return this;
    }

    /** A blocking wait ({@code event}, e.g. {@code latch.await}) that was signalled. */
    public Work await(String event, String kind, String object, Duration blocked) {
      FakeSpan g = guard("guard.await", event, kind, object, blocked.toNanos(), "awaitEntity", 92L);
      g.attr("race.blocked_ns", blocked.toNanos()).attr("race.guard.trivial", false)
          .attr("race.guard.timed_out", false);
      return this;
    }

    /**
     * The predicate check of a Condition wait loop ({@code condition.check}, recorded at the
     * unlock that ends the hold): {@code timedLoop} when the loop waits with a timeout.
     */
    public Work conditionCheck(String object, boolean timedLoop) {
      FakeSpan g = guard("guard.check", "condition.check", "condition", object, 0, "awaitWarm",
          112L);
      g.attr("race.guard.timed_loop", timedLoop).attr("race.guard.timed_out", false);
      return this;
    }

    /** The check that ends a timed loop whose last wait expired: it went on without the state. */
    public Work conditionCheckAfterTimeout(String object) {
      FakeSpan g = guard("guard.check", "condition.check", "condition", object, 0, "awaitWarm",
          112L);
      g.attr("race.guard.timed_loop", true).attr("race.guard.timed_out", true)
          .attr("race.outcome", "timed_out");
      return this;
    }

    /** Sets {@code race.guard.object_id} on the guard span just added (which object it was). */
    public Work objectId(String id) {
      lastGuard.attr("race.guard.object_id", id);
      return this;
    }

    /** A declared guard method that returned {@code value}. */
    public Work guardMethod(String object, String value) {
      FakeSpan g = guard("guard.check", "guard.method", "method", object, 0, "isReady", 96L);
      g.attr("race.guard.value_seen", value);
      return this;
    }

    /** A signal ({@code latch.count_down}, {@code condition.signal}, ...) on {@code object}. */
    public Work signal(String event, String kind, String object) {
      startStateSet = true;
      long s = node.next();
      FakeSpan g = node.newSpan("guard.signal " + object, FakeSpan.INTERNAL, s, key);
      g.parentSpanId = span.spanId;
      g.startNanos = node.clock;
      g.endNanos = node.clock;
      common(g, s, event, key, op, thread);
      g.attr("race.causal_id", workSeq).attr("race.guard.kind", kind)
          .attr("race.guard.object", object).attr("code.function", "loaded")
          .attr("code.lineno", 101L);
      node.add(g);
      lastGuard = g;
      return this;
    }

    /** {@code Lock.lock()} then, later, {@link #unlock}: a lock held around what follows. */
    public Work lock(String object) {
      guard("guard.await", "lock.acquire", "lock", object, 0, "apply", 120L);
      return this;
    }

    /** {@code Lock.unlock()}. */
    public Work unlock(String object) {
      return signal("lock.release", "lock", object);
    }

    /** A delay injected by racetrace inside this work. */
    public Work delay(Duration d) {
      long s = node.next();
      FakeSpan g = node.newSpan("delay.injected", FakeSpan.INTERNAL, s, key);
      g.parentSpanId = span.spanId;
      g.startNanos = node.clock;
      node.clock += d.toNanos();
      g.endNanos = node.clock;
      common(g, s, "delay.injected", key, op, thread);
      g.attr("race.blocked_ns", d.toNanos());
      node.add(g);
      lastGuard = g;
      return this;
    }

    /** {@code RaceTrace.mark(op, key)} inside this work. */
    public Work mark(String markOp) {
      startStateSet = true;
      long s = node.next();
      FakeSpan m = node.newSpan(markOp, FakeSpan.INTERNAL, s, key);
      m.parentSpanId = span.spanId;
      m.startNanos = node.clock;
      m.endNanos = node.clock;
      common(m, s, "mark", key, markOp, thread);
      node.add(m);
      return this;
    }

    /** Enqueues another element from inside this work. */
    public Element enqueue(String elementOp, String elementKey) {
      startStateSet = true;
      return node.enqueueOn(QUEUE, elementOp, elementKey, thread, causal);
    }

    /** The work ends (task end, or the consumer's next dequeue). */
    public FakeNode end() {
      long s = node.next();
      span.endNanos = node.clock;
      span.attr("race.end_seq", s);
      node.add(span);
      return node;
    }

    /** The work's end is never observed (shutdown): {@code race.end_inferred=true}. */
    public FakeNode endUnobserved() {
      span.endNanos = node.clock;
      span.attr("race.end_inferred", true);
      node.add(span);
      return node;
    }
  }
}
