package dev.racetrace.agent.export.assemble;

import java.util.ArrayDeque;

/** Open work of one thread, innermost last, and what the assembler remembers of the thread. */
final class ThreadWork {
  final ArrayDeque<Work> stack = new ArrayDeque<>();
  long lastEventTime;
  long lastSeenNanos;
  /** A timed wait that expired, held until the thread's next event says whether it went on. */
  RaceSpan expiredWait;
  int expiredWaitObject;

  /** The innermost open work, or null. */
  Work top() {
    return stack.peekLast();
  }
}
