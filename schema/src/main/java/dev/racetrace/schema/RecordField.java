package dev.racetrace.schema;

/**
 * The named values an event record carries in its kind-specific slots. A record has three 64-bit
 * slots {@code a}, {@code b}, {@code c} and a 16-bit {@code small}; which of these fields a kind
 * fills is its {@link EventType#fields()} row, so the meaning of a slot is written in one place
 * (this enum and that table) and read by name ({@code event.get(BLOCKED_NS)}) on the export side.
 * A field a kind does not carry reads as {@link #absent()}.
 */
public enum RecordField {
  /** Queue depth after the call (at submit: the executor's queue), -1 when unknown. */
  DEPTH(Slot.A),
  /** Elements a {@code drainTo} moved. */
  DRAINED(Slot.A),
  /** The submit's seq that a task run continues. */
  CAUSAL_ID(Slot.A),
  /** A latch's count when {@code await} was entered. */
  COUNT_AT_ENTRY(Slot.A),
  /** A latch's count before {@code countDown}. */
  COUNT_BEFORE(Slot.A),
  /** The count {@code getCount} returned. */
  COUNT_SEEN(Slot.A),
  /** Semaphore permits available when {@code acquire} was entered. */
  PERMITS_AT_ENTRY(Slot.A),
  /** Semaphore permits available after {@code release}. */
  PERMITS_AFTER(Slot.A),
  /** A barrier's arrival index. */
  ARRIVAL_INDEX(Slot.A),
  /** The phase a phaser arrival or wait returned. */
  PHASE(Slot.A),
  /** 1 when the future was already done at entry, else 0. */
  DONE_AT_ENTRY(Slot.A),
  /** The value a readiness field read saw (booleans as 0/1). */
  VALUE_SEEN(Slot.A),
  /** A guard method's decision (booleans as 0/1, else -1). */
  DECISION(Slot.A),
  /** The index of a state probe ({@code racetrace.state}). */
  PROBE_INDEX(Slot.A),
  /** Nanoseconds an injected delay was planned to last. */
  PLANNED_NS(Slot.A),
  /** Nanoseconds spent inside the call (blocked, slept, deciding). */
  BLOCKED_NS(Slot.B),
  /** The {@code maxElements} of a {@code drainTo}, -1 unbounded. */
  DRAIN_MAX(Slot.B),
  /** The delay of a scheduled submit in nanoseconds, -1 when not scheduled. */
  SCHEDULE_DELAY_NS(Slot.B),
  /** Nanoseconds a task waited between its submit and its start. */
  QUEUE_WAIT_NS(Slot.B),
  /** A latch's count after {@code countDown}. */
  COUNT_AFTER(Slot.B),
  /** A state probe's value. */
  PROBE_VALUE(Slot.B),
  /** Nanoseconds an injected delay actually waited. */
  WAITED_NS(Slot.B),
  /** The call's timeout in nanoseconds (for a sleep: the time asked), -1 when untimed. */
  TIMEOUT_NS(Slot.C),
  /** 1 when a wait loop's waits are timed (it would go on at its timeout), else -1. */
  TIMED_LOOP(Slot.C),
  /** Which occurrence of its rule an injected delay was. */
  OCCURRENCE(Slot.C),
  /** 1 for each dequeue that follows a {@code drainTo} (one per element drained). */
  FROM_DRAIN(Slot.SMALL),
  /** 1 when the task's run will be recorded with the submit's seq as its causal id. */
  RUN_LINKED(Slot.SMALL),
  /** Semaphore permits asked or released. */
  PERMITS(Slot.SMALL),
  /** 1 for {@code signalAll}/{@code notifyAll}. */
  ALL(Slot.SMALL),
  /** 1 when a wait loop's check is a monitor's ({@code Object.wait}), not a Condition's. */
  MONITOR_LOOP(Slot.SMALL),
  /** The declared type of a readiness field: 1 boolean, 2 int, 3 long. */
  VALUE_TYPE(Slot.SMALL),
  /** 1 for {@code arriveAndDeregister}. */
  DEREGISTERED(Slot.SMALL),
  /** The index of the delay rule that injected a delay. */
  RULE_INDEX(Slot.SMALL);

  /** The record slots, in record order. */
  public enum Slot {
    A, B, C, SMALL
  }

  private final Slot slot;

  RecordField(Slot slot) {
    this.slot = slot;
  }

  /** The slot the field is stored in. */
  public Slot slot() {
    return slot;
  }

  /**
   * What the field reads as on a kind that does not carry it: -1 ("unknown", "none") for a 64-bit
   * slot, 0 ("no") for {@code small}.
   */
  public long absent() {
    return slot == Slot.SMALL ? 0 : -1;
  }
}
