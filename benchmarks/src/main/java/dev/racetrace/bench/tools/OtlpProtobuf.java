package dev.racetrace.bench.tools;

/**
 * Just enough of the OTLP protobuf encoding to count the spans of an
 * {@code ExportTraceServiceRequest} and read the {@code racetrace.stats} span's counters, without
 * a protobuf library: ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2)
 * → ScopeSpans.spans(2) → Span.name(5), Span.attributes(9) → KeyValue.key(1), value(2) →
 * AnyValue.int_value(3).
 */
final class OtlpProtobuf {
  /** What one request held. */
  static final class Counts {
    long spans;
    /** race.dropped_events of the last racetrace.stats span seen, or -1. */
    long dropped = -1;
    /** race.recorded_events of the last racetrace.stats span seen, or -1. */
    long recorded = -1;
  }

  private final byte[] buf;
  private int pos;
  private final int limit;

  private OtlpProtobuf(byte[] buf, int pos, int limit) {
    this.buf = buf;
    this.pos = pos;
    this.limit = limit;
  }

  /** Counts the spans of one ExportTraceServiceRequest. */
  static Counts count(byte[] request) {
    Counts c = new Counts();
    OtlpProtobuf req = new OtlpProtobuf(request, 0, request.length);
    while (req.pos < req.limit) {
      int tag = (int) req.varint();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        OtlpProtobuf rs = req.sub();
        while (rs.pos < rs.limit) {
          int t2 = (int) rs.varint();
          if (t2 >>> 3 == 2 && (t2 & 7) == 2) {
            OtlpProtobuf ss = rs.sub();
            while (ss.pos < ss.limit) {
              int t3 = (int) ss.varint();
              if (t3 >>> 3 == 2 && (t3 & 7) == 2) {
                c.spans++;
                ss.sub().span(c);
              } else {
                ss.skip(t3 & 7);
              }
            }
          } else {
            rs.skip(t2 & 7);
          }
        }
      } else {
        req.skip(tag & 7);
      }
    }
    return c;
  }

  private void span(Counts c) {
    int start = pos;
    boolean stats = false;
    while (pos < limit) {
      int tag = (int) varint();
      if (tag >>> 3 == 5 && (tag & 7) == 2) {
        int len = (int) varint();
        stats = len == STATS.length && regionEquals(pos, STATS);
        pos += len;
      } else {
        skip(tag & 7);
      }
    }
    if (!stats) {
      return;
    }
    pos = start;
    while (pos < limit) {
      int tag = (int) varint();
      if (tag >>> 3 == 9 && (tag & 7) == 2) {
        OtlpProtobuf kv = sub();
        String key = null;
        long value = -1;
        while (kv.pos < kv.limit) {
          int t = (int) kv.varint();
          if (t >>> 3 == 1 && (t & 7) == 2) {
            int len = (int) kv.varint();
            key = new String(kv.buf, kv.pos, len, java.nio.charset.StandardCharsets.UTF_8);
            kv.pos += len;
          } else if (t >>> 3 == 2 && (t & 7) == 2) {
            OtlpProtobuf any = kv.sub();
            while (any.pos < any.limit) {
              int ta = (int) any.varint();
              if (ta >>> 3 == 3 && (ta & 7) == 0) {
                value = any.varint();
              } else {
                any.skip(ta & 7);
              }
            }
          } else {
            kv.skip(t & 7);
          }
        }
        if ("race.dropped_events".equals(key)) {
          c.dropped = value;
        } else if ("race.recorded_events".equals(key)) {
          c.recorded = value;
        }
      } else {
        skip(tag & 7);
      }
    }
  }

  private static final byte[] STATS = "racetrace.stats".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private boolean regionEquals(int at, byte[] what) {
    for (int i = 0; i < what.length; i++) {
      if (buf[at + i] != what[i]) {
        return false;
      }
    }
    return true;
  }

  private OtlpProtobuf sub() {
    int len = (int) varint();
    if (len < 0 || pos + len > limit) {
      throw new IllegalArgumentException("truncated message at " + pos);
    }
    OtlpProtobuf s = new OtlpProtobuf(buf, pos, pos + len);
    pos += len;
    return s;
  }

  private long varint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw new IllegalArgumentException("truncated varint at " + pos);
      }
      byte b = buf[pos++];
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("malformed varint at " + pos);
  }

  private void skip(int wireType) {
    switch (wireType) {
      case 0:
        varint();
        break;
      case 1:
        pos += 8;
        break;
      case 2:
        int len = (int) varint(); // not "pos += varint()": that would add to the pos read before the varint
        pos += len;
        break;
      case 5:
        pos += 4;
        break;
      default:
        throw new IllegalArgumentException("unsupported wire type " + wireType + " at " + pos);
    }
  }
}
