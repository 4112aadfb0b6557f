package dev.racetrace.schema;

import java.util.HashMap;
import java.util.Map;

/**
 * The table of event kinds: for each, the agent's record kind code (agent-core's
 * {@code dev.racetrace.core.EventKind} constant of the same name), its stable exported name
 * ({@code race.event}), its {@link EventRole}, its guard kind ({@code race.guard.kind}) and whether
 * its record carries a queue element or task. Adding an event kind starts here; the agent's
 * {@code EventTypeAgreementTest} fails while {@code EventKind} and this table differ, and
 * {@code SpanSchemaDocTest} while {@code docs/span-schema.md} does not name it.
 */
public enum EventType {
  QUEUE_ENQUEUE(1, "queue.enqueue", EventRole.ENQUEUE, null, true),
  /** A dequeue; a span of role PROCESS only when it returned an element. */
  QUEUE_DEQUEUE(2, "queue.dequeue", EventRole.PROCESS, null, true),
  QUEUE_PEEK(3, "queue.peek", EventRole.INSPECT, null, true),
  QUEUE_DRAIN(4, "queue.drain", EventRole.INSPECT, null, false),
  /** Entry of a blocking dequeue: ends the thread's previous work, no span. */
  QUEUE_DEQUEUE_BEGIN(5, "queue.dequeue_begin", EventRole.NO_SPAN, null, false),
  TASK_SUBMIT(10, "task.submit", EventRole.SUBMIT, null, true),
  TASK_START(11, "task.start", EventRole.RUN, null, true),
  /** Ends the run span its start opened. */
  TASK_END(12, "task.end", EventRole.NO_SPAN, null, true),
  LATCH_AWAIT(20, "latch.await", EventRole.AWAIT, "latch", false),
  LATCH_COUNT_DOWN(21, "latch.count_down", EventRole.SIGNAL, "latch", false),
  LATCH_GET_COUNT(22, "latch.get_count", EventRole.CHECK, "latch", false),
  SEMAPHORE_ACQUIRE(23, "semaphore.acquire", EventRole.AWAIT, "semaphore", false),
  SEMAPHORE_RELEASE(24, "semaphore.release", EventRole.SIGNAL, "semaphore", false),
  BARRIER_AWAIT(25, "barrier.await", EventRole.AWAIT, "barrier", false),
  PHASER_ARRIVE(26, "phaser.arrive", EventRole.SIGNAL, "phaser", false),
  PHASER_AWAIT(27, "phaser.await", EventRole.AWAIT, "phaser", false),
  CONDITION_AWAIT(28, "condition.await", EventRole.AWAIT, "condition", false),
  CONDITION_SIGNAL(29, "condition.signal", EventRole.SIGNAL, "condition", false),
  LOCK_ACQUIRE(30, "lock.acquire", EventRole.AWAIT, "lock", false),
  LOCK_RELEASE(31, "lock.release", EventRole.SIGNAL, "lock", false),
  MONITOR_WAIT(32, "monitor.wait", EventRole.AWAIT, "monitor", false),
  MONITOR_NOTIFY(33, "monitor.notify", EventRole.SIGNAL, "monitor", false),
  FUTURE_GET(34, "future.get", EventRole.AWAIT, "future", false),
  SLEEP(35, "thread.sleep", EventRole.AWAIT, "sleep", false),
  FLAG_READ(36, "flag.read", EventRole.CHECK, "flag", false),
  GUARD_METHOD(37, "guard.method", EventRole.CHECK, "method", false),
  /** A wait loop's predicate check; guard kind {@code monitor} instead for a monitor's loop. */
  CONDITION_CHECK(38, "condition.check", EventRole.CHECK, "condition", false),
  /** A guard or queue constructed in an enabled class: names the object, no span. */
  OBJECT_NEW(39, "object.new", EventRole.NO_SPAN, null, false),
  MARK(40, "mark", EventRole.MARK, null, false),
  /** A state probe's value, attached to the thread's previous event as {@code race.state.<name>}. */
  STATE(41, "state", EventRole.NO_SPAN, null, false),
  /** Written by the exporter as the {@code race.rule.violation} span event. */
  RULE_VIOLATION(42, "rule.violation", EventRole.NO_SPAN, null, false),
  DELAY(50, "delay.injected", EventRole.DELAY, null, false),
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

  EventType(int kind, String eventName, EventRole role, String guardKind, boolean carriesElement) {
    this.kind = kind;
    this.eventName = eventName;
    this.role = role;
    this.guardKind = guardKind;
    this.carriesElement = carriesElement;
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

  /** The type of a record kind code, or null for an unknown code. */
  public static EventType ofKind(int kind) {
    return kind >= 0 && kind < BY_KIND.length ? BY_KIND[kind] : null;
  }

  /** The type named {@code eventName} ({@code race.event}), or null when there is none. */
  public static EventType ofName(String eventName) {
    return eventName == null ? null : BY_NAME.get(eventName);
  }
}
