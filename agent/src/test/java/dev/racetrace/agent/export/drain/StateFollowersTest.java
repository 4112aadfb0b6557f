package dev.racetrace.agent.export.drain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.EventKind;
import dev.racetrace.core.buffer.EventRing;
import org.junit.jupiter.api.Test;

/** State-probe values reach the event of their own thread and seq, whatever lies between. */
class StateFollowersTest {
  private final long[] buf = new long[8 * EventRing.RECORD_LONGS];

  @Test
  void aValueAttachesToItsThreadsEventOfTheSameSeqEvenWithAnotherThreadsRecordsBetween() {
    StateFollowers states = new StateFollowers();
    Event first = event(1, 5);
    Event second = event(2, 6);
    states.follow(first);
    states.follow(second); // a shared ring: another thread's event before the first one's values
    write(0, EventKind.STATE, 1, 5, 3, 42);
    write(1, EventKind.STATE, 2, 7, 3, 99); // no event of thread 2 with seq 7: dropped
    write(2, EventKind.QUEUE_DEQUEUE, 1, 8, 0, 0);
    assertThat(StateFollowers.isState(buf, 0)).isTrue();
    assertThat(StateFollowers.isState(buf, 2)).isFalse();
    states.attach(buf, 0);
    states.attach(buf, 1);

    assertThat(first.stateCount).isEqualTo(1);
    assertThat(first.state[0]).isEqualTo(3);
    assertThat(first.state[1]).isEqualTo(42);
    assertThat(second.stateCount).isZero();
  }

  @Test
  void theValuesOfAnEventNotKeptAreNotAttachedToTheThreadsOlderEvent() {
    StateFollowers states = new StateFollowers();
    Event older = event(1, 5);
    states.follow(older);
    // the thread's next event (seq 6) was not kept (LiveJournal's quota): its values come alone
    write(0, EventKind.STATE, 1, 6, 3, 42);
    states.attach(buf, 0);
    assertThat(older.stateCount).isZero();
    states.clear();
    write(1, EventKind.STATE, 1, 5, 3, 42);
    states.attach(buf, 1);
    assertThat(older.stateCount).as("forgotten at the end of the pass").isZero();
  }

  private static Event event(long thread, long seq) {
    Event e = new Event();
    e.threadId = thread;
    e.seq = seq;
    e.kind = EventKind.QUEUE_DEQUEUE;
    return e;
  }

  private void write(int i, int kind, long thread, long seq, long a, long b) {
    int o = i * EventRing.RECORD_LONGS;
    buf[o + EventRing.HEADER] = seq;
    buf[o + EventRing.META] = kind;
    buf[o + EventRing.THREAD] = thread;
    buf[o + EventRing.A] = a;
    buf[o + EventRing.B] = b;
  }
}
