package dev.racetrace.agent.export.drain;

import static dev.racetrace.schema.RecordField.BLOCKED_NS;
import static dev.racetrace.schema.RecordField.DEPTH;
import static dev.racetrace.schema.RecordField.DRAINED;
import static dev.racetrace.schema.RecordField.DRAIN_MAX;
import static dev.racetrace.schema.RecordField.FROM_DRAIN;
import static dev.racetrace.schema.RecordField.TIMEOUT_NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.EventKind;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.schema.EventType;
import dev.racetrace.schema.RecordField;
import org.junit.jupiter.api.Test;

/**
 * The exporter reads a record's slots by field name, as {@link EventType}'s table says, and a
 * field the kind does not carry reads as absent rather than as another field's value.
 */
class EventFieldsTest {

  /** A ring record as a hook writes it: kind, small, then a, b, c. */
  private static Event decode(int kind, int small, long a, long b, long c) {
    long[] buf = new long[EventRing.RECORD_LONGS];
    buf[EventRing.HEADER] = 7;
    buf[EventRing.TIME] = 1_000_000;
    buf[EventRing.META] = kind | ((long) Outcome.OK << 8) | ((long) small << 16) | (42L << 32);
    buf[EventRing.A] = a;
    buf[EventRing.B] = b;
    buf[EventRing.C] = c;
    return Event.decode(buf, new Object[EventRing.RECORD_REFS], 0);
  }

  @Test
  void aDequeueReadsItsSlotsByName() {
    Event e = decode(EventKind.QUEUE_DEQUEUE, 1, 3, 500, 2_000);
    assertThat(e.get(DEPTH)).isEqualTo(3);
    assertThat(e.get(BLOCKED_NS)).isEqualTo(500);
    assertThat(e.get(TIMEOUT_NS)).isEqualTo(2_000);
    assertThat(e.is(FROM_DRAIN)).isTrue();
    assertThat(e.entryTime()).isEqualTo(1_000_000 - 500);
  }

  @Test
  void aDrainsBoundIsNotTakenForTimeBlocked() {
    // drainTo(c, 50) moved 4: slot b holds the bound, which once made the span start 50 ns early
    Event e = decode(EventKind.QUEUE_DRAIN, 0, 4, 50, -1);
    assertThat(e.get(DRAINED)).isEqualTo(4);
    assertThat(e.get(DRAIN_MAX)).isEqualTo(50);
    assertThat(e.get(BLOCKED_NS)).isEqualTo(BLOCKED_NS.absent());
    assertThat(e.get(DEPTH)).as("a drain records no depth").isEqualTo(-1);
    assertThat(e.entryTime()).isEqualTo(1_000_000);
  }

  @Test
  void everyKindReadsExactlyTheFieldsItsRowNames() {
    for (EventType type : EventType.values()) {
      if (type.kind() == EventType.NO_KIND) {
        continue;
      }
      Event e = decode(type.kind(), 11, 21, 22, 23);
      for (RecordField f : RecordField.values()) {
        long expected = !type.carries(f) ? f.absent()
            : switch (f.slot()) {
              case A -> 21;
              case B -> 22;
              case C -> 23;
              case SMALL -> 11;
            };
        assertThat(e.get(f)).as("%s of %s", f, type).isEqualTo(expected);
      }
    }
  }
}
