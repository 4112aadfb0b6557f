package dev.racetrace.agent.export;

import dev.racetrace.core.EventKind;
import dev.racetrace.core.buffer.EventRing;

/** One decoded event record, off the hot path. Mutable only while it is being decoded. */
final class Event {
  long seq;
  long time;
  int kind;
  int outcome;
  int small;
  int site;
  long threadId;
  int objId;
  int elemId;
  long a;
  long b;
  long c;
  Object key;
  Object aux;
  /** The application's span context current on the thread at this event (racetrace.otel.link), or null. */
  Object appContext;
  /** Thread name when the event was drained. */
  String threadName;
  /** Probe index / value pairs recorded with this event, or null. */
  long[] state;
  int stateCount;

  static Event decode(long[] buf, Object[] refs, int record) {
    int o = record * EventRing.RECORD_LONGS;
    Event e = new Event();
    e.seq = buf[o + EventRing.HEADER];
    e.time = buf[o + EventRing.TIME];
    long meta = buf[o + EventRing.META];
    e.kind = (int) (meta & 0xFF);
    e.outcome = (int) ((meta >>> 8) & 0xFF);
    e.small = (int) ((meta >>> 16) & 0xFFFF);
    e.site = (int) (meta >>> 32);
    e.threadId = buf[o + EventRing.THREAD];
    long ids = buf[o + EventRing.IDS];
    e.objId = (int) ids;
    e.elemId = (int) (ids >>> 32);
    e.a = buf[o + EventRing.A];
    e.b = buf[o + EventRing.B];
    e.c = buf[o + EventRing.C];
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

  /** Kinds whose record carries the queue element or task in its auxiliary reference. */
  static boolean carriesElement(int kind) {
    switch (kind) {
      case EventKind.QUEUE_ENQUEUE:
      case EventKind.QUEUE_DEQUEUE:
      case EventKind.QUEUE_PEEK:
      case EventKind.TASK_SUBMIT:
      case EventKind.TASK_START:
      case EventKind.TASK_END:
        return true;
      default:
        return false;
    }
  }

  void addState(long probeIndex, long value) {
    if (state == null) {
      state = new long[8];
    } else if (stateCount * 2 == state.length) {
      state = java.util.Arrays.copyOf(state, state.length * 2);
    }
    state[stateCount * 2] = probeIndex;
    state[stateCount * 2 + 1] = value;
    stateCount++;
  }

  /** The time the call was entered: event time minus the time blocked, for consuming calls. */
  long entryTime() {
    return time - Math.max(0, b);
  }
}
