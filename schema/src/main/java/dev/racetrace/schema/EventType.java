package dev.racetrace.schema;

import static dev.racetrace.schema.RecordField.*;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Set;
import java.util.Map;

/**
 * The table of event kinds: for each, the agent's record kind code (agent-core's
 * {@code dev.racetrace.core.EventKind} constant of the same name, generated from this table by
 * {@link EventKindSource} when agent-core is built), what records it, its stable exported name
 * ({@code race.event}), its {@link EventRole}, its guard kind ({@code race.guard.kind}), whether
 * its record carries a queue element or task, and the {@link RecordField}s its slots hold (the one
 * statement of what {@code a}, {@code b}, {@code c} and {@code small} mean per kind). Adding an
 * event kind starts here ({@code docs/architecture.md} has the checklist); {@code SpanSchemaDocTest}
 * fails while {@code docs/span-schema.md} does not name it.
 */
public enum EventType {
  QUEUE_ENQUEUE(1, "queue.enqueue", EventRole.ENQUEUE, null, true,
      "offer/put/add/push and the Deque variants.",
      DEPTH, BLOCKED_NS, TIMEOUT_NS),
  QUEUE_DEQUEUE(2, "queue.dequeue", EventRole.PROCESS, null, true,
      "poll/take/remove/pop and variants; a span of role PROCESS only when it returned an "
          + "element.",
      DEPTH, BLOCKED_NS, TIMEOUT_NS, FROM_DRAIN),
  QUEUE_PEEK(3, "queue.peek", EventRole.INSPECT, null, true,
      "peek and variants.",
      DEPTH),
  QUEUE_DRAIN(4, "queue.drain", EventRole.INSPECT, null, false,
      "drainTo: followed by one QUEUE_DEQUEUE (from_drain) per element it can name.",
      DRAINED, DRAIN_MAX),
  QUEUE_DEQUEUE_BEGIN(5, "queue.dequeue_begin", EventRole.NO_SPAN, null, false,
      "Entry of a blocking dequeue (take, timed poll), before it blocks: ends the thread's "
          + "previous work at once, even if the call never returns. No span.",
      DEPTH, TIMEOUT_NS),
  TASK_SUBMIT(10, "task.submit", EventRole.SUBMIT, null, true,
      "Task handed to an executor (run_linked: see core.task.TaskRuns).",
      DEPTH, SCHEDULE_DELAY_NS, RUN_LINKED),
  TASK_START(11, "task.start", EventRole.RUN, null, true,
      "Task starts on a worker.",
      CAUSAL_ID, QUEUE_WAIT_NS),
  TASK_END(12, "task.end", EventRole.NO_SPAN, null, true,
      "Task ends: ends the run span its start opened.",
      CAUSAL_ID),
  LATCH_AWAIT(20, "latch.await", EventRole.AWAIT, "latch", false,
      "CountDownLatch.await.",
      COUNT_AT_ENTRY, BLOCKED_NS, TIMEOUT_NS),
  LATCH_COUNT_DOWN(21, "latch.count_down", EventRole.SIGNAL, "latch", false,
      "CountDownLatch.countDown.",
      COUNT_BEFORE, COUNT_AFTER),
  LATCH_GET_COUNT(22, "latch.get_count", EventRole.CHECK, "latch", false,
      "CountDownLatch.getCount.",
      COUNT_SEEN),
  SEMAPHORE_ACQUIRE(23, "semaphore.acquire", EventRole.AWAIT, "semaphore", false,
      "Semaphore acquire/tryAcquire.",
      PERMITS_AT_ENTRY, BLOCKED_NS, TIMEOUT_NS, PERMITS),
  SEMAPHORE_RELEASE(24, "semaphore.release", EventRole.SIGNAL, "semaphore", false,
      "Semaphore.release.",
      PERMITS_AFTER, PERMITS),
  BARRIER_AWAIT(25, "barrier.await", EventRole.AWAIT, "barrier", false,
      "CyclicBarrier.await.",
      ARRIVAL_INDEX, BLOCKED_NS, TIMEOUT_NS),
  PHASER_ARRIVE(26, "phaser.arrive", EventRole.SIGNAL, "phaser", false,
      "Phaser arrive/arriveAndDeregister.",
      PHASE, DEREGISTERED),
  PHASER_AWAIT(27, "phaser.await", EventRole.AWAIT, "phaser", false,
      "Phaser arriveAndAwaitAdvance/awaitAdvance*.",
      PHASE, BLOCKED_NS, TIMEOUT_NS),
  CONDITION_AWAIT(28, "condition.await", EventRole.AWAIT, "condition", false,
      "Condition.await*.",
      BLOCKED_NS, TIMEOUT_NS),
  CONDITION_SIGNAL(29, "condition.signal", EventRole.SIGNAL, "condition", false,
      "Condition.signal/signalAll.",
      ALL),
  LOCK_ACQUIRE(30, "lock.acquire", EventRole.AWAIT, "lock", false,
      "Lock.lock/lockInterruptibly/tryLock.",
      BLOCKED_NS, TIMEOUT_NS),
  LOCK_RELEASE(31, "lock.release", EventRole.SIGNAL, "lock", false,
      "Lock.unlock."),
  MONITOR_WAIT(32, "monitor.wait", EventRole.AWAIT, "monitor", false,
      "Object.wait.",
      BLOCKED_NS, TIMEOUT_NS),
  MONITOR_NOTIFY(33, "monitor.notify", EventRole.SIGNAL, "monitor", false,
      "Object.notify/notifyAll.",
      ALL),
  FUTURE_GET(34, "future.get", EventRole.AWAIT, "future", false,
      "Future.get and ExecutorService.invokeAll/Any.",
      DONE_AT_ENTRY, BLOCKED_NS, TIMEOUT_NS),
  SLEEP(35, "thread.sleep", EventRole.AWAIT, "sleep", false,
      "Thread.sleep.",
      BLOCKED_NS, TIMEOUT_NS),
  FLAG_READ(36, "flag.read", EventRole.CHECK, "flag", false,
      "Read of a declared readiness field.",
      VALUE_SEEN, VALUE_TYPE),
  GUARD_METHOD(37, "guard.method", EventRole.CHECK, "method", false,
      "Call of a declared guard method.",
      DECISION, BLOCKED_NS),
  CONDITION_CHECK(38, "condition.check", EventRole.CHECK, "condition", false,
      "The predicate check of a Condition wait loop: recorded at the unlock, still under the "
          + "lock, that ends a lock hold in a method that awaits a Condition (the read of the "
          + "guarded state after the last wake-up, or at once when no wait was needed). No object "
          + "(the site names the condition). Guard kind monitor instead for a monitor's loop.",
      TIMED_LOOP, MONITOR_LOOP),
  OBJECT_NEW(39, "object.new", EventRole.NO_SPAN, null, false,
      "A guard or queue object was constructed in an enabled class (or a Condition made by "
          + "newCondition()): obj=it; the site names it after the field it is stored to, else after"
          + " the allocation site. Recorded once per object; no span, it names the object's later "
          + "events."),
  MARK(40, "mark", EventRole.MARK, null, false,
      "RaceTrace.mark(op, key). aux=op name."),
  STATE(41, "state", EventRole.NO_SPAN, null, false,
      "Value of a state probe, attached to the previous event of the same thread as "
          + "race.state.<name>. No span.",
      PROBE_INDEX, PROBE_VALUE),
  RULE_VIOLATION(42, "rule.violation", EventRole.NO_SPAN, null, false,
      "An ordering rule was violated (recorded by the exporter, never on the hot path); "
          + "written as the race.rule.violation span event."),
  DELAY(50, "delay.injected", EventRole.DELAY, null, false,
      "A delay injected by racetrace; aux=its rule.",
      PLANNED_NS, WAITED_NS, OCCURRENCE, RULE_INDEX),
  APP_CONTEXT(51, "app.context", EventRole.NO_SPAN, null, false,
      "The application's own current OpenTelemetry span changed on this thread "
          + "(racetrace.otel.link): aux=its SpanContext object (of the application's OTel API). "
          + "Written just before the event, with the same seq, that noticed the change; it applies "
          + "to that thread's later events. No span."),
  STATS(-1, "stats", EventRole.AGENT, null, false,
      "The racetrace.stats span: not a recorded event, so no kind code."),
  FLIGHT_DUMP(-1, "flight.dump", EventRole.AGENT, null, false,
      "The racetrace.flight.dump span: not a recorded event, so no kind code.");

  /** {@link #kind()} of the entries that are not recorded events (the agent's own spans). */
  public static final int NO_KIND = -1;

  private static final EventType[] BY_KIND;
  private static final Map<String, EventType> BY_NAME = new HashMap<>();

  static {
    int max = 0;
    for (EventType t : values()) {
      max = Math.max(max, t.kind);
      if (BY_NAME.put(t.eventName, t) != null) {
        throw new ExceptionInInitializerError("two event types named " + t.eventName);
      }
    }
    BY_KIND = new EventType[max + 1];
    for (EventType t : values()) {
      if (t.kind != NO_KIND) {
        if (BY_KIND[t.kind] != null) {
          throw new ExceptionInInitializerError("two event types of kind " + t.kind);
        }
        BY_KIND[t.kind] = t;
      }
    }
  }

  private final int kind;
  private final String doc;
  private final String eventName;
  private final EventRole role;
  private final String guardKind;
  private final boolean carriesElement;
  private final Set<RecordField> fields;
  /** Per {@link RecordField#ordinal()}: whether this kind carries it (read per exported event). */
  private final boolean[] carries = new boolean[RecordField.values().length];

  EventType(int kind, String eventName, EventRole role, String guardKind, boolean carriesElement,
      String doc, RecordField... fields) {
    this.kind = kind;
    this.doc = doc;
    this.eventName = eventName;
    this.role = role;
    this.guardKind = guardKind;
    this.carriesElement = carriesElement;
    EnumSet<RecordField> set = EnumSet.noneOf(RecordField.class);
    EnumSet<RecordField.Slot> slots = EnumSet.noneOf(RecordField.Slot.class);
    for (RecordField f : fields) {
      if (!slots.add(f.slot())) {
        throw new ExceptionInInitializerError(eventName + ": two fields in slot " + f.slot());
      }
      set.add(f);
      carries[f.ordinal()] = true;
    }
    this.fields = Collections.unmodifiableSet(set);
  }

  /** The agent's record kind code ({@code EventKind}), or {@link #NO_KIND}. */
  public int kind() {
    return kind;
  }

  /** What records it: the call or moment, and what its object and aux hold. */
  public String doc() {
    return doc;
  }

  /** The stable exported name, the value of {@code race.event}. */
  public String eventName() {
    return eventName;
  }

  /** What the event is to an ordering. */
  public EventRole role() {
    return role;
  }

  /** The value of {@code race.guard.kind} on its span, or null for events that are no guard. */
  public String guardKind() {
    return guardKind;
  }

  /** Whether its record carries the queue element or task (whose identity links the hand-off). */
  public boolean carriesElement() {
    return carriesElement;
  }

  /** The fields its record's slots hold, at most one per slot; the other slots are unused. */
  public Set<RecordField> fields() {
    return fields;
  }

  /** Whether its record holds {@code field}. */
  public boolean carries(RecordField field) {
    return carries[field.ordinal()];
  }

  /** The type of a record kind code, or null for an unknown code. */
  public static EventType ofKind(int kind) {
    return kind >= 0 && kind < BY_KIND.length ? BY_KIND[kind] : null;
  }

  /** The type named {@code eventName} ({@code race.event}), or null when there is none. */
  public static EventType ofName(String eventName) {
    return eventName == null ? null : BY_NAME.get(eventName);
  }
}
