package dev.racetrace.agent.export.drain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hands drained events to the assembler in seq order across drain cycles. A cycle cut short by its
 * limit leaves events in some rings whose seq is below events already drained from others; the
 * assembler matches a dequeue to the enqueues it has seen, so an event must never be assembled
 * before an earlier one. Events above the drain's watermark wait here for the next cycle, and a
 * thread's end waits for its held events. Past {@code bound} held events everything is released,
 * so memory stays bounded (order may then break, as it would without this class). Exporter thread
 * only.
 */
public final class InOrderRelease {
  private static final Comparator<Event> BY_SEQ = Comparator.comparingLong(e -> e.seq);

  private final int bound;
  private List<Event> held = new ArrayList<>();
  private final List<Long> endsWaiting = new ArrayList<>();

  /** @param bound events held at most; beyond it all are released */
  public InOrderRelease(int bound) {
    this.bound = bound;
  }

  /**
   * @param drained the events of one drain, any order
   * @param watermark events with a seq up to this may be assembled ({@code Long.MAX_VALUE}: all)
   * @param ended threads whose ring was retired in this drain
   * @param endedNow receives the threads whose end may be assembled now (after the returned events)
   * @return the events to assemble now, in seq order
   */
  public List<Event> release(List<Event> drained, long watermark, List<Long> ended, List<Long> endedNow) {
    return release(drained, watermark, ended, endedNow, Integer.MAX_VALUE);
  }

  /**
   * As {@link #release(List, long, List, List)}, but at most {@code max} events, the earliest: the
   * rest stay held for a later release, in order (live export assembles in slices,
   * {@link dev.racetrace.agent.export.journal.LiveJournal}). A thread's end waits while any of its
   * events is held.
   */
  public List<Event> release(List<Event> drained, long watermark, List<Long> ended, List<Long> endedNow, int max) {
    List<Event> all = held;
    all.addAll(drained);
    all.sort(BY_SEQ);
    int cut = all.size();
    if (watermark != Long.MAX_VALUE) {
      cut = upTo(all, watermark);
      if (all.size() - cut > bound) {
        cut = all.size();
      }
    }
    cut = Math.min(cut, max);
    List<Event> now = new ArrayList<>(all.subList(0, cut));
    held = new ArrayList<>(all.subList(cut, all.size()));
    endsWaiting.addAll(ended);
    if (!endsWaiting.isEmpty()) {
      Set<Long> holding = new HashSet<>();
      for (Event e : held) {
        holding.add(e.threadId);
      }
      for (int i = 0; i < endsWaiting.size(); ) {
        if (holding.contains(endsWaiting.get(i))) {
          i++;
        } else {
          endedNow.add(endsWaiting.remove(i));
        }
      }
    }
    return now;
  }

  /**
   * Holds {@code drained} (and the ends of {@code ended}) for a later {@link #release}, releasing
   * nothing now: the assembler rests while the rings are drained for the journal
   * ({@link dev.racetrace.agent.export.journal.LiveJournal}).
   */
  public void hold(List<Event> drained, List<Long> ended) {
    held.addAll(drained);
    endsWaiting.addAll(ended);
  }

  /** Lets go of everything held (racetrace stopped itself). */
  public void discard() {
    held = new ArrayList<>();
    endsWaiting.clear();
  }

  /** Events held for a later cycle. */
  public int held() {
    return held.size();
  }

  /** The number of leading events with seq at most {@code watermark} (the list is sorted). */
  private static int upTo(List<Event> sorted, long watermark) {
    int lo = 0;
    int hi = sorted.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).seq <= watermark) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
