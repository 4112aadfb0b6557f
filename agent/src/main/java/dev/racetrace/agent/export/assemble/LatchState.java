package dev.racetrace.agent.export.assemble;

import dev.racetrace.agent.internal.BoundedMap;
import java.util.Map;

/**
 * When each latch opened (its count reached zero), so an await that found it open can say for how
 * long it had been ({@code race.guard.open_for_ns}). Bounded: an old latch's open time only
 * refines that attribute, so the least recently used goes. Exporter thread only.
 */
final class LatchState {
  private final Map<Integer, Long> openedAt;

  LatchState(int maxLatches) {
    this.openedAt = BoundedMap.lru(maxLatches);
  }

  /** A count-down took the latch from {@code before} to {@code after}; at zero it opened at {@code time}. */
  void countedDown(int latchId, long before, long after, long time) {
    if (before > 0 && after == 0) {
      openedAt.put(latchId, time);
    }
  }

  /** When the latch opened, or null when not seen (or forgotten). */
  Long openedAt(int latchId) {
    return openedAt.get(latchId);
  }
}
