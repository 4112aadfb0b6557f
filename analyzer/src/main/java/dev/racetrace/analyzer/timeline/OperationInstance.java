package dev.racetrace.analyzer.timeline;

import dev.racetrace.analyzer.input.SpanRecord;
import dev.racetrace.analyzer.input.SpanRole;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One operation on one key on one node: the work spans that carry it (a dequeued element's
 * {@code process}, the {@code run} it was handed off to, or a {@code mark}), the enqueue or submit
 * that started it, and the guards, signals and state it saw. The three points the ordering
 * questions ask about:
 *
 * <ul>
 *   <li><b>start</b>: the first work span's seq (the dequeue, the task start, the mark);
 *   <li><b>proceed</b>: the later of its last guard check (the seq at which the check returned)
 *       and the start of its last work span (where a hand-off's real work begins) &mdash; from
 *       here on nothing held it back;
 *   <li><b>end</b>: the last work span's {@code race.end_seq}.
 * </ul>
 *
 * An instance with no work span is <em>pending</em> (enqueued or submitted, never started); one
 * whose hand-off never ran has a pending continuation; neither has ended.
 */
public final class OperationInstance {
  private static final List<SpanRecord> NONE = Collections.emptyList();
  private final int id;
  private final String node;
  private String key;
  private final String op;
  private int index;
  private SpanRecord initiator;
  private final List<SpanRecord> parts = new ArrayList<>(2);
  // Most operations have a few guards and no signals, notes or sends: lists are made on demand.
  private List<SpanRecord> guards = NONE;
  private List<SpanRecord> signals = NONE;
  private List<SpanRecord> notes = NONE;
  private List<SpanRecord> sends = NONE;
  private boolean pendingContinuation;

  private long initSeq;
  private long initNanos;
  private SpanRecord proceedSpan;
  private long endSeq;
  private long endNanos;
  private boolean endInferred;

  OperationInstance(int id, String node, String key, String op) {
    this.id = id;
    this.node = node;
    this.key = key;
    this.op = op;
  }

  void initiator(SpanRecord enqueueOrSubmit) {
    if (initiator == null) {
      initiator = enqueueOrSubmit;
    }
  }

  void addPart(SpanRecord work) {
    parts.add(work);
    if (key == null) {
      key = work.key();
    }
  }

  void addChild(SpanRecord child) {
    switch (child.role()) {
      case GUARD_WAIT:
      case GUARD_CHECK:
        guards = add(guards, child);
        break;
      case GUARD_SIGNAL:
        signals = add(signals, child);
        break;
      case ENQUEUE:
      case SUBMIT:
        sends = add(sends, child);
        break;
      default:
        notes = add(notes, child);
    }
  }

  private static List<SpanRecord> add(List<SpanRecord> list, SpanRecord s) {
    List<SpanRecord> l = list == NONE ? new ArrayList<>(4) : list;
    l.add(s);
    return l;
  }

  void markPendingContinuation() {
    pendingContinuation = true;
  }

  void index(int index) {
    this.index = index;
  }

  /** Computes the start, proceed and end points once every span has been assigned. */
  void freeze() {
    parts.sort(BY_SEQ);
    guards.sort(BY_SEQ);
    signals.sort(BY_SEQ);
    notes.sort(BY_SEQ);
    if (parts.isEmpty()) {
      initSeq = initiator.seq();
      initNanos = initiator.startNanos();
      endSeq = SpanRecord.NONE;
      return;
    }
    SpanRecord first = parts.get(0);
    SpanRecord last = parts.get(parts.size() - 1);
    initSeq = initiator != null ? initiator.seq() : first.seq();
    initNanos = initiator != null ? initiator.startNanos()
        : first.queueWaitNs() != SpanRecord.NONE ? first.startNanos() - first.queueWaitNs()
        : first.startNanos();
    proceedSpan = last;
    for (SpanRecord g : guards) {
      if (holdsBack(g) && g.seq() > proceedSpan.seq()) {
        proceedSpan = g;
      }
    }
    long maxSeen = last.seq();
    for (SpanRecord g : guards) {
      maxSeen = Math.max(maxSeen, g.seq());
    }
    for (SpanRecord sig : signals) {
      maxSeen = Math.max(maxSeen, sig.seq());
    }
    for (SpanRecord n : notes) {
      maxSeen = Math.max(maxSeen, n.seq());
    }
    if (last.role() == SpanRole.MARK) {
      endSeq = last.seq();
      endNanos = last.startNanos();
    } else if (last.endSeq() != SpanRecord.NONE) {
      endSeq = last.endSeq();
      for (SpanRecord p : parts) {
        if (p.endSeq() != SpanRecord.NONE) {
          endSeq = Math.max(endSeq, p.endSeq());
        }
      }
      endNanos = last.endNanos();
    } else {
      // End not observed (thread went silent, or shutdown): the last thing it was seen doing.
      endInferred = true;
      endSeq = maxSeen;
      endNanos = last.endNanos();
    }
  }

  private static final java.util.Comparator<SpanRecord> BY_SEQ =
      (x, y) -> Long.compare(x.seq(), y.seq());

  /**
   * Whether a guard span can hold an operation back: every wait and check except taking a
   * lock, which excludes others but says nothing about readiness, and a {@code Thread.sleep},
   * which waits for nothing (a sleep after the real check must not move the proceed point).
   */
  static boolean holdsBack(SpanRecord guard) {
    return guard.role().isGuard() && !"lock.acquire".equals(guard.event())
        && !"thread.sleep".equals(guard.event());
  }

  /** Id, unique within the node's timeline. */
  public int id() {
    return id;
  }

  /** The node. */
  public String node() {
    return node;
  }

  /** The key ({@code race.key}). */
  public String key() {
    return key;
  }

  /** The operation ({@code race.op}). */
  public String op() {
    return op;
  }

  /** 1-based occurrence of this op on this key on this node, in initiation order. */
  public int index() {
    return index;
  }

  /** {@code op}, or {@code op #n} when the op occurs more than once on the key. */
  public String label(boolean withIndex) {
    return withIndex ? op + " #" + index : op;
  }

  /** The enqueue or submit that started it, or null when not seen. */
  public SpanRecord initiator() {
    return initiator;
  }

  /** Work spans in seq order; empty when pending. */
  public List<SpanRecord> parts() {
    return Collections.unmodifiableList(parts);
  }

  /** Guard waits and checks passed, in seq order. */
  public List<SpanRecord> guards() {
    return Collections.unmodifiableList(guards);
  }

  /** Guard signals made (countDown, signal, release, ...), in seq order. */
  public List<SpanRecord> signals() {
    return Collections.unmodifiableList(signals);
  }

  /** Enqueues and submits made inside it (its own hand-offs included), in seq order. */
  public List<SpanRecord> sends() {
    return Collections.unmodifiableList(sends);
  }

  /** Other spans inside it (injected delays, marks of the same op), in seq order. */
  public List<SpanRecord> notes() {
    return Collections.unmodifiableList(notes);
  }

  /** Whether it never started (enqueued or submitted only). */
  public boolean pending() {
    return parts.isEmpty();
  }

  /** Whether a hand-off of it was made but never ran. */
  public boolean pendingContinuation() {
    return pendingContinuation;
  }

  /** Whether it ended (neither pending nor waiting for a hand-off). */
  public boolean ended() {
    return !parts.isEmpty() && !pendingContinuation;
  }

  /** Whether its end was not observed and {@link #endSeq()} is the last thing seen of it. */
  public boolean endInferred() {
    return endInferred;
  }

  /** Seq of the enqueue/submit that started it, else of its start. */
  public long initSeq() {
    return initSeq;
  }

  /** Time it was enqueued/submitted (node clock, epoch ns); estimated from the queue wait when
   * the enqueue was not seen. */
  public long initNanos() {
    return initNanos;
  }

  /** Whether it was enqueued or submitted (rather than started directly). */
  public boolean hasInitiator() {
    return initiator != null;
  }

  /** Seq of its first work span, or {@link SpanRecord#NONE} when pending. */
  public long startSeq() {
    return parts.isEmpty() ? SpanRecord.NONE : parts.get(0).seq();
  }

  /** Seq of its last work span's start (a hand-off's run), or {@link SpanRecord#NONE}. */
  public long lastStartSeq() {
    return parts.isEmpty() ? SpanRecord.NONE : parts.get(parts.size() - 1).seq();
  }

  /** Start time of its first work span (node clock, epoch ns). */
  public long startNanos() {
    return parts.isEmpty() ? initNanos : parts.get(0).startNanos();
  }

  /** The span at which it proceeded (last guard, or last work span start); null when pending. */
  public SpanRecord proceedSpan() {
    return proceedSpan;
  }

  /** Seq at which it proceeded, or {@link SpanRecord#NONE} when pending. */
  public long proceedSeq() {
    return proceedSpan == null ? SpanRecord.NONE : proceedSpan.seq();
  }

  /** Time at which it proceeded: the guard's return or the work span's start. */
  public long proceedNanos() {
    if (proceedSpan == null) {
      return initNanos;
    }
    return proceedSpan.role().isGuard() ? proceedSpan.endNanos() : proceedSpan.startNanos();
  }

  /** Seq at which it ended, or {@link SpanRecord#NONE} when pending. */
  public long endSeq() {
    return endSeq;
  }

  /** End time (node clock, epoch ns); for a pending instance its initiation time. */
  public long endNanos() {
    return parts.isEmpty() ? initNanos : endNanos;
  }

  /** The thread of its last work span (where it proceeded), or null when pending. */
  public String thread() {
    return parts.isEmpty() ? null : parts.get(parts.size() - 1).thread();
  }

  /** Threads of its work spans, in order. */
  public Set<String> threads() {
    Set<String> t = new LinkedHashSet<>();
    for (SpanRecord p : parts) {
      t.add(p.thread());
    }
    return t;
  }

  /** Sum of the queue and pool waits of its work spans, or {@link SpanRecord#NONE}. */
  public long queueWaitNs() {
    long sum = SpanRecord.NONE;
    for (SpanRecord p : parts) {
      if (p.queueWaitNs() != SpanRecord.NONE) {
        sum = (sum == SpanRecord.NONE ? 0 : sum) + p.queueWaitNs();
      }
    }
    return sum;
  }

  /** State ({@code race.state.*}) seen when its work started (computed on each call). */
  public Map<String, Long> stateAtStart() {
    Map<String, Long> m = new LinkedHashMap<>();
    if (parts.isEmpty()) {
      if (initiator != null) {
        initiator.copyStateInto(m);
      }
      return m;
    }
    for (SpanRecord p : parts) {
      p.copyStateInto(m);
    }
    return m;
  }

  /**
   * State seen at its proceed point: the start state updated by every guard check's state
   * (computed on each call).
   */
  public Map<String, Long> stateAtProceed() {
    Map<String, Long> m = stateAtStart();
    for (SpanRecord g : guards) {
      g.copyStateInto(m);
    }
    return m;
  }

  @Override
  public String toString() {
    return node + ":" + key + ":" + op + "#" + index + "[init " + initSeq + ", proceed "
        + proceedSeq() + ", end " + endSeq + "]";
  }
}
