package dev.racetrace.analyzer;

import dev.racetrace.analyzer.rules.OrderBreak;
import dev.racetrace.analyzer.timeline.OperationInstance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which of a key's operations a report shows when there are too many to read: those around the
 * break on the broken node (from the earlier initiation of the two operations to the later end),
 * else the first ones.
 */
public final class Excerpt {
  private static final int CONTEXT = 3;

  private Excerpt() {}

  /**
   * @param ops the key's operations on one node
   * @param brk the break on that node and key, or null
   * @param limit at most this many
   * @return {@code ops} itself when within the limit, else the operations to show, in
   *     initiation order
   */
  public static List<OperationInstance> around(List<OperationInstance> ops, OrderBreak brk,
      int limit) {
    if (ops.size() <= limit) {
      return ops;
    }
    List<OperationInstance> out = new ArrayList<>();
    if (brk != null && brk.node().equals(ops.get(0).node())) {
      OperationInstance early = brk.early();
      OperationInstance late = brk.late();
      long from = late == null ? early.initSeq() : Math.min(early.initSeq(), late.initSeq());
      long to = Math.max(end(early), late == null ? from : end(late));
      out.add(early);
      if (late != null) {
        out.add(late);
      }
      int firstIn = -1;
      int lastIn = -1;
      for (int i = 0; i < ops.size(); i++) {
        OperationInstance o = ops.get(i);
        if (o.initSeq() <= to && end(o) >= from) {
          if (out.size() < limit && o != early && o != late) {
            out.add(o);
          }
          firstIn = firstIn < 0 ? i : firstIn;
          lastIn = i;
        }
      }
      // A little context on either side: the operations initiated just before and after.
      for (int k = 1; k <= CONTEXT && out.size() < limit; k++) {
        if (firstIn - k >= 0) {
          out.add(ops.get(firstIn - k));
        }
        if (lastIn + k < ops.size() && out.size() < limit) {
          out.add(ops.get(lastIn + k));
        }
      }
      out.sort(Comparator.comparingLong(OperationInstance::initSeq));
      return out;
    }
    return new ArrayList<>(ops.subList(0, limit));
  }

  /** The instances of {@code others} with the same op and occurrence as one in {@code shown}. */
  public static List<OperationInstance> counterparts(List<OperationInstance> shown,
      List<OperationInstance> others, int limit) {
    if (others.size() <= limit && shown.size() >= others.size()) {
      return others;
    }
    List<OperationInstance> out = new ArrayList<>();
    for (OperationInstance o : others) {
      for (OperationInstance s : shown) {
        if (s.op().equals(o.op()) && s.index() == o.index()) {
          out.add(o);
          break;
        }
      }
    }
    return out;
  }

  private static long end(OperationInstance o) {
    return o.ended() ? o.endSeq() : Long.MAX_VALUE;
  }
}
