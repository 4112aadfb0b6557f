package dev.racetrace.agent.export.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Span and trace ids are the W3C form: lower-case hex, zero-padded, never all zeros. */
class IdsTest {

  @Test
  void hex16IsSixteenLowerCaseZeroPaddedDigits() {
    long[] edges = {0, 1, 0xF, 0x10, 0xABCDEF, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x0123456789ABCDEFL};
    for (long v : edges) {
      assertThat(Ids.hex16(v)).as("%d", v).isEqualTo(String.format("%016x", v));
    }
    long seed = 0x5EEDL;
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 10_000; i++) {
      long v = random.nextLong();
      assertThat(Ids.hex16(v)).as("value %d (seed %d)", v, seed).isEqualTo(String.format("%016x", v));
    }
  }

  @Test
  void aTraceIdIsItsTwoHalvesAndNeverAllZeros() {
    assertThat(Ids.traceHex(0x1234, -2)).isEqualTo(String.format("%016x%016x", 0x1234, -2L));
    assertThat(Ids.traceHex(0, 0)).isEqualTo("00000000000000000000000000000001");
  }

  @Test
  void idsAreValidForOpenTelemetry() {
    Ids ids = new Ids("node-1", 60_000);
    String span = ids.spanId(42, 0);
    String trace = ids.keyTrace("order-7", 1_000_000_000L);
    assertThat(Ids.context(trace, span).isValid()).isTrue();
    assertThat(span).hasSize(16);
    assertThat(trace).hasSize(32);
  }
}
