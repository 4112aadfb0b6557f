package dev.racetrace.agent.export.assemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The assembler's attributes must read exactly as the SDK's builder would have built them. */
class SpanAttributesTest {
  private static final String[] NAMES = {"race.seq", "race.key", "race.op", "thread.name", "code.lineno",
    "race.state.a", "race.state.b", "race.guard.kind", "a", "z", "race.seq2", ""};

  @Test
  void buildsWhatTheSdkBuilderBuildsForRandomPuts() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int round = 0; round < 2_000; round++) {
      AttributesBuilder sdk = Attributes.builder();
      AttributesBuilder ours = SpanAttributes.builder();
      int puts = random.nextInt(50);
      for (int i = 0; i < puts; i++) {
        String name = NAMES[random.nextInt(NAMES.length)];
        int type = random.nextInt(4);
        Object value = random.nextInt(10) == 0 ? null : type == 0 ? "v" + random.nextInt(5)
            : type == 1 ? (Object) (long) random.nextInt(5) : type == 2 ? random.nextBoolean() : random.nextDouble();
        put(sdk, name, type, value);
        put(ours, name, type, value);
      }
      if (random.nextInt(4) == 0) {
        AttributeKey<Long> gone = AttributeKey.longKey(NAMES[random.nextInt(NAMES.length)]);
        sdk.remove(gone);
        ours.remove(gone);
      }
      if (random.nextInt(4) == 0) {
        Attributes extra = Attributes.of(AttributeKey.stringKey("race.key"), "late", AttributeKey.longKey("b"), 3L);
        sdk.putAll(extra);
        ours.putAll(extra);
      }
      assertSame(sdk.build(), ours.build(), "seed " + seed + ", round " + round);
    }
  }

  @Test
  void aReusedBuilderThatRemembersItsSortsStillBuildsWhatTheSdkBuilds() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    // a fixed pool of key objects, as the assembler's constants: the same put orders recur
    List<AttributeKey<?>> pool = new ArrayList<>();
    for (String name : NAMES) {
      pool.add(AttributeKey.stringKey(name));
      pool.add(AttributeKey.longKey(name));
    }
    int[][] shapes = new int[400][]; // more shapes than remembered sorts: slots collide
    for (int i = 0; i < shapes.length; i++) {
      shapes[i] = random.ints(random.nextInt(30), 0, pool.size()).toArray();
    }
    SpanAttributes.Builder reused = SpanAttributes.reusableBuilder();
    for (int round = 0; round < 20_000; round++) {
      int[] shape = shapes[random.nextInt(shapes.length)];
      AttributesBuilder sdk = Attributes.builder();
      AttributesBuilder ours = reused.acquire();
      for (int index : shape) {
        AttributeKey<?> key = pool.get(index);
        Object value = key.getType() == io.opentelemetry.api.common.AttributeType.STRING
            ? "v" + random.nextInt(3) : (Object) (long) random.nextInt(3);
        putRaw(sdk, key, value);
        putRaw(ours, key, value);
      }
      assertSame(sdk.build(), ours.build(), "seed " + seed + ", round " + round);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void putRaw(AttributesBuilder b, AttributeKey key, Object value) {
    b.put(key, value);
  }

  @Test
  void toBuilderKeepsEverythingAndAddsMore() {
    Attributes base = SpanAttributes.builder().put(AttributeKey.longKey("race.seq"), 7L)
        .put(AttributeKey.stringKey("race.op"), "derive").build();
    Attributes more = base.toBuilder().put(AttributeKey.booleanKey("race.rule.violated"), true).build();
    assertEquals(3, more.size());
    assertEquals(7L, more.get(AttributeKey.longKey("race.seq")));
    assertEquals(Boolean.TRUE, more.get(AttributeKey.booleanKey("race.rule.violated")));
    assertNull(more.get(AttributeKey.stringKey("race.seq")), "same name, other type");
    assertEquals("{race.op=derive, race.rule.violated=true, race.seq=7}", more.toString());
  }

  private static void assertSame(Attributes expected, Attributes actual, String message) {
    assertEquals(entries(expected), entries(actual), message);
    assertEquals(expected.size(), actual.size(), message);
    assertEquals(expected.isEmpty(), actual.isEmpty(), message);
    assertEquals(expected.asMap(), actual.asMap(), message);
    expected.forEach((k, v) -> assertEquals(v, actual.get(k), message + ", key " + k));
  }

  private static List<String> entries(Attributes a) {
    List<String> out = new ArrayList<>();
    a.forEach((k, v) -> out.add(k.getKey() + ":" + k.getType() + "=" + v));
    return out;
  }

  private static void put(AttributesBuilder b, String name, int type, Object value) {
    switch (type) {
      case 0: b.put(AttributeKey.stringKey(name), (String) value); break;
      case 1: b.put(AttributeKey.longKey(name), (Long) value); break;
      case 2: b.put(AttributeKey.booleanKey(name), (Boolean) value); break;
      default: b.put(AttributeKey.doubleKey(name), (Double) value); break;
    }
  }
}
