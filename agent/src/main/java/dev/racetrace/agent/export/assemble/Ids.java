package dev.racetrace.agent.export.assemble;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.nio.charset.StandardCharsets;

/**
 * Deterministic trace and span ids. Span ids mix the node's salt with the event seq, so they are
 * unique per node and stable across exports. Trace ids of keyed work depend only on the key and
 * the time window, so every node puts one key's work of one window into the same trace.
 */
public final class Ids {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

  private final long salt;
  private final long windowNanos;

  public Ids(String nodeId, long windowMillis) {
    this.salt = hash64(nodeId.getBytes(StandardCharsets.UTF_8), 0x9E3779B97F4A7C15L);
    this.windowNanos = Math.max(1, windowMillis) * 1_000_000L;
  }

  /** Span id of the span recorded for the event with this seq; {@code role} separates spans of one event. */
  public String spanId(long seq, int role) {
    long id = mix(salt ^ (seq * 0x9E3779B97F4A7C15L) ^ ((long) role << 56));
    return hex16(id == 0 ? 1 : id);
  }

  /** Trace of a keyed span: the same on every node for one key and one window. */
  String keyTrace(String key, long epochNanos) {
    long window = Math.floorDiv(epochNanos, windowNanos);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    long hi = hash64(k, 0x243F6A8885A308D3L ^ window);
    long lo = hash64(k, 0x13198A2E03707344L ^ (window * 31));
    return traceHex(hi, lo);
  }

  /** Trace of an unkeyed causal chain rooted at the event with this seq, on this node. */
  public String chainTrace(long rootSeq) {
    return traceHex(mix(salt ^ 0x5851F42D4C957F2DL), mix(salt + rootSeq * 0x2545F4914F6CDD1DL));
  }

  /** Trace of events outside any work on one thread in one window, on this node. */
  String threadTrace(long threadId, long epochNanos) {
    long window = Math.floorDiv(epochNanos, windowNanos);
    return traceHex(mix(salt ^ threadId), mix(salt + window * 0x9E3779B97F4A7C15L + threadId));
  }

  public static SpanContext context(String traceId, String spanId) {
    return SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
  }

  static String traceHex(long hi, long lo) {
    if (hi == 0 && lo == 0) {
      lo = 1;
    }
    byte[] digits = new byte[32];
    putHex(digits, 0, hi);
    putHex(digits, 16, lo);
    return new String(digits, StandardCharsets.ISO_8859_1);
  }

  /**
   * Sixteen lower-case hex digits, zero-padded. Built in one array: every span and work takes one or
   * two of these, and going through {@code Long.toHexString}, a padding substring and a
   * concatenation made ids the exporter's largest allocation after the events themselves.
   */
  static String hex16(long v) {
    byte[] digits = new byte[16];
    putHex(digits, 0, v);
    return new String(digits, StandardCharsets.ISO_8859_1);
  }

  private static void putHex(byte[] digits, int at, long v) {
    for (int i = at + 15; i >= at; i--) {
      digits[i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** FNV-1a folded through a 64-bit mixer. */
  static long hash64(byte[] data, long seed) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (byte b : data) {
      h ^= (b & 0xFF);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }
}
