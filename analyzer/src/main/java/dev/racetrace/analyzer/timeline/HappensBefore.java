package dev.racetrace.analyzer.timeline;

import dev.racetrace.analyzer.input.SpanRecord;
import dev.racetrace.analyzer.input.SpanRole;
import dev.racetrace.schema.SchemaNames;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Happens-before over one node's recorded events. Edges: program order per thread; an element's
 * enqueue to its dequeue; a task's submit to its start; a signal (countDown, signal, release,
 * unlock, notify, arrive) to a later wait on the same guard object that did not time out; a
 * {@code notify} to a later predicate check on the same monitor ({@code condition.check} naming
 * the monitor's identity, recorded before its {@code monitorexit}): both were recorded while holding that
 * monitor, so their seq order is the monitor's order, whether or not the check's loop waited.
 *
 * <p>Program order does not carry over from one operation into the next work a pool thread
 * happens to pick up (a blocking take on a shared queue, a task start on a pool): that order is
 * luck, not enforcement. It does when the thread is the only consumer of that queue or executor
 * (FIFO with one consumer), or when the thread took the next element with a non-blocking dequeue
 * right after the previous work, handing it to itself (a per-key lane).
 *
 * <p>Because {@code race.seq} is consistent with happens-before, a search for a path to a point
 * at seq {@code s} only visits events below {@code s}.
 */
public final class HappensBefore {
  private final SpanRecord[] spans;
  private final int[] context;
  private final LongIntMap workByCausal;
  private final int[] nextOnThread;
  private final Map<String, int[]> threadEvents = new HashMap<>();
  private final Map<String, int[]> waitsByObject = new HashMap<>();
  private final Map<String, int[]> monitorChecksByObject = new HashMap<>();
  private final Map<String, Integer> consumers = new HashMap<>();

  HappensBefore(SpanRecord[] spans, int[] context, LongIntMap workByCausal) {
    this.spans = spans;
    this.context = context;
    this.workByCausal = workByCausal;
    int n = spans.length;
    nextOnThread = new int[n];
    Map<String, IntList> byThread = new HashMap<>();
    Map<String, IntList> waits = new HashMap<>();
    Map<String, IntList> monitorChecks = new HashMap<>();
    Map<String, Set<String>> consumerThreads = new HashMap<>();
    for (int i = 0; i < n; i++) {
      SpanRecord s = spans[i];
      byThread.computeIfAbsent(s.thread(), t -> new IntList()).add(i);
      if (s.role() == SpanRole.GUARD_WAIT && s.resource() != null && completed(s)) {
        waits.computeIfAbsent(s.guardIdentity(), o -> new IntList()).add(i);
      }
      if (isMonitorCheck(s)) {
        monitorChecks.computeIfAbsent(s.guardIdentity(), o -> new IntList()).add(i);
      }
      if ((s.role() == SpanRole.PROCESS || s.role() == SpanRole.RUN) && s.resource() != null) {
        consumerThreads.computeIfAbsent(s.resource(), r -> new HashSet<>()).add(s.thread());
      }
    }
    Arrays.fill(nextOnThread, -1);
    for (Map.Entry<String, IntList> e : byThread.entrySet()) {
      int[] events = e.getValue().toArray();
      threadEvents.put(e.getKey(), events);
      for (int k = 0; k + 1 < events.length; k++) {
        nextOnThread[events[k]] = events[k + 1];
      }
    }
    for (Map.Entry<String, IntList> e : waits.entrySet()) {
      waitsByObject.put(e.getKey(), e.getValue().toArray());
    }
    for (Map.Entry<String, IntList> e : monitorChecks.entrySet()) {
      monitorChecksByObject.put(e.getKey(), e.getValue().toArray());
    }
    for (Map.Entry<String, Set<String>> e : consumerThreads.entrySet()) {
      consumers.put(e.getKey(), e.getValue().size());
    }
  }

  /**
   * A wait loop's predicate check that names its object's identity: a monitor's (a Condition
   * loop's check names none; older recordings name the monitor only, and two monitors may share
   * a name, so those are not matched).
   */
  private static boolean isMonitorCheck(SpanRecord s) {
    return "condition.check".equals(s.event()) && s.resource() != null && s.objectId() != null;
  }

  private static boolean completed(SpanRecord wait) {
    return !wait.timedOut() && (wait.outcome() == null || SchemaNames.OUTCOME_OK.equals(wait.outcome()));
  }

  /** Number of distinct threads seen consuming {@code resource} (a queue or executor). */
  public int consumerThreads(String resource) {
    Integer c = consumers.get(resource);
    return c == null ? 0 : c;
  }

  /**
   * A recorded happens-before path from inside {@code a} (its end, a signal it made, or an
   * enqueue/submit it made of other work) to {@code b}'s proceed point, or null if there is none.
   */
  public HbPath path(OperationInstance a, OperationInstance b) {
    if (a.pending() || b.pending()) {
      return null;
    }
    int target = Seqs.indexOf(spans, b.proceedSpan());
    if (target < 0) {
      return null;
    }
    long targetSeq = b.proceedSeq();
    Map<Integer, int[]> via = new HashMap<>();
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (SpanRecord s : a.signals()) {
      seed(s, targetSeq, via, queue);
    }
    for (SpanRecord s : a.sends()) {
      int consumer = workByCausal.get(s.seq());
      if (consumer >= 0 && context[consumer] != a.id()) {
        seed(s, targetSeq, via, queue);
      }
    }
    if (a.ended() && !a.endInferred() && a.endSeq() < targetSeq) {
      int next = firstAfter(a.thread(), a.endSeq());
      if (next >= 0 && spans[next].seq() <= targetSeq) {
        int edge = crossing(a.id(), next);
        if (edge != BLOCKED) {
          visit(next, -1, edge, via, queue);
        }
      }
    }
    while (!queue.isEmpty()) {
      int x = queue.poll();
      if (x == target) {
        return buildPath(x, via);
      }
      SpanRecord s = spans[x];
      int y = nextOnThread[x];
      if (y >= 0 && spans[y].seq() <= targetSeq) {
        int edge = crossing(context[x], y);
        if (edge != BLOCKED) {
          visit(y, x, edge, via, queue);
        }
      }
      if (s.role() == SpanRole.ENQUEUE || s.role() == SpanRole.SUBMIT) {
        int c = workByCausal.get(s.seq());
        if (c >= 0 && spans[c].seq() <= targetSeq) {
          visit(c, x, s.role() == SpanRole.ENQUEUE ? QUEUE : TASK, via, queue);
        }
      } else if (s.role() == SpanRole.GUARD_SIGNAL && s.resource() != null) {
        visitAfter(waitsByObject.get(s.guardIdentity()), x, targetSeq, via, queue);
        if ("monitor.notify".equals(s.event())) {
          visitAfter(monitorChecksByObject.get(s.guardIdentity()), x, targetSeq, via, queue);
        }
      }
    }
    return null;
  }

  private static final int BLOCKED = -1;
  private static final int PROGRAM = 0;
  private static final int QUEUE = 1;
  private static final int TASK = 2;
  private static final int SIGNAL = 3;
  private static final int SINGLE = 4;
  private static final int HANDOFF = 5;

  /**
   * The edge for program order into {@code y} from work of instance {@code fromInstance}. Into
   * other work it is an edge only when that work is not luck: the thread is the only consumer of
   * the queue or executor, or it took the element with a non-blocking dequeue (no
   * {@code race.blocked_ns}/{@code race.timeout_ns}: it handed itself the next item, as a
   * per-key lane does) rather than waiting on a shared queue for whatever came.
   */
  private int crossing(int fromInstance, int y) {
    SpanRecord target = spans[y];
    boolean workStart = target.role() == SpanRole.PROCESS || target.role() == SpanRole.RUN;
    if (!workStart || context[y] == fromInstance) {
      return PROGRAM;
    }
    if (consumerThreads(target.resource()) <= 1) {
      return SINGLE;
    }
    boolean handedItself = target.role() == SpanRole.PROCESS
        && target.blockedNs() == SpanRecord.NONE && target.timeoutNs() == SpanRecord.NONE;
    return handedItself ? HANDOFF : BLOCKED;
  }

  private void seed(SpanRecord s, long targetSeq, Map<Integer, int[]> via,
      ArrayDeque<Integer> queue) {
    if (s.seq() < targetSeq) {
      int i = Seqs.indexOf(spans, s);
      if (i >= 0) {
        visit(i, -1, PROGRAM, via, queue);
      }
    }
  }

  /** Visits, as signalled by {@code x}, the spans of {@code sorted} after it up to the target. */
  private void visitAfter(int[] sorted, int x, long targetSeq, Map<Integer, int[]> via,
      ArrayDeque<Integer> queue) {
    if (sorted == null) {
      return;
    }
    for (int k = firstIndexAfter(sorted, spans[x].seq()); k < sorted.length; k++) {
      if (spans[sorted[k]].seq() > targetSeq) {
        break;
      }
      visit(sorted[k], x, SIGNAL, via, queue);
    }
  }

  private static void visit(int y, int from, int edge, Map<Integer, int[]> via,
      ArrayDeque<Integer> queue) {
    if (!via.containsKey(y)) {
      via.put(y, new int[] {from, edge});
      queue.add(y);
    }
  }

  private HbPath buildPath(int end, Map<Integer, int[]> via) {
    List<HbPath.Step> steps = new ArrayList<>();
    int x = end;
    while (x >= 0) {
      int[] v = via.get(x);
      int from = v[0];
      int edge = v[1];
      if (edge != PROGRAM && from >= 0) {
        HbPath.Edge kind = edge == QUEUE ? HbPath.Edge.QUEUE : edge == TASK ? HbPath.Edge.TASK
            : edge == SIGNAL ? HbPath.Edge.SIGNAL : edge == HANDOFF ? HbPath.Edge.HAND_OFF
            : HbPath.Edge.SINGLE_CONSUMER;
        steps.add(0, new HbPath.Step(kind, spans[from], spans[x]));
      } else if ((edge == SINGLE || edge == HANDOFF) && from < 0) {
        steps.add(0, new HbPath.Step(edge == SINGLE ? HbPath.Edge.SINGLE_CONSUMER
            : HbPath.Edge.HAND_OFF, null, spans[x]));
      }
      x = from;
    }
    return new HbPath(steps);
  }

  private int firstAfter(String thread, long seq) {
    int[] events = threadEvents.get(thread);
    if (events == null) {
      return -1;
    }
    int k = firstIndexAfter(events, seq);
    return k < events.length ? events[k] : -1;
  }

  /** Index in {@code sorted} (span indices in seq order) of the first span with seq > {@code seq}. */
  private int firstIndexAfter(int[] sorted, long seq) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (spans[sorted[mid]].seq() <= seq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** A growable int array. */
  private static final class IntList {
    private int[] a = new int[8];
    private int size;

    void add(int v) {
      if (size == a.length) {
        a = Arrays.copyOf(a, size * 2);
      }
      a[size++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(a, size);
    }
  }
}
