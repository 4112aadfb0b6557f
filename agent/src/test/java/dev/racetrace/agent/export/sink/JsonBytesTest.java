package dev.racetrace.agent.export.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonBytesTest {
  @Test
  void numbersAreWrittenAsLongToStringWritesThem() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    JsonBytes out = new JsonBytes(4);
    long p = 1;
    for (int i = 0; i < 19; i++, p *= 10) {
      for (long v : new long[] {p - 1, p, p + 1, -p, -p + 1, -p - 1}) {
        assertNumber(out, v, seed);
      }
    }
    for (long v : new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 1795675774266529145L}) {
      assertNumber(out, v, seed);
    }
    for (int i = 0; i < 100_000; i++) {
      long v = random.nextLong() >> random.nextInt(64);
      assertNumber(out, v, seed);
    }
  }

  @Test
  void quotedNumbersAreStrings() {
    JsonBytes out = new JsonBytes(1);
    out.quotedNumber(-42).raw(',').quotedNumber(0);
    assertEquals("\"-42\",\"0\"", text(out));
  }

  @Test
  void stringsGrowTheBufferAndEscapeLikeJson() {
    JsonBytes out = new JsonBytes(1);
    out.string("a\"b\\c\u0007d\u00e9\u65e5").raw(',').asciiString("0af1");
    assertEquals("\"a\\\"b\\\\c\\u0007d\u00e9\u65e5\",\"0af1\"", text(out));
  }

  private static void assertNumber(JsonBytes out, long v, long seed) {
    out.reset();
    out.number(v);
    assertEquals(Long.toString(v), text(out), "seed " + seed);
  }

  private static String text(JsonBytes out) {
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }
}
