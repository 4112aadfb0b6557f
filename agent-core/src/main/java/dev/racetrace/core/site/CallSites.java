package dev.racetrace.core.site;

/**
 * Registry of call sites, filled at class-transform time and read by the exporter. The hot path
 * only carries the int id. Id 0 is reserved for "no call site" (API calls, type-level advice that
 * registers its own).
 */
public final class CallSites {
  private static final CallSite NONE = new CallSite(0, "", "", -1, "", null);
  private static volatile CallSite[] sites = new CallSite[] {NONE};
  private static int size = 1;

  private CallSites() {}

  /** Registers a call site and returns its id. Transform time only. */
  public static synchronized int register(String className, String methodName, int line,
      String target, String receiverName) {
    CallSite[] cur = sites;
    if (size == cur.length) {
      CallSite[] next = new CallSite[cur.length * 2];
      System.arraycopy(cur, 0, next, 0, cur.length);
      cur = next;
    }
    int id = size;
    cur[id] = new CallSite(id, className, methodName, line, target, receiverName);
    size = id + 1;
    sites = cur; // volatile: publishes the new entry
    return id;
  }

  /** The call site with this id, or the empty site for unknown ids. */
  public static CallSite get(int id) {
    CallSite[] s = sites;
    if (id <= 0 || id >= s.length) {
      return NONE;
    }
    CallSite c = s[id];
    return c == null ? NONE : c;
  }

  /** Number of registered call sites. */
  public static synchronized int count() {
    return size - 1;
  }
}
