package dev.racetrace.analyzer.input;

import dev.racetrace.schema.SchemaNames;
import java.util.Arrays;

/**
 * Collects one span's fields while a reader streams through it, then builds a {@link SpanRecord}.
 * Reused for every span of a file ({@link #reset()}); unknown attributes are ignored. A value of
 * the wrong type throws {@link IllegalArgumentException} naming the attribute, which readers turn
 * into an {@link InputException} with the file and line.
 */
final class SpanRecordBuilder {
  static final long NONE = SpanRecord.NONE;

  String node;
  String name;
  String event;
  String outcome;
  long spanId;
  long parentSpanId;
  long linkSpanId;
  long startNanos;
  long endNanos;
  long seq;
  long endSeq;
  long causalId;
  long parentCausalId;
  String key;
  String op;
  String thread;
  long threadId;
  String queueId;
  String executorId;
  String guardObject;
  String guardObjectId;
  String valueSeen;
  boolean trivial;
  boolean timedLoop;
  boolean timedOut;
  boolean endInferred;
  long queueWaitNs;
  long blockedNs;
  long timeoutNs;
  String codeNamespace;
  String codeFunction;
  int codeLine;
  String[] stateNames = new String[4];
  long[] stateValues = new long[4];
  int stateCount;
  // racetrace.stats counters
  long droppedEvents;
  long recordedEvents;
  long unmatchedDequeues;
  long internalErrors;
  long exportFailures;
  long droppedState;
  long unwrittenSpans;
  long rotatedSpans;
  long rotatedEvents;

  private final java.util.IdentityHashMap<String, String> stateNameOf =
      new java.util.IdentityHashMap<>();

  SpanRecordBuilder() {
    reset();
  }

  /** Whether the analysis uses attribute {@code attr} (the reader skips the others unread). */
  boolean wants(String attr) {
    switch (attr) {
      case SchemaNames.EVENT: case SchemaNames.OUTCOME: case SchemaNames.KEY: case SchemaNames.OP:
      case SchemaNames.THREAD_NAME: case SchemaNames.QUEUE_ID: case SchemaNames.EXECUTOR_ID:
      case SchemaNames.GUARD_OBJECT: case SchemaNames.GUARD_OBJECT_ID: case SchemaNames.GUARD_VALUE_SEEN:
      case SchemaNames.CODE_NAMESPACE: case SchemaNames.CODE_FUNCTION: case SchemaNames.GUARD_TRIVIAL:
      case SchemaNames.GUARD_TIMED_LOOP: case SchemaNames.GUARD_TIMED_OUT: case SchemaNames.END_INFERRED:
        return true;
      default:
        return isNumeric(attr);
    }
  }

  void reset() {
    node = null;
    name = "";
    event = null;
    outcome = null;
    spanId = 0;
    parentSpanId = 0;
    linkSpanId = 0;
    startNanos = 0;
    endNanos = 0;
    seq = NONE;
    endSeq = NONE;
    causalId = NONE;
    parentCausalId = NONE;
    key = null;
    op = null;
    thread = null;
    threadId = NONE;
    queueId = null;
    executorId = null;
    guardObject = null;
    guardObjectId = null;
    valueSeen = null;
    trivial = false;
    timedLoop = false;
    timedOut = false;
    endInferred = false;
    queueWaitNs = NONE;
    blockedNs = NONE;
    timeoutNs = NONE;
    codeNamespace = null;
    codeFunction = null;
    codeLine = 0;
    stateCount = 0;
    droppedEvents = NONE;
    recordedEvents = NONE;
    unmatchedDequeues = NONE;
    internalErrors = NONE;
    exportFailures = NONE;
    droppedState = NONE;
    unwrittenSpans = NONE;
    rotatedSpans = NONE;
    rotatedEvents = NONE;
  }

  SpanRole role() {
    return SpanRole.of(event, name, outcome);
  }

  /** Whether the span has what the analysis needs: a {@code race.seq} (stats spans need none). */
  boolean usable() {
    SpanRole r = role();
    return r != SpanRole.IGNORED && (r == SpanRole.STATS || seq != NONE);
  }

  SpanRecord build(Interner interner) {
    return new SpanRecord(this, interner);
  }

  NodeCounters counters() {
    return new NodeCounters(droppedEvents, recordedEvents, unmatchedDequeues, internalErrors,
        exportFailures, droppedState, unwrittenSpans, rotatedSpans, rotatedEvents);
  }

  void putString(String attr, String v) {
    switch (attr) {
      case SchemaNames.EVENT: event = v; return;
      case SchemaNames.OUTCOME: outcome = v; return;
      case SchemaNames.KEY: key = v; return;
      case SchemaNames.OP: op = v; return;
      case SchemaNames.THREAD_NAME: thread = v; return;
      case SchemaNames.QUEUE_ID: queueId = v; return;
      case SchemaNames.EXECUTOR_ID: executorId = v; return;
      case SchemaNames.GUARD_OBJECT: guardObject = v; return;
      case SchemaNames.GUARD_OBJECT_ID: guardObjectId = v; return;
      case SchemaNames.GUARD_VALUE_SEEN: valueSeen = v; return;
      case SchemaNames.CODE_NAMESPACE: codeNamespace = v; return;
      case SchemaNames.CODE_FUNCTION: codeFunction = v; return;
      case SchemaNames.GUARD_TRIVIAL: trivial = parseBoolean(attr, v); return;
      case SchemaNames.GUARD_TIMED_LOOP: timedLoop = parseBoolean(attr, v); return;
      case SchemaNames.GUARD_TIMED_OUT: timedOut = parseBoolean(attr, v); return;
      case SchemaNames.END_INFERRED: endInferred = parseBoolean(attr, v); return;
      default:
        if (isNumeric(attr)) {
          putLong(attr, parseLong(attr, v));
        }
    }
  }

  void putLong(String attr, long v) {
    switch (attr) {
      case SchemaNames.SEQ: seq = v; return;
      case SchemaNames.END_SEQ: endSeq = v; return;
      case SchemaNames.CAUSAL_ID: causalId = v; return;
      case SchemaNames.PARENT_CAUSAL_ID: parentCausalId = v; return;
      case SchemaNames.THREAD_ID: threadId = v; return;
      case SchemaNames.QUEUE_WAIT_NS: queueWaitNs = v; return;
      case SchemaNames.BLOCKED_NS: blockedNs = v; return;
      case SchemaNames.TIMEOUT_NS: timeoutNs = v; return;
      case SchemaNames.CODE_LINENO: codeLine = (int) v; return;
      case SchemaNames.DROPPED_EVENTS: droppedEvents = v; return;
      case SchemaNames.RECORDED_EVENTS: recordedEvents = v; return;
      case SchemaNames.UNMATCHED_DEQUEUES: unmatchedDequeues = v; return;
      case SchemaNames.INTERNAL_ERRORS: internalErrors = v; return;
      case SchemaNames.EXPORT_FAILURES: exportFailures = v; return;
      case SchemaNames.DROPPED_STATE: droppedState = v; return;
      case SchemaNames.UNWRITTEN_SPANS: unwrittenSpans = v; return;
      case SchemaNames.ROTATED_SPANS: rotatedSpans = v; return;
      case SchemaNames.ROTATED_EVENTS: rotatedEvents = v; return;
      case SchemaNames.GUARD_VALUE_SEEN: valueSeen = Long.toString(v); return;
      case SchemaNames.KEY: key = Long.toString(v); return;
      case SchemaNames.GUARD_TRIVIAL: trivial = v != 0; return;
      case SchemaNames.GUARD_TIMED_LOOP: timedLoop = v != 0; return;
      case SchemaNames.GUARD_TIMED_OUT: timedOut = v != 0; return;
      default:
        if (attr.startsWith(SchemaNames.STATE_PREFIX)) {
          putState(stateName(attr), v);
        }
    }
  }

  /** {@code metadata.entities} for {@code race.state.metadata.entities}, computed once per name. */
  private String stateName(String attr) {
    String name = stateNameOf.get(attr);
    if (name == null) {
      name = attr.substring(SchemaNames.STATE_PREFIX.length());
      if (stateNameOf.size() < 10_000) {
        stateNameOf.put(attr, name);
      }
    }
    return name;
  }

  void putBoolean(String attr, boolean v) {
    switch (attr) {
      case SchemaNames.GUARD_TRIVIAL: trivial = v; return;
      case SchemaNames.GUARD_TIMED_LOOP: timedLoop = v; return;
      case SchemaNames.GUARD_TIMED_OUT: timedOut = v; return;
      case SchemaNames.END_INFERRED: endInferred = v; return;
      case SchemaNames.GUARD_VALUE_SEEN: valueSeen = Boolean.toString(v); return;
      default:
        if (attr.startsWith(SchemaNames.STATE_PREFIX)) {
          putState(stateName(attr), v ? 1 : 0);
        }
    }
  }

  void putDouble(String attr, double v) {
    if (attr.equals(SchemaNames.GUARD_VALUE_SEEN)) {
      valueSeen = Double.toString(v);
    } else if (isNumeric(attr) || attr.startsWith(SchemaNames.STATE_PREFIX)) {
      putLong(attr, Math.round(v));
    }
  }

  private void putState(String stateName, long v) {
    for (int i = 0; i < stateCount; i++) {
      if (stateNames[i] == stateName || stateNames[i].equals(stateName)) {
        stateValues[i] = v;
        return;
      }
    }
    if (stateCount == stateNames.length) {
      stateNames = Arrays.copyOf(stateNames, stateCount * 2);
      stateValues = Arrays.copyOf(stateValues, stateCount * 2);
    }
    stateNames[stateCount] = stateName;
    stateValues[stateCount] = v;
    stateCount++;
  }

  private static boolean isNumeric(String attr) {
    switch (attr) {
      case SchemaNames.SEQ: case SchemaNames.END_SEQ: case SchemaNames.CAUSAL_ID:
      case SchemaNames.PARENT_CAUSAL_ID: case SchemaNames.THREAD_ID: case SchemaNames.QUEUE_WAIT_NS:
      case SchemaNames.BLOCKED_NS: case SchemaNames.TIMEOUT_NS: case SchemaNames.CODE_LINENO:
      case SchemaNames.DROPPED_EVENTS: case SchemaNames.RECORDED_EVENTS:
      case SchemaNames.UNMATCHED_DEQUEUES: case SchemaNames.INTERNAL_ERRORS:
      case SchemaNames.EXPORT_FAILURES: case SchemaNames.DROPPED_STATE:
      case SchemaNames.UNWRITTEN_SPANS: case SchemaNames.ROTATED_SPANS: case SchemaNames.ROTATED_EVENTS:
        return true;
      default:
        return attr.startsWith(SchemaNames.STATE_PREFIX);
    }
  }

  static long parseLong(String attr, String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(attr + " is not an integer: " + quote(v));
    }
  }

  private static boolean parseBoolean(String attr, String v) {
    if ("true".equalsIgnoreCase(v)) {
      return true;
    }
    if ("false".equalsIgnoreCase(v)) {
      return false;
    }
    throw new IllegalArgumentException(attr + " is not a boolean: " + quote(v));
  }

  /** Parses a hex span id ({@code ""} = absent) into 64 bits. */
  static long parseSpanId(String field, String hex) {
    if (hex == null || hex.isEmpty()) {
      return 0;
    }
    try {
      int len = hex.length();
      // Trace-id-sized ids (Jaeger may widen) keep their low 64 bits.
      return Long.parseUnsignedLong(len > 16 ? hex.substring(len - 16) : hex, 16);
    } catch (NumberFormatException e) {
      long fromBase64 = parseBase64Id(hex);
      if (fromBase64 != 0) {
        return fromBase64;
      }
      throw new IllegalArgumentException(field + " is not a hex id: " + quote(hex));
    }
  }

  /**
   * Tempo's query API writes ids as protobuf JSON does, in base64 ({@code "AAAAAAAAAAE="} for 8
   * bytes): their low 64 bits, or 0 if {@code s} is not that.
   */
  static long parseBase64Id(String s) {
    if (s.length() != 12 && s.length() != 24) {
      return 0;
    }
    byte[] bytes;
    try {
      bytes = java.util.Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return 0;
    }
    if (bytes.length != 8 && bytes.length != 16) {
      return 0;
    }
    long v = 0;
    for (int i = bytes.length - 8; i < bytes.length; i++) {
      v = (v << 8) | (bytes[i] & 0xff);
    }
    return v;
  }

  static long parseNanos(String field, String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " is not an integer: " + quote(v));
    }
  }

  private static String quote(String v) {
    String s = v.length() > 40 ? v.substring(0, 40) + "..." : v;
    return "\"" + s + "\"";
  }
}
