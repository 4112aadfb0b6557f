package dev.racetrace.agent.export.drain;

import static dev.racetrace.schema.RecordField.ALL;
import static dev.racetrace.schema.RecordField.ARRIVAL_INDEX;
import static dev.racetrace.schema.RecordField.BLOCKED_NS;
import static dev.racetrace.schema.RecordField.CAUSAL_ID;
import static dev.racetrace.schema.RecordField.COUNT_AFTER;
import static dev.racetrace.schema.RecordField.COUNT_AT_ENTRY;
import static dev.racetrace.schema.RecordField.COUNT_BEFORE;
import static dev.racetrace.schema.RecordField.COUNT_SEEN;
import static dev.racetrace.schema.RecordField.DECISION;
import static dev.racetrace.schema.RecordField.DEPTH;
import static dev.racetrace.schema.RecordField.DEREGISTERED;
import static dev.racetrace.schema.RecordField.DONE_AT_ENTRY;
import static dev.racetrace.schema.RecordField.DRAINED;
import static dev.racetrace.schema.RecordField.DRAIN_MAX;
import static dev.racetrace.schema.RecordField.FROM_DRAIN;
import static dev.racetrace.schema.RecordField.MONITOR_LOOP;
import static dev.racetrace.schema.RecordField.OCCURRENCE;
import static dev.racetrace.schema.RecordField.PERMITS;
import static dev.racetrace.schema.RecordField.PERMITS_AFTER;
import static dev.racetrace.schema.RecordField.PERMITS_AT_ENTRY;
import static dev.racetrace.schema.RecordField.PHASE;
import static dev.racetrace.schema.RecordField.PLANNED_NS;
import static dev.racetrace.schema.RecordField.QUEUE_WAIT_NS;
import static dev.racetrace.schema.RecordField.RULE_INDEX;
import static dev.racetrace.schema.RecordField.RUN_LINKED;
import static dev.racetrace.schema.RecordField.SCHEDULE_DELAY_NS;
import static dev.racetrace.schema.RecordField.TIMED_LOOP;
import static dev.racetrace.schema.RecordField.TIMEOUT_NS;
import static dev.racetrace.schema.RecordField.VALUE_SEEN;
import static dev.racetrace.schema.RecordField.VALUE_TYPE;
import static dev.racetrace.schema.RecordField.WAITED_NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.Clock;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.ThreadState;
import dev.racetrace.core.hook.Events;
import dev.racetrace.schema.EventType;
import dev.racetrace.schema.RecordField;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The writer side of the record contract ({@link Events}) against its reader side (schema's
 * {@link EventType} table, read through {@link Event#get}): every writer's named values come back
 * under the field names its kind's row lists, and every kind recorded on an application thread has
 * a writer. A writer that puts a value into the wrong slot, or a row that gains a field its writer
 * does not fill, fails here.
 */
class EventWritersTest {
  private static final int SITE = 4242;
  /** Entry time of the waits: a second ago, so their time blocked is at least that. */
  private static final long WAITED = 1_000_000_000L;
  /** Kinds not written through {@link Events}, and why. */
  private static final Set<EventType> WRITTEN_ELSEWHERE = EnumSet.of(
      EventType.STATE, // behind its event by StateProbes, in the same publication
      EventType.APP_CONTEXT, // by AppSpans, when the application's span context changes
      EventType.RULE_VIOLATION); // reserved: violations are found by the exporter, not recorded

  private static RingDrainer drainer;

  private final Object queueObject = queueOfTwo();
  private final List<Case> cases = new ArrayList<>();

  @BeforeAll
  static void startRecording() {
    if (!Recorder.isRecording()) {
      Recorder.start(new Recorder.Settings(1024, 64, 2));
    }
    drainer = new RingDrainer(Recorder.registry(), new ThreadDirectory());
    drainer.drain(Integer.MAX_VALUE, new ArrayList<>());
  }

  private static ArrayDeque<Object> queueOfTwo() {
    ArrayDeque<Object> q = new ArrayDeque<>();
    q.add("x");
    q.add("y");
    return q;
  }

  private final class Case {
    final EventType type;
    final Object object;
    final int outcome;
    final Map<RecordField, Long> values = new LinkedHashMap<>();
    final Consumer<ThreadState> write;

    Case(EventType type, Object object, int outcome, Consumer<ThreadState> write) {
      this.type = type;
      this.object = object;
      this.outcome = outcome;
      this.write = write;
      cases.add(this);
    }

    Case is(RecordField field, long value) {
      values.put(field, value);
      return this;
    }

    /** A wait's time blocked: measured by the writer from the entry time given. */
    Case blockedSinceEntry() {
      values.put(BLOCKED_NS, -WAITED);
      return this;
    }
  }

  private void everyWriter() {
    Object q = queueObject;
    Object guard = new Object();
    new Case(EventType.QUEUE_ENQUEUE, q, Outcome.REJECTED,
        ts -> Events.queueEnqueue(ts, SITE, q, "e", Recorder.publishingSeq(ts), Clock.now(), 11, 12,
            Outcome.REJECTED))
        .is(DEPTH, 2).is(BLOCKED_NS, 11).is(TIMEOUT_NS, 12);
    new Case(EventType.QUEUE_DEQUEUE, q, Outcome.TIMED_OUT,
        ts -> Events.queueDequeue(ts, SITE, q, "e", Recorder.nextSeq(), Clock.now(), 21, 22, Outcome.TIMED_OUT,
            true))
        .is(DEPTH, 2).is(BLOCKED_NS, 21).is(TIMEOUT_NS, 22).is(FROM_DRAIN, 1);
    new Case(EventType.QUEUE_PEEK, q, Outcome.OK, ts -> Events.queuePeek(ts, SITE, q, "e"))
        .is(DEPTH, 2);
    new Case(EventType.QUEUE_DRAIN, q, Outcome.OK,
        ts -> Events.queueDrain(ts, SITE, q, 4, 50, Outcome.OK, Recorder.nextSeq(), Clock.now()))
        .is(DRAINED, 4).is(DRAIN_MAX, 50);
    new Case(EventType.QUEUE_DEQUEUE_BEGIN, q, Outcome.OK, ts -> Events.queueDequeueBegin(ts, SITE, q, 31))
        .is(DEPTH, 2).is(TIMEOUT_NS, 31);
    new Case(EventType.TASK_SUBMIT, guard, Outcome.OK,
        ts -> Events.taskSubmit(ts, SITE, guard, "task", true, 3, 41, Outcome.OK, Recorder.publishingSeq(ts),
            Clock.now()))
        .is(DEPTH, 3).is(SCHEDULE_DELAY_NS, 41).is(RUN_LINKED, 1);
    new Case(EventType.TASK_START, guard, Outcome.OK,
        ts -> Events.taskStart(ts, SITE, System.identityHashCode(guard), "task", null, 51, 52,
            Recorder.nextSeq(), Clock.now()))
        .is(CAUSAL_ID, 51).is(QUEUE_WAIT_NS, 52);
    new Case(EventType.TASK_END, null, Outcome.INTERRUPTED,
        ts -> Events.taskEnd(ts, 61, Outcome.INTERRUPTED, Recorder.nextSeq(), Clock.now()))
        .is(CAUSAL_ID, 61);
    new Case(EventType.LATCH_AWAIT, guard, Outcome.TIMED_OUT,
        ts -> Events.latchAwait(ts, SITE, guard, 5, entry(), 71, Outcome.TIMED_OUT))
        .is(COUNT_AT_ENTRY, 5).blockedSinceEntry().is(TIMEOUT_NS, 71);
    new Case(EventType.LATCH_COUNT_DOWN, guard, Outcome.OK,
        ts -> Events.latchCountDown(ts, SITE, guard, 3, 2, Recorder.publishingSeq(ts), Clock.now()))
        .is(COUNT_BEFORE, 3).is(COUNT_AFTER, 2);
    new Case(EventType.LATCH_GET_COUNT, guard, Outcome.OK, ts -> Events.latchGetCount(ts, SITE, guard, 4))
        .is(COUNT_SEEN, 4);
    new Case(EventType.SEMAPHORE_ACQUIRE, guard, Outcome.OK,
        ts -> Events.semaphoreAcquire(ts, SITE, guard, 6, 2, entry(), 81, Outcome.OK))
        .is(PERMITS_AT_ENTRY, 6).blockedSinceEntry().is(TIMEOUT_NS, 81).is(PERMITS, 2);
    new Case(EventType.SEMAPHORE_RELEASE, guard, Outcome.OK,
        ts -> Events.semaphoreRelease(ts, SITE, guard, 7, 3, Outcome.OK, Recorder.publishingSeq(ts), Clock.now()))
        .is(PERMITS_AFTER, 7).is(PERMITS, 3);
    new Case(EventType.BARRIER_AWAIT, guard, Outcome.OK,
        ts -> Events.barrierAwait(ts, SITE, guard, 1, entry(), 91, Outcome.OK))
        .is(ARRIVAL_INDEX, 1).blockedSinceEntry().is(TIMEOUT_NS, 91);
    new Case(EventType.PHASER_ARRIVE, guard, Outcome.OK,
        ts -> Events.phaserArrive(ts, SITE, guard, 8, true, Recorder.publishingSeq(ts), Clock.now()))
        .is(PHASE, 8).is(DEREGISTERED, 1);
    new Case(EventType.PHASER_AWAIT, guard, Outcome.OK,
        ts -> Events.phaserAwait(ts, SITE, guard, 9, entry(), 101, Outcome.OK))
        .is(PHASE, 9).blockedSinceEntry().is(TIMEOUT_NS, 101);
    new Case(EventType.CONDITION_AWAIT, guard, Outcome.OK,
        ts -> Events.conditionAwait(ts, SITE, guard, entry(), 111, Outcome.OK))
        .blockedSinceEntry().is(TIMEOUT_NS, 111);
    new Case(EventType.CONDITION_SIGNAL, guard, Outcome.OK,
        ts -> Events.conditionSignal(ts, SITE, guard, true, Outcome.OK, Recorder.publishingSeq(ts), Clock.now()))
        .is(ALL, 1);
    new Case(EventType.LOCK_ACQUIRE, guard, Outcome.OK,
        ts -> Events.lockAcquire(ts, SITE, guard, entry(), 121, Outcome.OK))
        .blockedSinceEntry().is(TIMEOUT_NS, 121);
    new Case(EventType.LOCK_ACQUIRE, guard, Outcome.OK, ts -> Events.lockAcquireUnmeasured(ts, SITE, guard))
        .is(BLOCKED_NS, 0).is(TIMEOUT_NS, -1);
    new Case(EventType.LOCK_RELEASE, guard, Outcome.EXCEPTION,
        ts -> Events.lockRelease(ts, SITE, guard, Outcome.EXCEPTION, Recorder.publishingSeq(ts), Clock.now()));
    new Case(EventType.MONITOR_WAIT, guard, Outcome.OK,
        ts -> Events.monitorWait(ts, SITE, guard, entry(), 131, Outcome.OK))
        .blockedSinceEntry().is(TIMEOUT_NS, 131);
    new Case(EventType.MONITOR_NOTIFY, guard, Outcome.OK,
        ts -> Events.monitorNotify(ts, SITE, guard, true, Outcome.OK, Recorder.publishingSeq(ts), Clock.now()))
        .is(ALL, 1);
    new Case(EventType.FUTURE_GET, guard, Outcome.OK,
        ts -> Events.futureGet(ts, SITE, guard, 1, entry(), 141, Outcome.OK))
        .is(DONE_AT_ENTRY, 1).blockedSinceEntry().is(TIMEOUT_NS, 141);
    new Case(EventType.SLEEP, null, Outcome.TIMED_OUT,
        ts -> Events.sleep(ts, SITE, entry(), 151, Outcome.TIMED_OUT))
        .blockedSinceEntry().is(TIMEOUT_NS, 151);
    new Case(EventType.FLAG_READ, null, Outcome.OK, ts -> Events.flagRead(ts, SITE, 42, 2))
        .is(VALUE_SEEN, 42).is(VALUE_TYPE, 2);
    new Case(EventType.GUARD_METHOD, null, Outcome.OK,
        ts -> Events.guardMethod(ts, SITE, 1, entry(), Outcome.OK, "key", Boolean.TRUE))
        .is(DECISION, 1).blockedSinceEntry();
    new Case(EventType.CONDITION_CHECK, guard, Outcome.TIMED_OUT,
        ts -> Events.conditionCheck(ts, SITE, guard, 1, Outcome.TIMED_OUT, Recorder.nextSeq(), Clock.now()))
        .is(TIMED_LOOP, 1).is(MONITOR_LOOP, 1);
    new Case(EventType.CONDITION_CHECK, null, Outcome.OK,
        ts -> Events.conditionCheck(ts, SITE, null, -1, Outcome.OK, Recorder.nextSeq(), Clock.now()))
        .is(TIMED_LOOP, -1).is(MONITOR_LOOP, 0);
    new Case(EventType.OBJECT_NEW, guard, Outcome.OK, ts -> Events.objectNew(ts, SITE, guard));
    new Case(EventType.MARK, null, Outcome.OK, ts -> Events.mark(ts, "op", "key", Recorder.nextSeq()));
    new Case(EventType.DELAY, null, Outcome.OK,
        ts -> Events.delay(ts, SITE, 3, "rule", "key", 161, 162, 163))
        .is(PLANNED_NS, 161).is(WAITED_NS, 162).is(OCCURRENCE, 163).is(RULE_INDEX, 3);
  }

  private static long entry() {
    return System.nanoTime() - WAITED;
  }

  @Test
  void everyWriterPutsItsValuesWhereTheTableSaysTheyAre() {
    everyWriter();
    ThreadState ts = Recorder.recordingState();
    assertThat(ts).isNotNull();
    for (Case c : cases) {
      c.write.accept(ts);
      List<Event> events = drainer.drain(Integer.MAX_VALUE, new ArrayList<>());
      events.removeIf(e -> e.kind == EventType.STATE.kind());
      assertThat(events).as("records written by the %s writer", c.type).hasSize(1);
      Event e = events.get(0);
      assertThat(e.kind).as("kind").isEqualTo(c.type.kind());
      assertThat(e.outcome).as("outcome of %s", c.type).isEqualTo(c.outcome);
      if (c.type != EventType.TASK_END && c.type != EventType.MARK) {
        assertThat(e.site).as("site of %s", c.type).isEqualTo(SITE);
      }
      if (c.object != null) {
        assertThat(e.objId).as("object of %s", c.type).isEqualTo(System.identityHashCode(c.object));
      }
      assertThat(c.values.keySet()).as("the fields %s carries, each asserted", c.type)
          .containsExactlyInAnyOrderElementsOf(c.type.fields());
      for (Map.Entry<RecordField, Long> v : c.values.entrySet()) {
        long expected = v.getValue();
        if (expected == -WAITED) {
          assertThat(e.get(v.getKey())).as("%s of %s", v.getKey(), c.type).isBetween(WAITED, 60 * WAITED);
        } else {
          assertThat(e.get(v.getKey())).as("%s of %s", v.getKey(), c.type).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void aMarkAndADelayCarryTheirKeyAndName() {
    ThreadState ts = Recorder.recordingState();
    Events.mark(ts, "publish", "order-7", Recorder.nextSeq());
    Events.delay(ts, SITE, 0, "dequeue:orders@100ms", "order-8", 1, 1, 0);
    List<Event> events = drainer.drain(Integer.MAX_VALUE, new ArrayList<>());
    events.removeIf(e -> e.kind == EventType.STATE.kind());
    assertThat(events).extracting(e -> e.key).containsExactly("order-7", "order-8");
    assertThat(events).extracting(e -> e.aux).containsExactly("publish", "dequeue:orders@100ms");
  }

  @Test
  void everyKindRecordedOnAnApplicationThreadHasAWriter() {
    everyWriter();
    Set<EventType> written = EnumSet.noneOf(EventType.class);
    cases.forEach(c -> written.add(c.type));
    for (EventType type : EventType.values()) {
      if (type.kind() != EventType.NO_KIND && !WRITTEN_ELSEWHERE.contains(type)) {
        assertThat(written).as("a writer for %s, exercised here", type).contains(type);
      }
    }
  }

  @Test
  void everyWriterIsNamedAfterTheKindItWrites() {
    List<String> kinds = new ArrayList<>();
    for (EventType type : EventType.values()) {
      kinds.add(camel(type.name()));
    }
    for (Method m : Events.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers())) {
        assertThat(kinds).as("the kind %s is named after", m.getName())
            .anyMatch(k -> m.getName().startsWith(k));
      }
    }
  }

  private static String camel(String constant) {
    StringBuilder b = new StringBuilder();
    for (String part : constant.toLowerCase(Locale.ROOT).split("_")) {
      b.append(b.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }
    return b.toString();
  }
}
