package dev.racetrace.bench.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class OtlpProtobufTest {

  /**
   * The last request racetrace's OTLP/HTTP exporter sent at shutdown (recorded from a real run):
   * only the stats span, with race.dropped_events=0, race.recorded_events=0 (every earlier batch had
   * been refused) and race.export_failures=2.
   */
  @Test
  void countsSpansAndReadsTheStatsSpan() throws IOException {
    byte[] body;
    try (InputStream in = getClass().getResourceAsStream("/otlp-stats-request.bin")) {
      body = in.readAllBytes();
    }

    OtlpProtobuf.Counts c = OtlpProtobuf.count(body);

    assertThat(c.spans).isEqualTo(1);
    assertThat(c.dropped).isEqualTo(0);
    assertThat(c.recorded).isEqualTo(0);
  }

  @Test
  void countsSpansAcrossResourcesAndScopes() {
    byte[] stats = span("racetrace.stats", kv("race.recorded_events", 1_234_567), kv("race.dropped_events", 300));
    byte[] other = span("Node.q enqueue", kv("race.seq", 7));
    byte[] scope1 = concat(len(1, bytes("scope")), len(2, other), len(2, other));
    byte[] scope2 = concat(len(2, other), len(2, stats));
    byte[] request = concat(len(1, concat(len(1, bytes("resource")), len(2, scope1))),
        len(1, len(2, scope2)));

    OtlpProtobuf.Counts c = OtlpProtobuf.count(request);

    assertThat(c.spans).isEqualTo(4);
    assertThat(c.recorded).isEqualTo(1_234_567);
    assertThat(c.dropped).isEqualTo(300);
  }

  @Test
  void anEmptyRequestHasNoSpans() {
    OtlpProtobuf.Counts c = OtlpProtobuf.count(new byte[0]);

    assertThat(c.spans).isZero();
    assertThat(c.dropped).isEqualTo(-1);
  }

  @Test
  void aTruncatedRequestIsRejected() {
    // field 1 (resource_spans), length 5, but only 1 byte follows
    assertThatThrownBy(() -> OtlpProtobuf.count(new byte[] {0x0A, 0x05, 0x00}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
  }

  // ------------------------------------------------------------ a tiny protobuf writer

  private static byte[] span(String name, byte[]... attributes) {
    byte[] out = concat(len(1, new byte[16]), len(2, new byte[8]), len(5, bytes(name)),
        new byte[] {0x30, 0x01}); // kind = 1 (varint field 6)
    for (byte[] a : attributes) {
      out = concat(out, len(9, a));
    }
    return concat(out, new byte[] {(byte) 0x85, 0x01, 1, 0, 0, 0}); // flags: fixed32 field 16
  }

  private static byte[] kv(String key, long value) {
    return concat(len(1, bytes(key)), len(2, concat(new byte[] {0x18}, varint(value))));
  }

  private static byte[] len(int field, byte[] payload) {
    return concat(varint(field << 3 | 2), varint(payload.length), payload);
  }

  private static byte[] varint(long v) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return out.toByteArray();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
