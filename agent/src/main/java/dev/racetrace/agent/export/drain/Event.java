package dev.racetrace.agent.export.drain;

import static dev.racetrace.schema.RecordField.BLOCKED_NS;

import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.schema.EventType;
import dev.racetrace.schema.RecordField;

/**
 * One decoded event record, off the hot path. Mutable only while it is being decoded. Its
 * kind-specific slots are read by name, {@code get(BLOCKED_NS)}: {@link EventType} says which
 * {@link RecordField} each kind's slots hold.
 */
public final class Event {
  public long seq;
  public long time;
  public int kind;
  public int outcome;
  public int site;
  public long threadId;
  public int objId;
  public int elemId;
  private int small;
  private long a;
  private long b;
  private long c;
  public Object key;
  public Object aux;
  /** The application's span context current on the thread at this event (racetrace.otel.link), or null. */
  public Object appContext;
  /** Thread name when the event was drained. */
  public String threadName;
  /** Probe index / value pairs recorded with this event, or null. */
  public long[] state;
  public int stateCount;

  public static Event decode(long[] buf, Object[] refs, int record) {
    int o = record * EventRing.RECORD_LONGS;
    Event e = new Event();
    e.seq = buf[o + EventRing.HEADER];
    e.time = buf[o + EventRing.TIME];
    long meta = buf[o + EventRing.META];
    e.kind = (int) (meta & 0xFF);
    e.outcome = (int) ((meta >>> 8) & 0xFF);
    e.site = (int) (meta >>> 32);
    e.threadId = buf[o + EventRing.THREAD];
    long ids = buf[o + EventRing.IDS];
    e.objId = (int) ids;
    e.elemId = (int) (ids >>> 32);
    e.slots((int) ((meta >>> 16) & 0xFFFF), buf[o + EventRing.A], buf[o + EventRing.B], buf[o + EventRing.C]);
    e.key = refs[record * EventRing.RECORD_REFS];
    e.aux = refs[record * EventRing.RECORD_REFS + 1];
    if (carriesElement(e.kind) && e.aux != null && !(e.aux instanceof Class)) {
      // the recorder stores the element itself; its identity and class are taken here, off the
      // application's thread, and the reference is not kept
      e.elemId = System.identityHashCode(e.aux);
      e.aux = e.aux.getClass();
    }
    return e;
  }

  /** Sets the kind-specific slots, as the record holds them (decoders only). */
  public void slots(int small, long a, long b, long c) {
    this.small = small;
    this.a = a;
    this.b = b;
    this.c = c;
  }

  /**
   * The value of {@code field}, or {@link RecordField#absent()} when this event's kind does not
   * carry it (so a slot is never read with another kind's meaning).
   */
  public long get(RecordField field) {
    EventType type = EventType.ofKind(kind);
    if (type == null || !type.carries(field)) {
      return field.absent();
    }
    switch (field.slot()) {
      case A:
        return a;
      case B:
        return b;
      case C:
        return c;
      default:
        return small;
    }
  }

  /** Whether {@code field} (a 0/1 flag in its slot) is 1. */
  public boolean is(RecordField field) {
    return get(field) == 1;
  }

  /** Kinds whose record carries the queue element or task in its auxiliary reference. */
  public static boolean carriesElement(int kind) {
    EventType type = EventType.ofKind(kind);
    return type != null && type.carriesElement();
  }

  public void addState(long probeIndex, long value) {
    if (state == null) {
      state = new long[8];
    } else if (stateCount * 2 == state.length) {
      state = java.util.Arrays.copyOf(state, state.length * 2);
    }
    state[stateCount * 2] = probeIndex;
    state[stateCount * 2 + 1] = value;
    stateCount++;
  }

  /** The time the call was entered: event time minus the time blocked, for calls that block. */
  public long entryTime() {
    return time - Math.max(0, get(BLOCKED_NS));
  }
}
