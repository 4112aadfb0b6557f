package dev.racetrace.analyzer.timeline;

import dev.racetrace.analyzer.input.NodeCounters;
import dev.racetrace.analyzer.input.SpanRecord;
import dev.racetrace.analyzer.input.SpanRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link NodeTimeline} from one node's spans.
 *
 * <ol>
 *   <li>Sorts by {@code race.seq} and drops exact duplicates (a file read twice).
 *   <li>Assigns every guard, signal, delay, enqueue and submit to the work span it happened in:
 *       its parent span if that is a {@code process}/{@code run}, else the work span open on the
 *       same thread at that seq.
 *   <li>Groups work spans into operation instances: a {@code run} (or {@code process}) whose
 *       {@code race.parent_causal_id} is the {@code race.causal_id} of earlier work with the same
 *       op and key continues that work's instance (a hand-off through an executor). A
 *       {@code mark} inside work of the same op and key belongs to it; any other mark is an
 *       instance of its own, which has passed the guards its work passed before the mark.
 *   <li>An enqueue or submit nobody consumed is a pending continuation of the work it was made
 *       in (same op and key), or else a pending instance of its own.
 * </ol>
 */
public final class TimelineBuilder {
  private final long fromNanos;
  private final long toNanos;

  /**
   * @param fromNanos keep operations that end at or after this time (epoch ns), or
   *     {@code Long.MIN_VALUE}
   * @param toNanos keep operations initiated at or before this time, or {@code Long.MAX_VALUE}
   */
  public TimelineBuilder(long fromNanos, long toNanos) {
    this.fromNanos = fromNanos;
    this.toNanos = toNanos;
  }

  /** Builds the timeline of {@code node} from its spans (any order). */
  public NodeTimeline build(String node, List<SpanRecord> input, NodeCounters counters) {
    SpanRecord[] spans = sortAndDedupe(input);
    int n = spans.length;
    LongIntMap spanIdIndex = new LongIntMap(n);
    LongIntMap workByCausal = new LongIntMap(n / 2 + 1);
    LongIntMap workByLink = new LongIntMap(n / 2 + 1);
    for (int i = 0; i < n; i++) {
      SpanRecord s = spans[i];
      if (s.spanId() != 0) {
        spanIdIndex.putIfAbsent(s.spanId(), i);
      }
      if ((s.role() == SpanRole.PROCESS || s.role() == SpanRole.RUN)
          && s.causalId() != SpanRecord.NONE) {
        workByCausal.putIfAbsent(s.causalId(), i);
      }
      if (s.role().isWork() && s.linkSpanId() != 0) {
        workByLink.putIfAbsent(s.linkSpanId(), i);
      }
    }
    int[] ownerWork = assignOwners(spans, spanIdIndex);

    List<OperationInstance> instances = new ArrayList<>();
    List<int[]> marksInsideOtherWork = new ArrayList<>();
    int[] instanceOfWork = new int[n];
    Arrays.fill(instanceOfWork, -1);
    for (int i = 0; i < n; i++) {
      SpanRecord s = spans[i];
      if (s.role() == SpanRole.PROCESS || s.role() == SpanRole.RUN) {
        int joined = continuationOf(s, i, spans, workByCausal, ownerWork, instanceOfWork,
            instances);
        OperationInstance inst;
        if (joined >= 0) {
          inst = instances.get(joined);
        } else {
          inst = newInstance(instances, node, s.key(), opOf(s));
          inst.initiator(initiatorOf(s, spans, spanIdIndex));
        }
        inst.addPart(s);
        instanceOfWork[i] = inst.id();
      } else if (s.role() == SpanRole.MARK) {
        int w = ownerWork[i];
        OperationInstance owner = w >= 0 && instanceOfWork[w] >= 0
            ? instances.get(instanceOfWork[w]) : null;
        if (owner != null && Objects.equals(owner.op(), s.op())
            && Objects.equals(owner.key(), s.key())) {
          owner.addChild(s);
          instanceOfWork[i] = owner.id();
        } else {
          OperationInstance inst = newInstance(instances, node, s.key(), opOf(s));
          inst.addPart(s);
          instanceOfWork[i] = inst.id();
          if (owner != null) {
            marksInsideOtherWork.add(new int[] {inst.id(), owner.id()});
          }
        }
      }
    }
    // Children, and enqueues/submits nobody consumed.
    for (int i = 0; i < n; i++) {
      SpanRecord s = spans[i];
      SpanRole r = s.role();
      int w = ownerWork[i];
      OperationInstance owner = w >= 0 && instanceOfWork[w] >= 0
          ? instances.get(instanceOfWork[w]) : null;
      if (r == SpanRole.GUARD_WAIT || r == SpanRole.GUARD_CHECK || r == SpanRole.GUARD_SIGNAL
          || r == SpanRole.DELAY) {
        if (owner != null) {
          owner.addChild(s);
        }
      } else if ((r == SpanRole.ENQUEUE || r == SpanRole.SUBMIT) && owner != null) {
        owner.addChild(s);
      }
      if ((r == SpanRole.ENQUEUE || r == SpanRole.SUBMIT)
          && workByCausal.get(s.seq()) < 0
          && (s.spanId() == 0 || workByLink.get(s.spanId()) < 0)) {
        if (owner == null && s.parentCausalId() != SpanRecord.NONE) {
          int pw = workByCausal.get(s.parentCausalId());
          owner = pw >= 0 && instanceOfWork[pw] >= 0 ? instances.get(instanceOfWork[pw]) : null;
        }
        if (owner != null && compatible(owner, s)) {
          owner.markPendingContinuation();
        } else if (s.key() != null) {
          OperationInstance inst = newInstance(instances, node, s.key(), opOf(s));
          inst.initiator(s);
        }
      }
    }
    // A mark of another operation inside work (RaceTrace.mark("derive", key) in a task) has
    // passed the guards its thread passed before it.
    for (int[] m : marksInsideOtherWork) {
      OperationInstance mark = instances.get(m[0]);
      long at = mark.parts().get(0).seq();
      for (SpanRecord g : instances.get(m[1]).guards()) {
        if (g.seq() < at) {
          mark.addChild(g);
        }
      }
    }
    int[] contextInstance = new int[n];
    for (int i = 0; i < n; i++) {
      int w = spans[i].role() == SpanRole.PROCESS || spans[i].role() == SpanRole.RUN
          ? i : ownerWork[i];
      contextInstance[i] = w >= 0 ? instanceOfWork[w] : -1;
    }
    Map<String, List<OperationInstance>> byKey = new LinkedHashMap<>();
    Map<String, Integer> keylessOps = new java.util.TreeMap<>();
    for (OperationInstance inst : instances) {
      inst.freeze();
      if (inst.key() != null && inWindow(inst)) {
        byKey.computeIfAbsent(inst.key(), k -> new ArrayList<>()).add(inst);
      } else if (inst.key() == null && inst.op() != null && inWindow(inst)) {
        // Seen, but no key: the analyzer tells "never seen" from "seen without a key".
        keylessOps.merge(inst.op(), 1, Integer::sum);
      }
    }
    for (List<OperationInstance> ops : byKey.values()) {
      ops.sort(Comparator.comparingLong(OperationInstance::initSeq));
      Map<String, Integer> counts = new HashMap<>();
      for (OperationInstance inst : ops) {
        inst.index(counts.merge(inst.op(), 1, Integer::sum));
      }
    }
    return new NodeTimeline(node, spans, contextInstance, workByCausal, byKey, keylessOps,
        counters);
  }

  private boolean inWindow(OperationInstance inst) {
    return inst.endNanos() >= fromNanos && inst.initNanos() <= toNanos;
  }

  private static OperationInstance newInstance(List<OperationInstance> instances, String node,
      String key, String op) {
    OperationInstance inst = new OperationInstance(instances.size(), node, key, op);
    instances.add(inst);
    return inst;
  }

  private static String opOf(SpanRecord s) {
    return s.op() != null ? s.op() : s.name();
  }

  /** Same op and key, where the span states them (a hand-off may inherit them). */
  private static boolean compatible(OperationInstance inst, SpanRecord s) {
    return (s.op() == null || s.op().equals(inst.op()))
        && (s.key() == null || inst.key() == null || s.key().equals(inst.key()));
  }

  /** The instance {@code s} continues, or -1. */
  private static int continuationOf(SpanRecord s, int i, SpanRecord[] spans,
      LongIntMap workByCausal, int[] ownerWork, int[] instanceOfWork,
      List<OperationInstance> instances) {
    long parentCausal = s.parentCausalId();
    if (parentCausal == SpanRecord.NONE && s.role() == SpanRole.RUN) {
      int submit = Seqs.indexOf(spans, s.causalId());
      if (submit >= 0 && spans[submit].role() == SpanRole.SUBMIT) {
        parentCausal = spans[submit].parentCausalId();
        if (parentCausal == SpanRecord.NONE) {
          int w = ownerWork[submit];
          if (w >= 0 && w < i && instanceOfWork[w] >= 0
              && compatible(instances.get(instanceOfWork[w]), s)) {
            return instanceOfWork[w];
          }
        }
      }
    }
    if (parentCausal == SpanRecord.NONE) {
      return -1;
    }
    int w = workByCausal.get(parentCausal);
    if (w < 0 || w >= i || instanceOfWork[w] < 0) {
      return -1;
    }
    OperationInstance inst = instances.get(instanceOfWork[w]);
    return compatible(inst, s) ? inst.id() : -1;
  }

  private static SpanRecord initiatorOf(SpanRecord work, SpanRecord[] spans,
      LongIntMap spanIdIndex) {
    SpanRole expected = work.role() == SpanRole.PROCESS ? SpanRole.ENQUEUE : SpanRole.SUBMIT;
    if (work.causalId() != SpanRecord.NONE) {
      int i = Seqs.indexOf(spans, work.causalId());
      if (i >= 0 && spans[i].role() == expected) {
        return spans[i];
      }
    }
    if (work.linkSpanId() != 0) {
      int i = spanIdIndex.get(work.linkSpanId());
      if (i >= 0 && spans[i].role() == expected) {
        return spans[i];
      }
    }
    return null;
  }

  /**
   * For each span, the index of the work span ({@code process}/{@code run}) it happened in, or
   * -1: its parent if that is work, else the work open on its thread at its seq.
   */
  private static int[] assignOwners(SpanRecord[] spans, LongIntMap spanIdIndex) {
    int n = spans.length;
    int[] owner = new int[n];
    Arrays.fill(owner, -1);
    Map<String, IntStack> open = new HashMap<>();
    for (int i = 0; i < n; i++) {
      SpanRecord s = spans[i];
      IntStack stack = open.computeIfAbsent(s.thread(), t -> new IntStack());
      while (!stack.isEmpty()) {
        SpanRecord top = spans[stack.peek()];
        if (top.endSeq() != SpanRecord.NONE && top.endSeq() < s.seq()) {
          stack.pop();
        } else {
          break;
        }
      }
      SpanRole r = s.role();
      if (r == SpanRole.PROCESS || r == SpanRole.RUN) {
        // A new dequeue ends the thread's previous processing; a new task start ends a task
        // whose end was not seen.
        while (!stack.isEmpty() && (spans[stack.peek()].role() == SpanRole.PROCESS
            || (r == SpanRole.RUN && spans[stack.peek()].endSeq() == SpanRecord.NONE))) {
          stack.pop();
        }
        stack.push(i);
        continue;
      }
      if (s.parentSpanId() != 0) {
        int p = spanIdIndex.get(s.parentSpanId());
        if (p >= 0 && (spans[p].role() == SpanRole.PROCESS || spans[p].role() == SpanRole.RUN)) {
          owner[i] = p;
          continue;
        }
      }
      if (!stack.isEmpty()) {
        owner[i] = stack.peek();
      }
    }
    return owner;
  }

  /** A stack of span indexes without boxing. */
  private static final class IntStack {
    private int[] a = new int[4];
    private int size;

    boolean isEmpty() {
      return size == 0;
    }

    int peek() {
      return a[size - 1];
    }

    void pop() {
      size--;
    }

    void push(int v) {
      if (size == a.length) {
        a = Arrays.copyOf(a, size * 2);
      }
      a[size++] = v;
    }
  }

  private static SpanRecord[] sortAndDedupe(List<SpanRecord> input) {
    SpanRecord[] sorted = input.toArray(new SpanRecord[0]);
    Arrays.sort(sorted, Comparator.comparingLong(SpanRecord::seq));
    int out = 0;
    for (SpanRecord s : sorted) {
      boolean duplicate = false;
      for (int k = out - 1; k >= 0 && sorted[k].seq() == s.seq(); k--) {
        SpanRecord kept = sorted[k];
        if (s.spanId() != 0 ? kept.spanId() == s.spanId() : kept.name().equals(s.name())) {
          duplicate = true;
          break;
        }
      }
      if (!duplicate) {
        sorted[out++] = s;
      }
    }
    return out == sorted.length ? sorted : Arrays.copyOf(sorted, out);
  }

}
