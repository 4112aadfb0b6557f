package dev.racetrace.analyzer.input;

import dev.racetrace.schema.SchemaNames;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the analysis keeps of one exported span: ids, times, the {@code race.*} attributes it
 * uses, and the visible state ({@code race.state.*}). Strings are interned by the reader, so a
 * record costs about 150 bytes. Absent numbers are {@link #NONE}.
 */
public final class SpanRecord {
  /** Value of an absent number attribute. */
  public static final long NONE = Long.MIN_VALUE;

  private static final String[] NO_NAMES = new String[0];
  private static final long[] NO_VALUES = new long[0];

  private String node;
  private final SpanRole role;
  private final String name;
  private final String event;
  private final String outcome;
  private final long spanId;
  private final long parentSpanId;
  private final long linkSpanId;
  private final long startNanos;
  private final long endNanos;
  private final long seq;
  private final long endSeq;
  private final long causalId;
  private final long parentCausalId;
  private final String key;
  private final String op;
  private final String thread;
  private final String resource;
  private final String valueSeen;
  private final boolean trivial;
  private final boolean timedLoop;
  private final String objectId;
  private final boolean timedOut;
  private final boolean endInferred;
  private final long queueWaitNs;
  private final long blockedNs;
  private final long timeoutNs;
  private final String codeNamespace;
  private final String codeFunction;
  private final int codeLine;
  private final String[] stateNames;
  private final long[] stateValues;

  SpanRecord(SpanRecordBuilder b, Interner in) {
    this.node = b.node;
    this.role = b.role();
    this.name = in.intern(b.name);
    this.event = in.intern(b.event);
    this.outcome = in.intern(b.outcome);
    this.spanId = b.spanId;
    this.parentSpanId = b.parentSpanId;
    this.linkSpanId = b.linkSpanId;
    this.startNanos = b.startNanos;
    this.endNanos = b.endNanos;
    this.seq = b.seq;
    this.endSeq = b.endSeq;
    this.causalId = b.causalId;
    this.parentCausalId = b.parentCausalId;
    this.key = in.intern(b.key);
    this.op = in.intern(b.op);
    this.thread = in.intern(b.thread != null ? b.thread
        : b.threadId != NONE ? "thread-" + b.threadId : "unknown-thread");
    String res = b.guardObject != null ? b.guardObject
        : b.queueId != null ? b.queueId : b.executorId;
    this.resource = in.intern(res);
    this.valueSeen = in.intern(b.valueSeen);
    this.trivial = b.trivial;
    this.timedLoop = b.timedLoop;
    this.objectId = b.guardObjectId;
    this.timedOut = b.timedOut || SchemaNames.OUTCOME_TIMED_OUT.equals(b.outcome);
    this.endInferred = b.endInferred;
    this.queueWaitNs = b.queueWaitNs;
    this.blockedNs = b.blockedNs;
    this.timeoutNs = b.timeoutNs;
    this.codeNamespace = in.intern(b.codeNamespace);
    this.codeFunction = in.intern(b.codeFunction);
    this.codeLine = b.codeLine;
    int n = b.stateCount;
    if (n == 0) {
      this.stateNames = NO_NAMES;
      this.stateValues = NO_VALUES;
    } else {
      for (int i = 0; i < n; i++) {
        b.stateNames[i] = in.intern(b.stateNames[i]);
      }
      this.stateNames = in.internNames(b.stateNames, n);
      this.stateValues = Arrays.copyOf(b.stateValues, n);
    }
  }

  void assignNode(String node) {
    this.node = node;
  }

  /** The node ({@code service.instance.id} of the span's resource). */
  public String node() {
    return node;
  }

  /** What the span means to the analysis. */
  public SpanRole role() {
    return role;
  }

  /** The span name, e.g. {@code Node.workQueue process}. */
  public String name() {
    return name;
  }

  /** {@code race.event}, or null. */
  public String event() {
    return event;
  }

  /** {@code race.outcome}, or null. */
  public String outcome() {
    return outcome;
  }

  /** The span id as a 64-bit number (0 if absent). */
  public long spanId() {
    return spanId;
  }

  /** The parent span id (0 if none). */
  public long parentSpanId() {
    return parentSpanId;
  }

  /** The span id of the first link (0 if none). */
  public long linkSpanId() {
    return linkSpanId;
  }

  /** Start, epoch nanoseconds on the node's clock. */
  public long startNanos() {
    return startNanos;
  }

  /** End, epoch nanoseconds on the node's clock. */
  public long endNanos() {
    return endNanos;
  }

  /** {@code race.seq}: position in the node's linearizable order, or {@link #NONE}. */
  public long seq() {
    return seq;
  }

  /** {@code race.end_seq} of work spans, or {@link #NONE}. */
  public long endSeq() {
    return endSeq;
  }

  /** {@code race.causal_id}, or {@link #NONE}. */
  public long causalId() {
    return causalId;
  }

  /** {@code race.parent_causal_id}, or {@link #NONE}. */
  public long parentCausalId() {
    return parentCausalId;
  }

  /** {@code race.key}, or null. */
  public String key() {
    return key;
  }

  /** {@code race.op}, or null. */
  public String op() {
    return op;
  }

  /** {@code thread.name} (or {@code thread-<id>}). */
  public String thread() {
    return thread;
  }

  /** The queue, executor or guard object the span is about ({@code race.guard.object},
   * {@code race.queue.id} or {@code race.executor.id}), or null. */
  public String resource() {
    return resource;
  }

  /** {@code race.guard.value_seen} as text, or null. */
  public String valueSeen() {
    return valueSeen;
  }

  /** {@code race.guard.trivial}: a latch await that found the latch already open. */
  public boolean trivial() {
    return trivial;
  }

  /**
   * {@code race.guard.timed_loop}: a {@code condition.check} ending a wait loop that gives up at
   * a timeout, so the check would have passed without a signal too.
   */
  public boolean timedLoop() {
    return timedLoop;
  }

  /**
   * {@code race.guard.object_id}: which object the guard span is about, within its node; two
   * objects may share a name (one per key, or a field reassigned), never an id. Null when absent.
   */
  public String objectId() {
    return objectId;
  }

  /** The guard object's name and, when known, its id: what a signal and a wait must share. */
  public String guardIdentity() {
    return objectId == null ? resource : resource + "#" + objectId;
  }

  /** {@code race.guard.timed_out} (or outcome {@code timed_out}). */
  public boolean timedOut() {
    return timedOut;
  }

  /** {@code race.end_inferred}: the end of the processing was not observed. */
  public boolean endInferred() {
    return endInferred;
  }

  /** {@code race.queue.wait_ns}, or {@link #NONE}. */
  public long queueWaitNs() {
    return queueWaitNs;
  }

  /** {@code race.blocked_ns}, or {@link #NONE}. */
  public long blockedNs() {
    return blockedNs;
  }

  /** {@code race.timeout_ns}, or {@link #NONE}. */
  public long timeoutNs() {
    return timeoutNs;
  }

  /** The call site as {@code Class.method:line}, or null when not recorded. */
  public String site() {
    if (codeNamespace == null && codeFunction == null) {
      return null;
    }
    String cls = codeNamespace == null ? "?" : codeNamespace.substring(codeNamespace.lastIndexOf('.') + 1);
    return cls + "." + (codeFunction == null ? "?" : codeFunction)
        + (codeLine > 0 ? ":" + codeLine : "");
  }

  /** Whether this span carries any {@code race.state.*} value. */
  public boolean hasState() {
    return stateNames.length > 0;
  }

  /** The {@code race.state.*} values seen, by name without the prefix, in attribute order. */
  public Map<String, Long> state() {
    if (stateNames.length == 0) {
      return Collections.emptyMap();
    }
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < stateNames.length; i++) {
      m.put(stateNames[i], stateValues[i]);
    }
    return m;
  }

  /** Puts this span's state values into {@code into}, replacing older values of the same name. */
  public void copyStateInto(Map<String, Long> into) {
    for (int i = 0; i < stateNames.length; i++) {
      into.put(stateNames[i], stateValues[i]);
    }
  }

  @Override
  public String toString() {
    return node + "#" + seq + " " + name + (key != null ? " key=" + key : "")
        + (op != null ? " op=" + op : "");
  }
}
