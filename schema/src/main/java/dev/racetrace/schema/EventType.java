package dev.racetrace.schema;

import static dev.racetrace.schema.RecordField.*;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Set;
import java.util.Map;

/**
 * The table of event kinds: for each, the agent's record kind code (agent-core's
 * {@code dev.racetrace.core.EventKind} constant of the same name), its stable exported name
 * ({@code race.event}), its {@link EventRole}, its guard kind ({@code race.guard.kind}), whether
 * its record carries a queue element or task, and the {@link RecordField}s its slots hold (the one
 * statement of what {@code a}, {@code b}, {@code c} and {@code small} mean per kind). Adding an event kind starts here; the agent's
 * {@code EventTypeAgreementTest} fails while {@code EventKind} and this table differ, and
 * {@code SpanSchemaDocTest} while {@code docs/span-schema.md} does not name it.
 */
public enum EventType {
  QUEUE_ENQUEUE(1, "queue.enqueue", EventRole.ENQUEUE, null, true, DEPTH, BLOCKED_NS, TIMEOUT_NS),
  /** A dequeue; a span of role PROCESS only when it returned an element. */
  QUEUE_DEQUEUE(2, "queue.dequeue", EventRole.PROCESS, null, true, DEPTH, BLOCKED_NS, TIMEOUT_NS, FROM_DRAIN),
  QUEUE_PEEK(3, "queue.peek", EventRole.INSPECT, null, true, DEPTH),
  QUEUE_DRAIN(4, "queue.drain", EventRole.INSPECT, null, false, DRAINED, DRAIN_MAX),
  /** Entry of a blocking dequeue: ends the thread's previous work, no span. */
  QUEUE_DEQUEUE_BEGIN(5, "queue.dequeue_begin", EventRole.NO_SPAN, null, false, DEPTH, TIMEOUT_NS),
  TASK_SUBMIT(10, "task.submit", EventRole.SUBMIT, null, true, DEPTH, SCHEDULE_DELAY_NS, RUN_LINKED),
  TASK_START(11, "task.start", EventRole.RUN, null, true, CAUSAL_ID, QUEUE_WAIT_NS),
  /** Ends the run span its start opened. */
  TASK_END(12, "task.end", EventRole.NO_SPAN, null, true, CAUSAL_ID),
  LATCH_AWAIT(20, "latch.await", EventRole.AWAIT, "latch", false, COUNT_AT_ENTRY, BLOCKED_NS, TIMEOUT_NS),
  LATCH_COUNT_DOWN(21, "latch.count_down", EventRole.SIGNAL, "latch", false, COUNT_BEFORE, COUNT_AFTER),
  LATCH_GET_COUNT(22, "latch.get_count", EventRole.CHECK, "latch", false, COUNT_SEEN),
  SEMAPHORE_ACQUIRE(23, "semaphore.acquire", EventRole.AWAIT, "semaphore", false, PERMITS_AT_ENTRY, BLOCKED_NS, TIMEOUT_NS, PERMITS),
  SEMAPHORE_RELEASE(24, "semaphore.release", EventRole.SIGNAL, "semaphore", false, PERMITS_AFTER, PERMITS),
  BARRIER_AWAIT(25, "barrier.await", EventRole.AWAIT, "barrier", false, ARRIVAL_INDEX, BLOCKED_NS, TIMEOUT_NS),
  PHASER_ARRIVE(26, "phaser.arrive", EventRole.SIGNAL, "phaser", false, PHASE, DEREGISTERED),
  PHASER_AWAIT(27, "phaser.await", EventRole.AWAIT, "phaser", false, PHASE, BLOCKED_NS, TIMEOUT_NS),
  CONDITION_AWAIT(28, "condition.await", EventRole.AWAIT, "condition", false, BLOCKED_NS, TIMEOUT_NS),
  CONDITION_SIGNAL(29, "condition.signal", EventRole.SIGNAL, "condition", false, ALL),
  LOCK_ACQUIRE(30, "lock.acquire", EventRole.AWAIT, "lock", false, BLOCKED_NS, TIMEOUT_NS),
  LOCK_RELEASE(31, "lock.release", EventRole.SIGNAL, "lock", false),
  MONITOR_WAIT(32, "monitor.wait", EventRole.AWAIT, "monitor", false, BLOCKED_NS, TIMEOUT_NS),
  MONITOR_NOTIFY(33, "monitor.notify", EventRole.SIGNAL, "monitor", false, ALL),
  FUTURE_GET(34, "future.get", EventRole.AWAIT, "future", false, DONE_AT_ENTRY, BLOCKED_NS, TIMEOUT_NS),
  SLEEP(35, "thread.sleep", EventRole.AWAIT, "sleep", false, BLOCKED_NS, TIMEOUT_NS),
  FLAG_READ(36, "flag.read", EventRole.CHECK, "flag", false, VALUE_SEEN, VALUE_TYPE),
  GUARD_METHOD(37, "guard.method", EventRole.CHECK, "method", false, DECISION, BLOCKED_NS),
  /** A wait loop's predicate check; guard kind {@code monitor} instead for a monitor's loop. */
  CONDITION_CHECK(38, "condition.check", EventRole.CHECK, "condition", false, TIMED_LOOP, MONITOR_LOOP),
  /** A guard or queue constructed in an enabled class: names the object, no span. */
  OBJECT_NEW(39, "object.new", EventRole.NO_SPAN, null, false),
  MARK(40, "mark", EventRole.MARK, null, false),
  /** A state probe's value, attached to the thread's previous event as {@code race.state.<name>}. */
  STATE(41, "state", EventRole.NO_SPAN, null, false, PROBE_INDEX, PROBE_VALUE),
  /** Written by the exporter as the {@code race.rule.violation} span event. */
  RULE_VIOLATION(42, "rule.violation", EventRole.NO_SPAN, null, false),
  DELAY(50, "delay.injected", EventRole.DELAY, null, false, PLANNED_NS, WAITED_NS, OCCURRENCE, RULE_INDEX),
  /** The application's own current span changed: links later spans of the thread, no span. */
  APP_CONTEXT(51, "app.context", EventRole.NO_SPAN, null, false),
  /** The {@code racetrace.stats} span: not a recorded event, so no kind code. */
  STATS(-1, "stats", EventRole.AGENT, null, false),
  /** The {@code racetrace.flight.dump} span: not a recorded event, so no kind code. */
  FLIGHT_DUMP(-1, "flight.dump", EventRole.AGENT, null, false);

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
  private final String eventName;
  private final EventRole role;
  private final String guardKind;
  private final boolean carriesElement;
  private final Set<RecordField> fields;
  /** Per {@link RecordField#ordinal()}: whether this kind carries it (read per exported event). */
  private final boolean[] carries = new boolean[RecordField.values().length];

  EventType(int kind, String eventName, EventRole role, String guardKind, boolean carriesElement,
      RecordField... fields) {
    this.kind = kind;
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
