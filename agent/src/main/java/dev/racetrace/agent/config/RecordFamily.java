package dev.racetrace.agent.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The event families {@code racetrace.record} switches. A family that is off is not instrumented at
 * all: its call sites keep their original bytecode, so it costs nothing at run time.
 */
public enum RecordFamily {
  /** Queue and Deque put/take/offer/poll/drainTo, and classes implementing Queue themselves. */
  QUEUES,
  /** Executor submit/execute/schedule/invokeAll, *Async executors, task runs, own Executor classes. */
  EXECUTORS,
  /** CountDownLatch, CyclicBarrier and Phaser. */
  LATCHES,
  /** Semaphore acquire/tryAcquire/release. */
  SEMAPHORES,
  /** Lock lock/tryLock/unlock (with conditions: the checks that end a Condition wait loop). */
  LOCKS,
  /** Condition await/signal. */
  CONDITIONS,
  /** Object wait/notify/notifyAll. */
  MONITORS,
  /** Future.get. */
  FUTURES,
  /** Thread.sleep. */
  SLEEPS,
  /** Reads of the readiness fields named in racetrace.guards.flags. */
  FLAGS;

  /** The name used in racetrace.record, e.g. {@code queues}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every family's id, ", "-separated, in declaration order. */
  public static String allIds() {
    List<String> out = new ArrayList<>();
    for (RecordFamily f : values()) {
      out.add(f.id());
    }
    return String.join(", ", out);
  }

  /** The family with this id, or null. */
  public static RecordFamily byId(String id) {
    for (RecordFamily f : values()) {
      if (f.id().equals(id)) {
        return f;
      }
    }
    return null;
  }

  /** Parses a checked racetrace.record value: {@code all} or a list of ids. */
  public static Set<RecordFamily> parse(String value) {
    Set<RecordFamily> out = EnumSet.noneOf(RecordFamily.class);
    for (String id : ValueType.splitList(value)) {
      if (id.equals("all")) {
        return EnumSet.allOf(RecordFamily.class);
      }
      out.add(byId(id));
    }
    return out;
  }
}
