package dev.racetrace.agent.export;

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

import dev.racetrace.core.Outcome;
import dev.racetrace.schema.EventRole;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * The {@code race.guard.*} attributes of a guard span, read from the record's slots per kind (the
 * slot contract is in {@code EventKind}): time blocked and timeout of waits, counts before and
 * after, the value a check saw, whether the guard was already open. Keeps the latches' open times
 * ({@link LatchState}). Exporter thread only.
 */
final class GuardAttributes {
  private final LatchState latches;

  GuardAttributes(LatchState latches) {
    this.latches = latches;
  }

  void put(AttributesBuilder a, Event e, EventRole role) {
    if (role == EventRole.AWAIT) {
      if (e.b > 0) {
        a.put(SpanSchema.BLOCKED_NS, e.b);
      }
      if (e.c >= 0) {
        a.put(SpanSchema.TIMEOUT_NS, e.c);
      }
      if (e.c >= 0 || e.kind == SLEEP) {
        a.put(SpanSchema.GUARD_TIMED_OUT, e.outcome == Outcome.TIMED_OUT);
      }
    }
    switch (e.kind) {
      case LATCH_AWAIT:
        a.put(SpanSchema.GUARD_COUNT_BEFORE, e.a);
        a.put(SpanSchema.GUARD_TRIVIAL, e.a == 0);
        if (e.a == 0) {
          Long opened = latches.openedAt(e.objId);
          if (opened != null) {
            a.put(SpanSchema.GUARD_OPEN_FOR_NS, Math.max(0, e.entryTime() - opened));
          }
        }
        break;
      case LATCH_COUNT_DOWN:
        a.put(SpanSchema.GUARD_COUNT_BEFORE, e.a);
        a.put(SpanSchema.GUARD_COUNT_AFTER, e.b);
        latches.countedDown(e.objId, e.a, e.b, e.time);
        break;
      case LATCH_GET_COUNT:
        a.put(SpanSchema.GUARD_VALUE_SEEN, Long.toString(e.a));
        break;
      case SEMAPHORE_ACQUIRE:
        a.put(SpanSchema.GUARD_COUNT_BEFORE, e.a);
        break;
      case SEMAPHORE_RELEASE:
        a.put(SpanSchema.GUARD_COUNT_AFTER, e.a);
        break;
      case BARRIER_AWAIT:
      case PHASER_AWAIT:
      case PHASER_ARRIVE:
        a.put(SpanSchema.GUARD_VALUE_SEEN, Long.toString(e.a));
        break;
      case FUTURE_GET:
        a.put(SpanSchema.GUARD_TRIVIAL, e.a == 1);
        break;
      case CONDITION_CHECK:
        a.put(SpanSchema.GUARD_TIMED_LOOP, e.c == 1);
        a.put(SpanSchema.GUARD_TIMED_OUT, e.outcome == Outcome.TIMED_OUT);
        break;
      case FLAG_READ:
        a.put(SpanSchema.GUARD_VALUE_SEEN, e.small == 1 ? Boolean.toString(e.a != 0) : Long.toString(e.a));
        break;
      case GUARD_METHOD:
        a.put(SpanSchema.GUARD_VALUE_SEEN, e.aux == null ? "null" : Naming.key(e.aux));
        if (e.b > 0) {
          a.put(SpanSchema.BLOCKED_NS, e.b);
        }
        break;
      default:
        break;
    }
  }
}
