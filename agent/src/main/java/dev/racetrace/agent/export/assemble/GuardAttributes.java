package dev.racetrace.agent.export.assemble;

import static dev.racetrace.core.EventKind.BARRIER_AWAIT;
import static dev.racetrace.core.EventKind.CONDITION_CHECK;
import static dev.racetrace.core.EventKind.FLAG_READ;
import static dev.racetrace.core.EventKind.FUTURE_GET;
import static dev.racetrace.core.EventKind.GUARD_METHOD;
import static dev.racetrace.core.EventKind.LATCH_AWAIT;
import static dev.racetrace.core.EventKind.LATCH_COUNT_DOWN;
import static dev.racetrace.core.EventKind.LATCH_GET_COUNT;
import static dev.racetrace.core.EventKind.PHASER_ARRIVE;
import static dev.racetrace.core.EventKind.PHASER_AWAIT;
import static dev.racetrace.core.EventKind.SEMAPHORE_ACQUIRE;
import static dev.racetrace.core.EventKind.SEMAPHORE_RELEASE;
import static dev.racetrace.core.EventKind.SLEEP;

import static dev.racetrace.schema.RecordField.ARRIVAL_INDEX;
import static dev.racetrace.schema.RecordField.BLOCKED_NS;
import static dev.racetrace.schema.RecordField.COUNT_AFTER;
import static dev.racetrace.schema.RecordField.COUNT_AT_ENTRY;
import static dev.racetrace.schema.RecordField.COUNT_BEFORE;
import static dev.racetrace.schema.RecordField.COUNT_SEEN;
import static dev.racetrace.schema.RecordField.DONE_AT_ENTRY;
import static dev.racetrace.schema.RecordField.PERMITS_AFTER;
import static dev.racetrace.schema.RecordField.PERMITS_AT_ENTRY;
import static dev.racetrace.schema.RecordField.PHASE;
import static dev.racetrace.schema.RecordField.TIMED_LOOP;
import static dev.racetrace.schema.RecordField.TIMEOUT_NS;
import static dev.racetrace.schema.RecordField.VALUE_SEEN;
import static dev.racetrace.schema.RecordField.VALUE_TYPE;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.core.Outcome;
import dev.racetrace.schema.EventRole;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * The {@code race.guard.*} attributes of a guard span, read from the record's fields by name (the
 * slot contract is {@code EventType}'s table): time blocked and timeout of waits, counts before and
 * after, the value a check saw, whether the guard was already open. Keeps the latches' open times
 * ({@link LatchState}). Exporter thread only.
 */
final class GuardAttributes {
  private final LatchState latches;

  GuardAttributes(LatchState latches) {
    this.latches = latches;
  }

  /**
   * The time spent in the call and its timeout, for any event whose kind records them (waits,
   * blocking queue calls, guard methods): a field the kind lacks reads as absent and is left out.
   */
  static void putBlocking(AttributesBuilder a, Event e) {
    long blocked = e.get(BLOCKED_NS);
    if (blocked > 0) {
      a.put(SpanSchema.BLOCKED_NS, blocked);
    }
    long timeout = e.get(TIMEOUT_NS);
    if (timeout >= 0) {
      a.put(SpanSchema.TIMEOUT_NS, timeout);
    }
  }

  void put(AttributesBuilder a, Event e, EventRole role) {
    putBlocking(a, e);
    if (role == EventRole.AWAIT && (e.get(TIMEOUT_NS) >= 0 || e.kind == SLEEP)) {
      a.put(SpanSchema.GUARD_TIMED_OUT, e.outcome == Outcome.TIMED_OUT);
    }
    switch (e.kind) {
      case LATCH_AWAIT:
        long count = e.get(COUNT_AT_ENTRY);
        a.put(SpanSchema.GUARD_COUNT_BEFORE, count);
        a.put(SpanSchema.GUARD_TRIVIAL, count == 0);
        if (count == 0) {
          Long opened = latches.openedAt(e.objId);
          if (opened != null) {
            a.put(SpanSchema.GUARD_OPEN_FOR_NS, Math.max(0, e.entryTime() - opened));
          }
        }
        break;
      case LATCH_COUNT_DOWN:
        long before = e.get(COUNT_BEFORE);
        long after = e.get(COUNT_AFTER);
        a.put(SpanSchema.GUARD_COUNT_BEFORE, before);
        a.put(SpanSchema.GUARD_COUNT_AFTER, after);
        latches.countedDown(e.objId, before, after, e.time);
        break;
      case LATCH_GET_COUNT:
        a.put(SpanSchema.GUARD_VALUE_SEEN, Long.toString(e.get(COUNT_SEEN)));
        break;
      case SEMAPHORE_ACQUIRE:
        a.put(SpanSchema.GUARD_COUNT_BEFORE, e.get(PERMITS_AT_ENTRY));
        break;
      case SEMAPHORE_RELEASE:
        a.put(SpanSchema.GUARD_COUNT_AFTER, e.get(PERMITS_AFTER));
        break;
      case BARRIER_AWAIT:
        a.put(SpanSchema.GUARD_VALUE_SEEN, Long.toString(e.get(ARRIVAL_INDEX)));
        break;
      case PHASER_AWAIT:
      case PHASER_ARRIVE:
        a.put(SpanSchema.GUARD_VALUE_SEEN, Long.toString(e.get(PHASE)));
        break;
      case FUTURE_GET:
        a.put(SpanSchema.GUARD_TRIVIAL, e.is(DONE_AT_ENTRY));
        break;
      case CONDITION_CHECK:
        a.put(SpanSchema.GUARD_TIMED_LOOP, e.is(TIMED_LOOP));
        a.put(SpanSchema.GUARD_TIMED_OUT, e.outcome == Outcome.TIMED_OUT);
        break;
      case FLAG_READ:
        long seen = e.get(VALUE_SEEN);
        a.put(SpanSchema.GUARD_VALUE_SEEN, e.get(VALUE_TYPE) == 1 ? Boolean.toString(seen != 0) : Long.toString(seen));
        break;
      case GUARD_METHOD:
        a.put(SpanSchema.GUARD_VALUE_SEEN, e.aux == null ? "null" : Naming.key(e.aux));
        break;
      default:
        break;
    }
  }
}
